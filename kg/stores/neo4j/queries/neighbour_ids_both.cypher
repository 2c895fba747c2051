// params: $id (str) - the node whose neighbours' ids are wanted
// params: $build (str or null) - the build to read; null reads the current build
// fragments: {{rel}} - one relationship type from kg.schema.RelType
// returns: one row per neighbour m (either direction): id (str)
OPTIONAL MATCH (s:PmkgState {key: 'current'})
WITH coalesce($build, s.build) AS build
MATCH (n:PmkgNode {id: $id, build: build})-[:{{rel}}]-(m:PmkgNode)
RETURN DISTINCT m.id AS id
