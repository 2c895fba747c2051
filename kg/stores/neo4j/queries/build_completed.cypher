// params: $build (str) - the build now completely written; $manifest (str) - its BuildManifest as JSON
// params: $finished_at (str) - the manifest's finished_at, for ordering kept builds
// returns: nothing
MATCH (m:PmkgState {key: 'build:' + $build})
SET m.status = 'complete', m.manifest = $manifest, m.finished_at = $finished_at, m.completed_at = timestamp()
