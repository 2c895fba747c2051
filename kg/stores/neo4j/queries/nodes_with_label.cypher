// params: $label (str) - a schema label (kg.schema.Label); every node of the build with it
// params: $build (str or null) - the build to read; null reads the current build
// returns: one row per node: props (map)
OPTIONAL MATCH (s:PmkgState {key: 'current'})
WITH coalesce($build, s.build) AS build
MATCH (n:PmkgNode {build: build})
WHERE n.pmkg_label = $label
RETURN properties(n) AS props
