// params: none
// returns: one row: build (str or null) - the build holding the build lock, idle (int) - ms since its last write
// Writes first, so that the read happens under this transaction's lock on the lock node.
MERGE (l:PmkgState {key: 'lock'})
SET l.claims = coalesce(l.claims, 0) + 1
RETURN l.build AS build, timestamp() - coalesce(l.heartbeat, 0) AS idle
