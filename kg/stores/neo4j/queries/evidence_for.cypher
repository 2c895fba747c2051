// params: $ids (list of str) - ids of the nodes evidence is about (variants, classes, profiles, genes)
// returns: one row per (target, evidence) pair, e -[:ABOUT]-> target: target (str), props (map), labels (list)
MATCH (s:PmkgState {key: 'current'})
UNWIND $ids AS target_id
MATCH (n:Entity {id: target_id, build: s.build})<-[:ABOUT]-(e:Evidence)
RETURN DISTINCT n.id AS target, properties(e) AS props, labels(e) AS labels
