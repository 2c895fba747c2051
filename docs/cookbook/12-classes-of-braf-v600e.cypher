// Every class BRAF V600E belongs to, directly or through a wider class (codon, activating, gene-level)
MATCH (:Variant {build: $build, id: 'PMKG:variant/BRAF:V600E'})-[:MEMBER_OF*1..]->(c)
RETURN DISTINCT c.id AS class, c.name AS name
