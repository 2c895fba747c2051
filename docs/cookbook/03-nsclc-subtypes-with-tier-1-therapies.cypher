// Diseases under non-small cell lung carcinoma (itself included) with evidence for a tier-1 therapy
MATCH (d:Disease)-[:SUBCLASS_OF*0..]->(:Disease {build: $build, id: 'DOID:3908'})
MATCH (e:Evidence {tier: 1})-[:IN_DISEASE]->(d)
WHERE (e)-[:WITH_THERAPY]->(:Therapy)
RETURN DISTINCT d.id AS disease, d.name AS name
