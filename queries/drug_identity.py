"""When two drug nodes name the same substance, for joining answers from different sources.

CPIC names drugs in lower case (``fluorouracil``), CIViC in title case (``Fluorouracil``), and a
drug may reach an answer under a synonym.  Every query that joins a PGx recommendation, a germline
evidence item or a warning to a therapy's drugs asks here, so the rule lives in one place: today
the node id, the name and the synonyms, compared without case; when the graph holds one ``Drug``
per substance across sources, the id alone will decide.

Never decides anything else (no fuzzy matching: a wrong join would put dosing advice on the
wrong drug).

>>> from kg.records import Node
>>> from kg.schema import Label
>>> a = Node("PMKG:drug/fluorouracil", Label.DRUG, "fluorouracil")
>>> b = Node("CIVIC.TID:1", Label.DRUG, "Fluorouracil", synonyms=("5-FU",))
>>> same_drug(a, b), "5-fu" in drug_keys(b)
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.records import Node


def name_key(name: str) -> str:
    """How a drug name is compared: case and surrounding or repeated spaces ignored."""
    return " ".join(name.split()).casefold()


def drug_keys(drug: Node) -> frozenset[str]:
    """The keys under which ``drug`` is the same substance as another node with any of them."""
    return frozenset({drug.id, name_key(drug.name), *(name_key(s) for s in drug.synonyms if s)})


def same_drug(a: Node, b: Node) -> bool:
    return bool(drug_keys(a) & drug_keys(b))


def names_drug(drug: Node, names: Iterable[str]) -> bool:
    """Whether any of ``names`` (as a user or a source spells it) is ``drug``."""
    keys = drug_keys(drug)
    return any(name_key(n) in keys for n in names)
