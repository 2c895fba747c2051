// params: $key (str) - the name of a lock held across several transactions (e.g. 'curation-step')
// returns: nothing; run in a transaction kept open while the lock is held: its write lock on the
// PmkgState node (unique by key) makes a second holder wait until the first commits or its connection drops.
MERGE (s:PmkgState {key: $key})
SET s.claims = coalesce(s.claims, 0) + 1
