// Drug-gene target pairs (DGIdb) where the drug has tier-1 evidence about an alteration of that gene
// (from the tier-1 evidence to its drugs and genes, then kept where the drug targets the gene: starting from the
// targets walked every variant of each targeted gene and all their evidence, about 3x the database reads)
MATCH (e:Evidence {build: $build, tier: 1})-[:WITH_THERAPY]->(:Therapy)-[:HAS_COMPONENT]->(d:Drug)
MATCH (e)-[:ABOUT]->()-[:IN_GENE]->(g:Gene)
WITH DISTINCT d, g
WHERE (d)-[:TARGETS]->(g)
RETURN d.name AS drug, g.symbol AS gene
