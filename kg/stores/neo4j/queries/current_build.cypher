// params: none
// returns: at most one row: manifest (str) - JSON of the current build's BuildManifest,
//   layout (int or null) - how builds are stored (null: written by a pmkg before kept builds)
MATCH (s:PmkgState {key: 'current'})
RETURN s.manifest AS manifest, s.layout AS layout
