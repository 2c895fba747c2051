// Melanoma and its subtypes, with how many evidence items each has
MATCH (d:Disease)-[:SUBCLASS_OF*0..]->(:Disease {build: $build, id: 'DOID:1909'})
MATCH (e:Evidence)-[:IN_DISEASE]->(d)
RETURN d.id AS disease, count(DISTINCT e) AS evidence
