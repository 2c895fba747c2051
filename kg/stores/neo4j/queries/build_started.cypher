// params: $build (str) - the build that now holds the build lock
// returns: one row: status (str) - its marker's status: 'complete' when the same build is kept already
// Takes the lock for $build and leaves the marker naming it; a kept, completed build stays complete.
MATCH (l:PmkgState {key: 'lock'})
SET l.build = $build, l.heartbeat = timestamp()
MERGE (m:PmkgState {key: 'build:' + $build})
ON CREATE SET m.kind = 'build', m.build = $build, m.started_at = timestamp()
SET m.status = CASE m.status WHEN 'complete' THEN 'complete' ELSE 'writing' END
RETURN m.status AS status
