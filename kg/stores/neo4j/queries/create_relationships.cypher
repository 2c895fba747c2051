// params: $rows (list of map) - {start, end, props} per relationship (kg.stores.neo4j.rows.edge_row)
// params: $build (str) - the build both end nodes belong to
// fragments: {{rel}} - one relationship type from kg.schema.RelType
// returns: one row: written (int) - how many relationships were created (fewer: an end node is missing)
// The hints pin the composite unique index: planned against an empty database's statistics,
// the planner otherwise scans the build index and filters (25M db hits for 5k edges).
UNWIND $rows AS row
MATCH (a:PmkgNode {id: row.start, build: $build})
USING INDEX a:PmkgNode(id, build)
MATCH (b:PmkgNode {id: row.end, build: $build})
USING INDEX b:PmkgNode(id, build)
CREATE (a)-[r:{{rel}}]->(b)
SET r = row.props
RETURN count(r) AS written
