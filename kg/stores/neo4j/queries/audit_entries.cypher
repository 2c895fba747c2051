// params: none
// returns: one row per curation audit entry, oldest first: entry (str, JSON)
// Audit entries are PmkgAudit nodes: never part of a build's data, never relabelled or reclaimed.
MATCH (a:PmkgAudit)
RETURN a.entry AS entry
ORDER BY a.seq
