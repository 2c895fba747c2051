// params: $build (str) - a build to reclaim; it must not be current (checked under the pointer lock)
// returns: at most one row: build (str) - present when the build is now marked for deletion
MATCH (m:PmkgState {key: 'build:' + $build})
WHERE m.status IN ['complete', 'deleting']
SET m.status = 'deleting'
RETURN m.build AS build
