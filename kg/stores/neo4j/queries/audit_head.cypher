// params: none
// returns: at most one row: entries (int), hash (str) - the count and last hash recorded at each append
MATCH (h:PmkgState {key: 'audit-head'})
RETURN h.entries AS entries, h.hash AS hash
