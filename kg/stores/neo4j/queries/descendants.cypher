// params: $ids (list of str) - the start nodes' ids
// params: $build (str or null) - the build to read; null reads the current build
// fragments: {{rels}} - relationship types from kg.schema.RelType joined with |, e.g. SUBCLASS_OF|MEMBER_OF
// returns: one row per node that reaches a start node in one step or more along rels: id (str)
OPTIONAL MATCH (s:PmkgState {key: 'current'})
WITH coalesce($build, s.build) AS build
UNWIND $ids AS start_id
MATCH (n:PmkgNode {id: start_id, build: build})<-[:{{rels}}*1..]-(m:PmkgNode)
RETURN DISTINCT m.id AS id
