// params: none
// returns: one row: current (str or null) - the current build, read under the pointer lock
// Every promote, rollback and reclaim starts here, so they happen one at a time; the write takes
// the lock node's lock before anything is read.
MERGE (p:PmkgState {key: 'pointer-lock'})
SET p.claims = coalesce(p.claims, 0) + 1
WITH p
OPTIONAL MATCH (s:PmkgState {key: 'current'})
RETURN s.build AS current
