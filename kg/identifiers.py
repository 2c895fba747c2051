"""CURIEs: the prefixes pmkg writes and how they expand to IRIs.

Prefixes are bioregistry's (``hgnc``, ``doid``, ``civic.eid`` …), written in upper case in
ids (``HGNC:1097``).  The IRI of each is bioregistry's, pinned in :data:`BIOREGISTRY_IRIS`
(tests compare it with the installed bioregistry); the two prefixes bioregistry lacks are
declared in :data:`LOCAL_PREFIXES`.  Bioregistry itself is never imported here.

>>> split_curie("DOID:3910")
('DOID', '3910')
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from kg.errors import SchemaError
from kg.schema import LABELS, display_prefix

if TYPE_CHECKING:
    import curies

# Bioregistry's IRI of each of its prefixes the schema uses, pinned: an IRI is a node's identity in the
# RDF view and in exports, so a bioregistry release must not change it unnoticed (tests/kg/test_schema.py
# fails, naming the prefix, when the installed bioregistry disagrees), and loading the whole registry to
# read these took 0.7 s of every RDF view written.
BIOREGISTRY_IRIS: dict[str, str] = {
    "chembl.compound": "https://www.ebi.ac.uk/chembl/compound/inspect/",
    "civic.aid": "https://civicdb.org/links/assertions/",
    "civic.eid": "https://civicdb.org/links/evidence/",
    "civic.mpid": "https://civicdb.org/links/molecular_profile/",
    "civic.tid": "https://civicdb.org/links/drugs/",
    "civic.vid": "https://civicdb.org/links/variant/",
    "clinvar": "https://www.ncbi.nlm.nih.gov/clinvar/variation/",
    "dbsnp": "https://www.ncbi.nlm.nih.gov/snp/",
    "doid": "http://purl.obolibrary.org/obo/DOID_",
    "drugbank": "https://go.drugbank.com/drugs/",
    "hgnc": "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/",
    "iuphar.ligand": "http://www.guidetopharmacology.org/GRAC/LigandDisplayForward?ligandId=",
    "mondo": "http://purl.obolibrary.org/obo/MONDO_",
    "ncit": "http://purl.obolibrary.org/obo/NCIT_",
    "oncotree": "http://oncotree.mskcc.org/api/tumorTypes/search/code/",
    "pharmvar": "https://www.pharmvar.org/gene/",
    "rxnorm": "https://mor.nlm.nih.gov/RxNav/search?searchBy=RXCUI&searchTerm=",
    "so": "http://purl.obolibrary.org/obo/SO_",
}

# Namespaces bioregistry does not register; IRIs under the project's own base.
LOCAL_PREFIXES: dict[str, str] = {
    "pmkg": "https://w3id.org/pmkg/id/",
    "moalmanac": "https://moalmanac.org/api/statements/",
}


def split_curie(curie: str) -> tuple[str, str]:
    """Split ``PREFIX:local``; raise SchemaError if ``curie`` is not one."""
    prefix, sep, local = curie.partition(":")
    if not sep or not prefix or not local:
        raise SchemaError(f"{curie!r} is not a CURIE (expected PREFIX:local, e.g. HGNC:1097)")
    return prefix, local


def pmkg_id(kind: str, local: str) -> str:
    """An id in pmkg's own namespace for nodes pmkg computes (``PMKG:class/BRAF-V600``)."""
    return f"PMKG:{kind}/{local.replace(' ', '_')}"


@functools.cache
def iri_prefixes() -> dict[str, str]:
    """The IRI each prefix of the schema expands to, by the prefix as ids write it (``DOID``).

    >>> iri_prefixes()["DOID"]
    'http://purl.obolibrary.org/obo/DOID_'
    """
    table = {}
    for prefix in sorted({p for spec in LABELS.values() for p in spec.prefixes}):
        uri = LOCAL_PREFIXES.get(prefix) or BIOREGISTRY_IRIS.get(prefix)
        if uri is None:
            raise SchemaError(
                f"schema prefix {prefix!r} has no IRI: add bioregistry's "
                f"(bioregistry.get_resource({prefix!r}).get_uri_prefix()) to BIOREGISTRY_IRIS in kg/identifiers.py"
            )
        table[display_prefix(prefix)] = uri
    return table


@functools.cache
def converter() -> curies.Converter:
    """A curies converter for every prefix the schema uses (see :func:`iri_prefixes`)."""
    import curies

    return curies.Converter([curies.Record(prefix=p, uri_prefix=uri) for p, uri in iri_prefixes().items()])


def drug_id_from_name(name: str) -> str:
    """Id of a drug a source names but gives no code for; one id per name, whatever the source.

    >>> drug_id_from_name("  Dabrafenib  Mesylate ")
    'PMKG:drug/dabrafenib_mesylate'
    """
    return pmkg_id("drug", " ".join(name.lower().split()))
