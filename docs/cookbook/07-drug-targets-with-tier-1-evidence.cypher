// Drug-gene target pairs (DGIdb) where the drug has tier-1 evidence about an alteration of that gene
MATCH (d:Drug {build: $build})-[:TARGETS]->(g:Gene)
MATCH (d)<-[:HAS_COMPONENT]-(:Therapy)<-[:WITH_THERAPY]-(e:Evidence {tier: 1})-[:ABOUT]->()-[:IN_GENE]->(g)
RETURN DISTINCT d.name AS drug, g.symbol AS gene
