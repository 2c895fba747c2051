// params: $build (str) - the build that becomes current
// returns: nothing
// Gives every node of the build its live labels: Entity and its schema label (from pmkg_label,
// which only pmkg writes, from kg.schema.Label).
MATCH (n:PmkgNode {build: $build})
SET n:Entity:$(n.pmkg_label)
