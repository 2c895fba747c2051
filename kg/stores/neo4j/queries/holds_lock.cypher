// params: $build (str) - the build that should hold the build lock
// returns: at most one row: build (str) - present only while $build holds the lock
MATCH (l:PmkgState {key: 'lock'})
WHERE l.build = $build
RETURN l.build AS build
