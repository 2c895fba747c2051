// Variant, disease and therapy where supporting sensitivity evidence is contradicted by supporting resistance evidence
MATCH (v {build: $build})<-[:ABOUT]-(a:Evidence {significance: 'sensitivity', direction: 'supports'})-[:IN_DISEASE]->(d:Disease)
MATCH (a)-[:WITH_THERAPY]->(t:Therapy)
MATCH (v)<-[:ABOUT]-(b:Evidence {significance: 'resistance', direction: 'supports'})-[:IN_DISEASE]->(d)
MATCH (b)-[:WITH_THERAPY]->(t)
RETURN DISTINCT v.id AS feature, d.id AS disease, t.id AS therapy
