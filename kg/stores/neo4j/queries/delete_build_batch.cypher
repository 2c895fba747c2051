// params: $build (str) - the build whose nodes go; $limit (int) - nodes per transaction
// params: $status (str) - delete only while the build's marker has this status ('deleting', or
//   'writing' for a build clearing the leftovers of its own interrupted attempt)
// returns: one row: deleted (int) - nodes deleted (0 when the marker's status changed)
// Touching the marker first takes its write lock, so the status is read under it: a build that
// claims this id (build_started.cypher) waits for this batch or stops the deletion.
MATCH (m:PmkgState {key: 'build:' + $build})
SET m.touched = timestamp()
WITH m
WHERE m.status = $status
OPTIONAL MATCH (n:PmkgNode {build: $build})
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(n) AS deleted
