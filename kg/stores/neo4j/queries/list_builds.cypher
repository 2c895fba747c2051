// params: none
// returns: one row per completed, kept build: build (str), manifest (str, JSON), current (bool),
//   completed_ms (int) - when it was completely written (ms since the epoch)
OPTIONAL MATCH (s:PmkgState {key: 'current'})
MATCH (m:PmkgState {kind: 'build', status: 'complete'})
RETURN m.build AS build, m.manifest AS manifest, coalesce(m.build = s.build, false) AS current,
       coalesce(m.completed_at, 0) AS completed_ms
