// Genes with resistance evidence to osimertinib (alone or in a combination)
MATCH (d:Drug {build: $build})<-[:HAS_COMPONENT]-(:Therapy)<-[:WITH_THERAPY]-(e:Evidence {significance: 'resistance'})
WHERE toLower(d.name) = 'osimertinib'
MATCH (e)-[:ABOUT]->()-[:IN_GENE]->(g:Gene)
RETURN DISTINCT g.symbol AS gene
