// params: $ids (list of str) - the start nodes' ids
// fragments: {{rels}} - relationship types from kg.schema.RelType joined with |, e.g. SUBCLASS_OF|MEMBER_OF
// returns: one row per node reachable from a start node in one step or more along outgoing rels: id (str)
MATCH (s:PmkgState {key: 'current'})
UNWIND $ids AS start_id
MATCH (n:Entity {id: start_id, build: s.build})-[:{{rels}}*1..]->(m:Entity)
RETURN DISTINCT m.id AS id
