// params: none
// returns: one row per label that has nodes in the current build: label (str), count (int)
MATCH (s:PmkgState {key: 'current'})
MATCH (n:Entity {build: s.build})
UNWIND labels(n) AS label
WITH label
WHERE label <> 'Entity'
RETURN label, count(*) AS count
