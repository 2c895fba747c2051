// params: none
// returns: one row per marker written before builds were kept (no status) other than the current
//   build's: build (str); each is marked 'deleting' (an interrupted build that never completed)
MATCH (m:PmkgState {kind: 'build'})
WHERE m.status IS NULL
SET m.status = 'deleting'
RETURN m.build AS build
