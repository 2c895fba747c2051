// params: $limit (int) - nodes per transaction
// returns: one row: upgraded (int) - nodes of a database written before builds were kept (schema
//   label and Entity, no pmkg_label) given the internal label PmkgNode and their pmkg_label
MATCH (n:Entity)
WHERE n.pmkg_label IS NULL
WITH n LIMIT $limit
SET n:PmkgNode, n.pmkg_label = head([label IN labels(n) WHERE label <> 'Entity' AND label <> 'PmkgNode'])
RETURN count(n) AS upgraded
