// params: $key (str) - the search text, stripped and lower-cased; matches an id, name or synonym
// params: $label (str or null) - keep only nodes with this schema label; null keeps every label
// returns: one row per matching node: props (map), labels (list)
MATCH (s:PmkgState {key: 'current'})
MATCH (:PmkgAlias {key: $key, build: s.build})-[:ALIAS_OF]->(n:Entity)
WHERE $label IS NULL OR $label IN labels(n)
RETURN DISTINCT properties(n) AS props, labels(n) AS labels
