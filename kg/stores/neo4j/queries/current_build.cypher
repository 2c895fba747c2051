// params: none
// returns: at most one row: manifest (str) - JSON of the current build's BuildManifest
MATCH (s:PmkgState {key: 'current'})
RETURN s.manifest AS manifest
