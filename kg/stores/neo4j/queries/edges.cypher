// params: $build (str or null) - the build to read; null reads the current build
// fragments: {{rel}} - one relationship type from kg.schema.RelType
// returns: one row per relationship of the build: start (str), end (str), props (map)
OPTIONAL MATCH (s:PmkgState {key: 'current'})
WITH coalesce($build, s.build) AS build
MATCH (a:PmkgNode {build: build})-[r:{{rel}}]->(b:PmkgNode {build: build})
RETURN a.id AS start, b.id AS end, properties(r) AS props
ORDER BY start, end
