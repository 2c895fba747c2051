// params: $build (str) - the build that answers from now on; $manifest (str) - its BuildManifest as JSON
// params: $layout (int) - how builds are stored (kg.stores.neo4j.store.LAYOUT)
// returns: nothing
MERGE (s:PmkgState {key: 'current'})
SET s.build = $build, s.manifest = $manifest, s.layout = $layout, s.promoted_at = timestamp()
