// params: $seq (int), $hash (str), $entry (str, JSON) - the next audit entry
// returns: nothing; the entry node is created and the head records it
MATCH (h:PmkgState {key: 'audit-head'})
CREATE (:PmkgAudit {seq: $seq, hash: $hash, entry: $entry})
SET h.entries = $seq, h.hash = $hash
