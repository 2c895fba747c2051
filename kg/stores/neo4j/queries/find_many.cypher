// params: $items (list of maps) - {key, phrase} per text, as for find.cypher: key stripped and lower-cased,
//         phrase the key as a Lucene phrase on pmkg_lookup
// params: $label (str or null) - keep only nodes with this schema label; null keeps every label
// params: $build (str or null) - the build to read; null reads the current build
// returns: one row per key that names at least one node: key (str), found (list of props maps)
OPTIONAL MATCH (s:PmkgState {key: 'current'})
WITH coalesce($build, s.build) AS build
UNWIND $items AS item
CALL db.index.fulltext.queryNodes('pmkg_node_lookup', item.phrase) YIELD node AS n
WITH build, item, n
WHERE n.build = build AND item.key IN n.pmkg_lookup AND ($label IS NULL OR n.pmkg_label = $label)
RETURN item.key AS key, collect(DISTINCT properties(n)) AS found
