// params: none
// fragments: {{rel}} - one relationship type from kg.schema.RelType
// returns: one row per relationship of the current build: start (str), end (str), props (map)
MATCH (s:PmkgState {key: 'current'})
MATCH (a:Entity {build: s.build})-[r:{{rel}}]->(b:Entity {build: s.build})
RETURN a.id AS start, b.id AS end, properties(r) AS props
ORDER BY start, end
