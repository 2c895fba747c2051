// params: $label (str) - a schema label (kg.schema.Label); every node of the current build with it
// returns: one row per node: props (map), labels (list)
MATCH (s:PmkgState {key: 'current'})
MATCH (n:Entity {build: s.build})
WHERE $label IN labels(n)
RETURN properties(n) AS props, labels(n) AS labels
