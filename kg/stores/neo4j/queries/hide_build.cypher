// params: $build (str) - the build that stops being current
// returns: nothing
// Takes the live labels (Entity and its schema label) off every node of the build: kept builds
// stay under the internal label PmkgNode only, out of researchers' label-based queries.
MATCH (n:PmkgNode {build: $build})
REMOVE n:Entity:$(n.pmkg_label)
