// Molecular profiles (combinations of alterations) and each of their components
MATCH (p:MolecularProfile {build: $build})-[:HAS_COMPONENT]->(c)
RETURN p.id AS profile, c.id AS component
