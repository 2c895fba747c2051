// params: $id (str) - the node whose neighbours are wanted
// fragments: {{rel}} - one relationship type from kg.schema.RelType
// returns: one row per neighbour m (n -[rel]-> m): props (map), labels (list)
MATCH (s:PmkgState {key: 'current'})
MATCH (n:Entity {id: $id, build: s.build})-[:{{rel}}]->(m:Entity)
RETURN DISTINCT properties(m) AS props, labels(m) AS labels
