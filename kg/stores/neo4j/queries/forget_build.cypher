// params: $build (str) - a build whose nodes were all deleted
// returns: nothing; its marker goes too, unless a build claimed the id again meanwhile
MATCH (m:PmkgState {key: 'build:' + $build})
WHERE m.status = 'deleting'
DELETE m
