// Drugs whose CPIC recommendation for a CYP2C19 poor metabolizer (CYP2C19 alone decides) is 'avoid'
MATCH (r:Recommendation {build: $build, action: 'avoid'})-[:ABOUT]->(p:Phenotype {gene: 'CYP2C19', phenotype: 'Poor Metabolizer'})
WHERE r.lookup_genes = ['CYP2C19']
MATCH (r)-[:FOR_DRUG]->(d:Drug)
RETURN DISTINCT d.name AS drug
