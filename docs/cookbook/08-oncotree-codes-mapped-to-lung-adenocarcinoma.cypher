// Disease terms mapped onto lung adenocarcinoma (DOID:3910), and the method of each mapping (a relationship property)
MATCH (o:Disease {build: $build})-[m:MAPS_TO]->(:Disease {build: $build, id: 'DOID:3910'})
RETURN o.id AS term, m.method AS method
