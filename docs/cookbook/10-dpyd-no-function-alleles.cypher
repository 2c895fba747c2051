// DPYD star alleles and variants with no function (the fluoropyrimidine toxicity alleles)
MATCH (a:Allele {build: $build, gene: 'DPYD', function: 'No function'})
RETURN a.id AS allele, a.name AS name
