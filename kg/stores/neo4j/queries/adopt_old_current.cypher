// params: $layout (int) - the current layout (kg.stores.neo4j.builds.LAYOUT)
// returns: at most one row: current (str) - present when the pointer was written before builds were
//   kept; its build becomes a kept, complete build and stays current
MATCH (s:PmkgState {key: 'current'})
WHERE s.layout IS NULL
SET s.layout = $layout
MERGE (c:PmkgState {key: 'build:' + s.build})
ON CREATE SET c.kind = 'build', c.build = s.build
SET c.status = 'complete', c.manifest = s.manifest, c.completed_at = coalesce(c.completed_at, timestamp())
RETURN s.build AS current
