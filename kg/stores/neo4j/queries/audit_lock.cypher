// params: none
// returns: one row: entry (str or null) - the last audit entry, read under the audit lock
// Appends happen one at a time: the write takes the head node's lock before anything is read.
MERGE (h:PmkgState {key: 'audit-head'})
SET h.claims = coalesce(h.claims, 0) + 1
WITH h
OPTIONAL MATCH (a:PmkgAudit)
WITH a ORDER BY a.seq DESC LIMIT 1
RETURN a.entry AS entry
