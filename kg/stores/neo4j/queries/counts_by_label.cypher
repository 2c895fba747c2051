// params: $build (str or null) - the build to read; null reads the current build
// returns: one row per label that has nodes in the build: label (str), count (int)
OPTIONAL MATCH (s:PmkgState {key: 'current'})
WITH coalesce($build, s.build) AS build
MATCH (n:PmkgNode {build: build})
RETURN n.pmkg_label AS label, count(*) AS count
