// Drugs with both a CPIC dosing recommendation and cancer evidence (alone or in a combination)
MATCH (:Recommendation {build: $build})-[:FOR_DRUG]->(d:Drug)<-[:HAS_COMPONENT]-(:Therapy)<-[:WITH_THERAPY]-(:Evidence)
RETURN DISTINCT d.name AS drug
