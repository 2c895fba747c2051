// params: $lease_ms (int) - a build lock idle this long belongs to a process that died
// returns: one row per build marked for deletion because it will never complete: build (str) - a
//   build still 'writing' that holds no live build lock, or one whose deletion was interrupted
// Touches the build lock first, so a build claiming it (claim_lock.cypher) waits for this check.
MERGE (l:PmkgState {key: 'lock'})
SET l.claims = coalesce(l.claims, 0) + 1
WITH l, l.build IS NOT NULL AND timestamp() - coalesce(l.heartbeat, 0) < $lease_ms AS live
MATCH (m:PmkgState {kind: 'build'})
WHERE m.status = 'deleting' OR (m.status = 'writing' AND NOT (live AND l.build = m.build))
SET m.status = 'deleting'
RETURN m.build AS build
