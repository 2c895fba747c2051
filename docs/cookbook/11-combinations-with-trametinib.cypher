// Combination therapies that include trametinib, and their other drugs
MATCH (t:Therapy {build: $build})-[:HAS_COMPONENT]->(d:Drug)
WHERE toLower(d.name) = 'trametinib'
MATCH (t)-[:HAS_COMPONENT]->(other:Drug)
WHERE other <> d
RETURN DISTINCT t.name AS therapy, other.name AS partner
