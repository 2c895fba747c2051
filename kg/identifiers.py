"""CURIEs: the prefixes pmkg writes and how they expand to IRIs.

Prefixes are bioregistry's (``hgnc``, ``doid``, ``civic.eid`` …), written in upper case in
ids (``HGNC:1097``).  Bioregistry supplies the IRI of each prefix; the two it lacks are
declared in :data:`LOCAL_PREFIXES`.  Bioregistry is imported only when an IRI is needed
(RDF export), never at import time.

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
def converter() -> curies.Converter:
    """A curies converter for every prefix the schema uses, with bioregistry's IRIs."""
    import bioregistry
    import curies

    records = []
    for prefix in sorted({p for spec in LABELS.values() for p in spec.prefixes}):
        uri = LOCAL_PREFIXES.get(prefix)
        if uri is None:
            resource = bioregistry.get_resource(prefix)
            uri = resource.get_uri_prefix() if resource else None
        if uri is None:
            raise SchemaError(f"bioregistry has no IRI for schema prefix {prefix!r}")
        records.append(curies.Record(prefix=display_prefix(prefix), uri_prefix=uri))
    return curies.Converter(records)


def drug_id_from_name(name: str) -> str:
    """Id of a drug a source names but gives no code for; one id per name, whatever the source.

    >>> drug_id_from_name("  Dabrafenib  Mesylate ")
    'PMKG:drug/dabrafenib_mesylate'
    """
    return pmkg_id("drug", " ".join(name.lower().split()))
