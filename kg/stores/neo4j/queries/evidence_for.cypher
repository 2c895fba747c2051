// params: $ids (list of str) - ids of the nodes evidence is about (variants, classes, profiles, genes)
// params: $build (str or null) - the build to read; null reads the current build
// returns: one row per (target, evidence) pair, e -[:ABOUT]-> target: target (str), props (map)
OPTIONAL MATCH (s:PmkgState {key: 'current'})
WITH coalesce($build, s.build) AS build
UNWIND $ids AS target_id
MATCH (n:PmkgNode {id: target_id, build: build})<-[:ABOUT]-(e:PmkgNode)
WHERE e.pmkg_label = 'Evidence'
RETURN DISTINCT n.id AS target, properties(e) AS props
