// params: $build (str) - the build that should hold the build lock
// returns: at most one row: build (str) - present only while $build holds the lock, whose lease is renewed
MATCH (l:PmkgState {key: 'lock'})
WHERE l.build = $build
SET l.heartbeat = timestamp()
RETURN l.build AS build
