// params: $id (str) - the node's CURIE id
// params: $build (str or null) - the build to read; null reads the current build
// returns: at most one row: props (map) - the node's properties
OPTIONAL MATCH (s:PmkgState {key: 'current'})
WITH coalesce($build, s.build) AS build
MATCH (n:PmkgNode {id: $id, build: build})
RETURN properties(n) AS props
