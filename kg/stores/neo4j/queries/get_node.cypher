// params: $id (str) - the node's CURIE id
// returns: at most one row: props (map) - the node's properties, labels (list) - its labels
MATCH (s:PmkgState {key: 'current'})
MATCH (n:Entity {id: $id, build: s.build})
RETURN properties(n) AS props, labels(n) AS labels
