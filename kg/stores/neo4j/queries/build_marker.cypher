// params: $build (str) - a build id
// returns: at most one row: status (str), manifest (str or null, JSON)
MATCH (m:PmkgState {key: 'build:' + $build})
RETURN m.status AS status, m.manifest AS manifest
