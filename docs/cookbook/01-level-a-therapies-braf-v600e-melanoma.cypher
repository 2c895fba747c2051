// Therapies with level-A evidence (CIViC level A, or an AMP Tier I Level A assertion) for BRAF V600E in melanoma, skin melanoma or their subtypes
MATCH (v:Variant {build: $build, id: 'PMKG:variant/BRAF:V600E'})<-[:ABOUT]-(e:Evidence)
WHERE e.level = 'A' OR e.amp_level = 'A'
MATCH (e)-[:IN_DISEASE]->(:Disease)-[:SUBCLASS_OF*0..]->(m:Disease {build: $build})
WHERE m.id IN ['DOID:1909', 'DOID:8923']
MATCH (e)-[:WITH_THERAPY]->(t:Therapy)
RETURN DISTINCT t.id AS therapy, t.name AS name
