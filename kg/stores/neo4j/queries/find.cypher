// params: $key (str) - the search text, stripped and lower-cased; matches an id, name or synonym
// params: $phrase (str) - $key as a Lucene phrase on pmkg_lookup (quotes and backslashes escaped)
// params: $label (str or null) - keep only nodes with this schema label; null keeps every label
// params: $build (str or null) - the build to read; null reads the current build
// returns: one row per matching node: props (map)
OPTIONAL MATCH (s:PmkgState {key: 'current'})
WITH coalesce($build, s.build) AS build
CALL db.index.fulltext.queryNodes('pmkg_node_lookup', $phrase) YIELD node AS n
WITH build, n
WHERE n.build = build AND $key IN n.pmkg_lookup AND ($label IS NULL OR n.pmkg_label = $label)
RETURN DISTINCT properties(n) AS props
