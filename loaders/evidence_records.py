"""Records that clinical-evidence loaders share: targets, class memberships, therapies, profiles.

MOAlmanac and CGI (like CIViC) describe the same things their own way: a BRAF V600E, an
ERBB2 amplification, "Dabrafenib + Trametinib", "Responsive".  This module turns the
normalised parts into graph records once, so the same alteration or therapy from two
sources lands on one node:

* :class:`Target` — the node an ``Evidence -[:ABOUT]->`` points at: a Variant (ids from
  :mod:`kg.variants`) with the facts :mod:`kg.variant_classes` needs, or a VariantClass
  carrying its :class:`~kg.variant_classes.ClassRule` (so readers can test patients'
  variants against it);
* :class:`Memberships` — collects a source's classes and concrete variants and, at the end,
  yields ``MEMBER_OF`` edges computed by the class rules (as the CIViC loader does);
* :func:`therapy_records` — a ``Therapy`` (one drug or a combination) and its ``Drug``
  components, with CIViC's id convention (``PMKG:therapy/dabrafenib+trametinib``; drugs
  ``NCIT:C…`` when the source codes them, else ``PMKG:drug/<lower-case name>``);
* :func:`profile_records` — a ``MolecularProfile`` whose ``expression`` (``AND``/``OR``/``NOT``
  over node ids) :func:`kg.variants.evaluate_profile` decides, with :func:`kg.variants.profile_id`.

Normalised tiers (DESIGN.md "Rank"): 1 approved or guideline, 2 clinical evidence (trials and
other clinical studies), 3 case report, 4 preclinical, 5 inferential.  It reads no files.

>>> therapy_id(["Trametinib", "dabrafenib"])
'PMKG:therapy/dabrafenib+trametinib'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from kg.identifiers import pmkg_id
from kg.records import Edge, Node, PropValue, Provenance, Record
from kg.schema import Label, RelType
from kg.variant_classes import ClassCatalog, ClassRule, VariantFacts, class_node, classify, hierarchy
from kg.variants import profile_id

# Significance values, spelled like the CIViC loader's (CIViC's clinical significance, lower-cased).
SENSITIVITY = "sensitivity"
RESISTANCE = "resistance"
ADVERSE_RESPONSE = "adverse response"
BETTER_OUTCOME = "better outcome"
POOR_OUTCOME = "poor outcome"
POSITIVE = "positive"

# Evidence direction, as CIViC spells it.
SUPPORTS = "supports"
DOES_NOT_SUPPORT = "does not support"


def clean_text(text: str) -> str:
    """Collapse whitespace (including non-breaking spaces) and trim."""
    return " ".join(text.replace("\xa0", " ").split())


def safe_label(text: str) -> str:
    """A class label without characters an IRI may not hold (``TPS >= 50%`` → ``TPS ge 50pct``)."""
    for bad, good in ((">=", " ge "), ("<=", " le "), (">", " gt "), ("<", " lt "), ("%", "pct")):
        text = text.replace(bad, good)
    return clean_text(re.sub(r'["{}|\\^`]', "", text))


# ---------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
    """What an Evidence is about: one Variant or VariantClass node and the genes it lies in."""

    id: str
    label: Label
    name: str
    synonyms: tuple[str, ...] = ()
    props: Mapping[str, PropValue] = field(default_factory=dict)
    genes: tuple[tuple[str, str], ...] = ()  # (HGNC id, approved symbol)
    rule: ClassRule | None = None  # a VariantClass's rule
    facts: VariantFacts | None = None  # what is known of a concrete Variant

    def records(self, provenance: tuple[Provenance, ...]) -> Iterator[Record]:
        """The target node, minimal nodes of its genes and its IN_GENE edges."""
        for hgnc_id, symbol in self.genes:
            yield gene_node(hgnc_id, symbol, provenance)
        if self.rule is not None:
            yield class_node(self.rule, provenance, synonyms=self.synonyms, props=self.props)
        else:
            yield Node(self.id, self.label, self.name, self.synonyms, dict(self.props), provenance)
        for hgnc_id, _ in self.genes:
            yield Edge(self.id, RelType.IN_GENE, hgnc_id, provenance=provenance)


def gene_node(hgnc_id: str, symbol: str, provenance: tuple[Provenance, ...]) -> Node:
    """A minimal Gene node (the genes loader owns the full one)."""
    return Node(hgnc_id, Label.GENE, symbol, props={"symbol": symbol}, provenance=provenance)


def variant_target(
    variant_id: str,
    name: str,
    genes: Sequence[tuple[str, str]],
    *,
    synonyms: Sequence[str] = (),
    props: Mapping[str, PropValue] | None = None,
    facts: VariantFacts | None = None,
) -> Target:
    return Target(variant_id, Label.VARIANT, name, _unique(synonyms, name), dict(props or {}), tuple(genes),
                  facts=facts)  # fmt: skip


def class_target(
    rule: ClassRule,
    genes: Sequence[tuple[str, str]],
    *,
    synonyms: Sequence[str] = (),
    props: Mapping[str, PropValue] | None = None,
) -> Target:
    """A VariantClass target; its node carries ``rule.props()`` plus ``props``."""
    return Target(rule.id, Label.VARIANT_CLASS, rule.name, _unique(synonyms, rule.name), dict(props or {}),
                  tuple(genes), rule=rule)  # fmt: skip


def _unique(values: Sequence[str], name: str) -> tuple[str, ...]:
    seen = {name}
    out: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.add(value)
            out.append(value)
    return tuple(out)


class Memberships:
    """A source's classes and concrete variants, and the ``MEMBER_OF`` edges the rules give them.

    Call :meth:`add` for every target written; after the last one, :meth:`edges` yields
    ``variant -[:MEMBER_OF]-> class`` for the source's own classes (like the CIViC loader:
    ``implied=False``, so a source only files variants under classes it names) and
    ``class -[:MEMBER_OF]-> broader class`` among them.  A copy-number variant also gets its
    copy-number class (``ERBB2 amplification``), which :meth:`add` returns to be written.
    """

    def __init__(self) -> None:
        self.catalog = ClassCatalog()
        self._class_provenance: dict[str, tuple[Provenance, ...]] = {}
        self._variants: dict[str, tuple[VariantFacts, tuple[Provenance, ...]]] = {}

    def add(self, target: Target, provenance: tuple[Provenance, ...]) -> list[Record]:
        if target.rule is not None:
            self._class(target.rule, provenance)
        if target.facts is None or target.id in self._variants:
            return []
        self._variants[target.id] = (target.facts, provenance[:1])
        facts = target.facts
        if not facts.copy_number:
            return []
        rule = ClassRule(facts.gene, "copy_number", facts.copy_number, direction=facts.copy_number)
        if rule.id in self._class_provenance:
            return []
        self._class(rule, provenance)
        return list(class_target(rule, target.genes).records(provenance))

    def _class(self, rule: ClassRule, provenance: tuple[Provenance, ...]) -> None:
        self.catalog.add(rule)
        self._class_provenance.setdefault(rule.id, provenance[:1])

    def edges(self) -> Iterator[Edge]:
        for variant_id, (facts, provenance) in self._variants.items():
            for rule in classify(facts, self.catalog.for_facts(facts), implied=False):
                yield Edge(variant_id, RelType.MEMBER_OF, rule.id, provenance=provenance)
        for narrow, broad in hierarchy(self.catalog):
            yield Edge(narrow.id, RelType.MEMBER_OF, broad.id, provenance=self._class_provenance[narrow.id])


# ---------------------------------------------------------------------------- therapies


@dataclass(frozen=True)
class DrugRef:
    """One drug as a source names it, with its id if the source gives one (``NCIT:C82386``)."""

    name: str
    curie: str = ""
    brand_names: tuple[str, ...] = ()  # as a regulatory document names the product (``Tafinlar``)

    @property
    def id(self) -> str:
        return self.curie or drug_id(self.name)


def drug_key(name: str) -> str:
    """A drug name as pmkg ids spell it: lower case, single spaces (the CIViC loader's ``_slug``)."""
    return clean_text(name).lower()


def drug_id(name: str) -> str:
    """Id of a drug the source gives no code for: ``PMKG:drug/<lower-case name>``."""
    return pmkg_id("drug", drug_key(name))


def therapy_id(drug_names: Sequence[str]) -> str:
    """Id of a therapy from its drugs' names, order-free: ``PMKG:therapy/dabrafenib+trametinib``."""
    return pmkg_id("therapy", "+".join(sorted({drug_key(n) for n in drug_names})))


def drug_class_therapy_id(classes: Sequence[str]) -> str:
    """Id of a therapy named only by drug classes (CGI: ``BRAF inhibitor + EGFR mAb inhibitor``)."""
    return pmkg_id("therapy", "class:" + "+".join(drug_key(c) for c in classes))


def therapy_records(
    drugs: Sequence[DrugRef], provenance: tuple[Provenance, ...], *, props: Mapping[str, PropValue] | None = None
) -> tuple[str, list[Record]]:
    """A Therapy of one or more drugs (a combination), its Drug nodes and HAS_COMPONENT edges."""
    unique = list({drug.id: drug for drug in drugs}.values())
    ordered = sorted(unique, key=lambda d: drug_key(d.name))
    tid = therapy_id([d.name for d in unique])
    names = [clean_text(d.name) for d in ordered]
    therapy_props: dict[str, PropValue] = {
        "interaction": "combination" if len(unique) > 1 else "single",
        "drug_count": len(unique),
        "drugs": names,
        **(props or {}),
    }
    records: list[Record] = []
    for drug in unique:
        drug_props: dict[str, PropValue] = {"ncit_id": drug.curie.removeprefix("NCIT:")} if drug.curie.startswith(
            "NCIT:") else {}  # fmt: skip
        if drug.brand_names:
            drug_props["brand_names"] = list(drug.brand_names)
        records.append(Node(drug.id, Label.DRUG, clean_text(drug.name), drug.brand_names, drug_props, provenance))
    records.append(Node(tid, Label.THERAPY, " + ".join(names), props=therapy_props, provenance=provenance))
    records.extend(Edge(tid, RelType.HAS_COMPONENT, d.id, provenance=provenance) for d in unique)
    return tid, records


# ---------------------------------------------------------------------------- profiles


@dataclass(frozen=True)
class ProfilePart:
    """One conjunct of a molecular profile: any of ``alternatives`` (OR), or none of them if ``negated``."""

    alternatives: tuple[Target, ...]
    negated: bool = False

    def term(self, text: Mapping[str, str]) -> str:
        ids = sorted({t.id for t in self.alternatives})
        inner = text.get(ids[0], ids[0]) if len(ids) == 1 else "( " + " OR ".join(text.get(i, i) for i in ids) + " )"
        return f"NOT {inner}" if self.negated else inner


def profile_records(parts: Sequence[ProfilePart], provenance: tuple[Provenance, ...]) -> tuple[str, list[Record]]:
    """A MolecularProfile that holds when every part holds, with its components' records.

    The ``expression`` property is a boolean expression over node ids (what
    :func:`kg.variants.evaluate_profile` reads); the id comes from :func:`kg.variants.profile_id`
    over the sorted conjuncts, so the same combination from any source is one node.
    """
    names = {t.id: t.name for part in parts for t in part.alternatives}
    conjuncts = sorted({part.term({}): part for part in parts}.items())
    expression = " AND ".join(term for term, _ in conjuncts)
    name = " AND ".join(part.term(names) for _, part in conjuncts)
    components = sorted({t.id for part in parts for t in part.alternatives})
    records: list[Record] = []
    for part in parts:
        for target in part.alternatives:
            records.extend(target.records(provenance))
    pid = profile_id(expression)
    props: dict[str, PropValue] = {"expression": expression, "components": components}
    records.append(Node(pid, Label.MOLECULAR_PROFILE, name, props=props, provenance=provenance))
    records.extend(Edge(pid, RelType.HAS_COMPONENT, c, provenance=provenance) for c in components)
    return pid, records
