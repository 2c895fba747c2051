// Variants whose evidence spans more than 3 diseases, with the number of diseases
MATCH (v:Variant {build: $build})<-[:ABOUT]-(:Evidence)-[:IN_DISEASE]->(d:Disease)
WITH v, count(DISTINCT d) AS diseases
WHERE diseases > 3
RETURN v.id AS variant, diseases
