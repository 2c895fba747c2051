// params: $rows (list of map) - one map of properties per node (kg.stores.neo4j.rows.node_row), each
//   with id, build and pmkg_label; $build (str) - unused here, passed to every write of a build
// returns: nothing
// Nodes of a build are created with the internal label PmkgNode only: no schema label, so a
// researcher's MATCH (g:Gene) never sees them until show_build.cypher promotes the build.
UNWIND $rows AS row
CREATE (n:PmkgNode)
SET n = row
