// params: $build (str) - the build giving the build lock back (nothing happens if another holds it)
// returns: nothing
MATCH (l:PmkgState {key: 'lock'})
WHERE l.build = $build
REMOVE l.build, l.heartbeat
