// Evidence about KRAS alterations, counted by level
MATCH (:Gene {build: $build, symbol: 'KRAS'})<-[:IN_GENE]-()<-[:ABOUT]-(e:Evidence)
WHERE e.level IS NOT NULL
RETURN e.level AS level, count(DISTINCT e) AS evidence
