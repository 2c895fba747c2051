"""When two drug nodes name the same substance, for joining answers from different sources.

CPIC names drugs in lower case (``fluorouracil``), CIViC in title case (``Fluorouracil``), and a
drug may reach an answer under a synonym.  Every query that joins a PGx recommendation, a germline
evidence item or a warning to a therapy's drugs asks here, so the rule lives in one place: today
the node id, the name and the synonyms, compared as the build compares drug names
(:func:`kg.drug_identity.name_key`: case, hyphens, ®); when the graph holds one ``Drug`` per substance
across sources, the id alone will decide.  :func:`drugs_named` is the one drug resolver: every question
that takes a drug as text (``pmkg pgx --drug``, entity lookup) asks it.

Never decides anything else (no fuzzy matching: a wrong join would put dosing advice on the
wrong drug).

>>> from kg.records import Node
>>> from kg.schema import Label
>>> a = Node("PMKG:drug/fluorouracil", Label.DRUG, "fluorouracil")
>>> b = Node("CIVIC.TID:1", Label.DRUG, "Fluorouracil", synonyms=("5-FU",))
>>> same_drug(a, b), "5 fu" in drug_keys(b)
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.drug_identity import active_moiety, name_key
from kg.records import Node
from kg.schema import Label
from kg.stores.port import Store

__all__ = ["drug_keys", "drugs_named", "name_key", "names_drug", "same_drug"]


def drug_keys(drug: Node) -> frozenset[str]:
    """The keys under which ``drug`` is the same substance as another node with any of them."""
    return frozenset({drug.id, name_key(drug.name), *(name_key(s) for s in drug.synonyms if s)})


def same_drug(a: Node, b: Node) -> bool:
    return bool(drug_keys(a) & drug_keys(b))


def names_drug(drug: Node, names: Iterable[str]) -> bool:
    """Whether any of ``names`` (as a user or a source spells it) is ``drug``."""
    keys = drug_keys(drug)
    return any(name_key(n) in keys for n in names)


def drugs_named(store: Store, text: str) -> list[Node]:
    """The drugs ``text`` names, sorted by id: by id, name or synonym (any case); else as the build compares
    names (:func:`kg.drug_identity.name_key`: ``5 FU`` is 5-FU), or by the active moiety of a salt form
    (``imatinib mesylate`` is imatinib).  The fallback reads every drug: it runs only when the text is no name."""
    wanted = " ".join(text.split())
    found = store.find(wanted, Label.DRUG) if wanted else []
    if not found and wanted:
        key = name_key(wanted)
        keys = {key, *filter(None, [active_moiety(key)])}
        found = [d for d in store.nodes_with_label(Label.DRUG) if drug_keys(d) & keys]
    return sorted(found, key=lambda d: d.id)
