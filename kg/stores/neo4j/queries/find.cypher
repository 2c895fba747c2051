// params: $key (str) - the search text, stripped and lower-cased; matches an id, name or synonym
// params: $phrase (str) - $key as a Lucene phrase on pmkg_lookup (quotes and backslashes escaped)
// params: $label (str or null) - keep only nodes with this schema label; null keeps every label
// returns: one row per matching node: props (map), labels (list)
MATCH (s:PmkgState {key: 'current'})
CALL db.index.fulltext.queryNodes('pmkg_entity_lookup', $phrase) YIELD node AS n
WITH s, n
WHERE n.build = s.build AND $key IN n.pmkg_lookup AND ($label IS NULL OR $label IN labels(n))
RETURN DISTINCT properties(n) AS props, labels(n) AS labels
