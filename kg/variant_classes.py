"""Variant classes: the rules that put a concrete variant into the classes evidence is written against.

Call these from any loader (and, once moved under ``kg``, from the query layer):

``classify(facts, catalog=(), *, implied=True) -> list[ClassRule]``
    The classes a variant belongs to.  ``facts`` is a :class:`VariantFacts` (gene symbol,
    protein change, SO consequence names, fusion partners, copy-number event, genomic
    position: give what you know).  ``catalog`` holds source-defined classes (``KRAS
    G12/G13``, ``EGFR exon 19 deletion`` with CIViC's coordinates …), each tested with
    :meth:`ClassRule.matches`.  ``implied=True`` adds the classes the facts imply on their
    own (codon, exon from :data:`EXON_TABLE`, gene-level mutation, truncating, fusion,
    copy-number), so two sources meet in one class node without knowing each other.
``membership_records(variant_id, facts, provenance, catalog=(), *, implied=True) -> list[Record]``
    The same as graph records: one ``VariantClass`` node per class, ``variant
    -[:MEMBER_OF]-> class`` and ``class -[:MEMBER_OF]-> broader class`` edges.
``parse_class_name(gene, text, variant_types=()) -> ClassRule | None``
    A class written as text (``V600``, ``EXON 19 DELETION``, ``ALK FUSIONS``,
    ``AMPLIFICATION``, ``LOSS-OF-FUNCTION``…); None if the text names no class.
``ClassRule.props()`` / ``ClassRule.from_props(gene, props)``
    A class node carries its rule, so a reader of the graph can test any variant against the
    classes already stored without re-reading the source.

>>> braf = VariantFacts("BRAF", protein_change="V600E", consequences=("missense_variant",))
>>> [rule.name for rule in classify(braf)]
['BRAF V600', 'BRAF mutation']
>>> egfr = VariantFacts("EGFR", protein_change="E746_A750del")
>>> [rule.name for rule in classify(egfr) if rule.class_type == "exon"]
['EGFR exon 19 mutation', 'EGFR exon 19 deletion']

Rules never guess: a class whose extent is unknown (``BRAF exon 15 mutation`` with no
range, ``ERBB2 kinase domain mutation``, an expression class) gets no members by rule.

**Gene-level classes.**  A gene-level class stands for the variants a source considers
functional, not for every change of the gene, so a variant joins one by rule only where that is
justified.  What the rules can tell about one variant (:func:`variant_effect`):

- *truncating*: nonsense, frameshift, or canonical splice (±1/±2 intronic; SO
  ``splice_donor_variant``/``splice_acceptor_variant``), as OncoKB counts "truncating mutations";
- *loss*: truncating, or start lost, exon loss, transcript ablation, a deep deletion;
- *hotspot* (read by :func:`kg.variant_effects.variant_effect`, like the rest of this list): a
  missense change at a recurrent cancer hotspot residue (:mod:`kg.hotspots`,
  cancerhotspots.org v2) whose reference residue agrees;
- *ITD*: an internal tandem duplication (``FLT3 ITD``: an activating event by definition);
- *cited in-frame*: an in-frame change inside a source-cited exon range (:data:`EXON_TABLE`:
  EGFR exon 19 deletions, exon 20 insertions, KIT exon 11);
- *pathogenic*: a source calls the variant itself pathogenic (ClinVar): ``VariantFacts.pathogenic``;
- whether the gene *acts by loss*: the graph holds a loss-kind class of it that evidence is
  written against (loss of function, truncating, deletion …): ``VariantFacts.acts_by_loss``, set
  by the query layer from the graph (a loader that cannot know it leaves it False: fewer members).

The rule per kind of gene-level class (``ClassRule.effect``):

=====================  ======================================================================
``any``                "mutation", "alteration", "oncogenic mutation": hotspot, ITD, cited
                       in-frame, pathogenic, or loss in a gene that acts by loss.  A missense
                       change elsewhere (BRCA2 N372H, ALK I1461V, TP53 P72R) and a truncating
                       change of a gene that does not act by loss (BRAF R509*) are not members:
                       they are variants of unknown significance in an actionable gene.
``gain_of_function``   "activating mutation", "gain of function", and a "mutation" class the
                       source types ``gain_of_function_variant`` (CIViC's FLT3 MUTATION):
                       hotspot, ITD, cited in-frame, or pathogenic in a gene that does not act
                       by loss; never a truncating or other loss change.
``loss_of_function``   "loss of function", "inactivating", "deleterious", and a "mutation" class
                       typed ``loss_of_function_variant``: loss, or a hotspot or pathogenic change
                       in a gene that acts by loss.
``truncating``         truncating.  ``frameshift``: frameshift.  ``itd``: ITDs.
``biallelic``          never by rule (it needs both alleles).
=====================  ======================================================================

Codon, exon and region classes keep every non-silent change inside the extent their source
gives (NPM1 exon 12 mutations are frameshifts): the source named the region.  Synonymous
changes are members of nothing.  These rules decide the memberships pmkg computes; a class
hierarchy edge never makes a truncating class part of "mutation".

>>> [rule.name for rule in classify(VariantFacts("BRAF", protein_change="R509*"))]
['BRAF truncating mutation', 'BRAF loss of function']
>>> [rule.name for rule in classify(VariantFacts("BRCA2", protein_change="N372H")) if rule.class_type == "gene_class"]
[]

This module imports ``kg`` only; what a variant does is read in :mod:`kg.variant_effects`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from kg.errors import SchemaError
from kg.records import Edge, Node, PropValue, Provenance, Record
from kg.schema import Label, RelType
from kg.variant_effects import DELETION_TERMS as DELETION_TERMS
from kg.variant_effects import EXON_TABLE as EXON_TABLE
from kg.variant_effects import FRAMESHIFT_TERMS as FRAMESHIFT_TERMS
from kg.variant_effects import FUSION_TERMS as FUSION_TERMS
from kg.variant_effects import INSERTION_TERMS as INSERTION_TERMS
from kg.variant_effects import ITD_REGIONS as ITD_REGIONS
from kg.variant_effects import NONSILENT_TERMS as NONSILENT_TERMS
from kg.variant_effects import Region as Region
from kg.variant_effects import VariantFacts as VariantFacts
from kg.variant_effects import internal_tandem_duplication as internal_tandem_duplication
from kg.variant_effects import variant_effect as variant_effect
from kg.variants import ProteinChange, class_id, parse_protein_change

# The class types, and how specific a match through each is (lower is more specific), for ranking.
SPECIFICITY: dict[str, int] = {
    "codon": 1, "allele_set": 1, "protein_region": 2, "exon": 2, "domain": 3, "gene_class": 4, "fusion": 4,
    "copy_number": 4, "expression": 5, "epigenetic": 5, "wild_type": 5, "other": 5,
}  # fmt: skip
_CODON_KINDS = frozenset({"substitution", "delins"})


@dataclass(frozen=True, slots=True)
class ClassRule:
    """One variant class and the rule deciding its members (see :meth:`matches`)."""

    gene: str
    class_type: str
    label: str
    positions: tuple[int, ...] = ()
    refs: tuple[str, ...] = ()
    alleles: tuple[str, ...] = ()
    exons: tuple[int, ...] = ()
    protein_start: int = 0
    protein_end: int = 0
    range_source: str = ""
    region: Region | None = None
    edit: str = ""  # exon/region classes: deletion, insertion, mutation, frameshift, exon_loss, skipping
    effect: str = ""  # gene classes: any, truncating, frameshift, loss_of_function, gain_of_function, itd, biallelic
    direction: str = ""  # copy number: amplification, gain, deletion, loss, any; expression: over, under, any
    partner: str = ""  # fusion classes of one partner pair

    @property
    def id(self) -> str:
        return class_id(self.gene, self.label)

    @property
    def name(self) -> str:
        return f"{self.gene} {self.label}"

    @property
    def specificity(self) -> int:
        return SPECIFICITY.get(self.class_type, 5)

    def matches(self, facts: VariantFacts, change: ProteinChange | None = None) -> bool:
        """Whether a variant with these facts is a member (``change``: its parsed protein change)."""
        kind = self.class_type
        if kind == "fusion":
            pair = facts.fusion
            if pair is None or self.gene not in pair:
                return False
            return not self.partner or self.partner == (pair[1] if pair[0] == self.gene else pair[0])
        if facts.gene != self.gene:
            return False
        if kind == "codon":
            if change is None or change.kind not in _CODON_KINDS or change.start not in self.positions:
                return False
            ref = self.refs[self.positions.index(change.start)] if self.refs else ""
            return not ref or ref == change.ref
        if kind == "allele_set":
            return change is not None and change.text in self.alleles
        if kind in ("exon", "protein_region"):
            inside = bool(
                change is not None
                and self.protein_start
                and change.kind != "position"
                and self.protein_start <= change.start
                and change.end <= self.protein_end
            )
            if not inside and self.region is not None and facts.position is not None:
                inside = self.region.contains(facts.position)
            return inside and _edit_fits(self.edit, change, facts)
        if kind == "gene_class":
            return _effect_fits(self.effect, change, facts)
        if kind == "copy_number":
            return bool(facts.copy_number) and _copy_number_fits(self.direction, facts.copy_number)
        return False

    def props(self) -> dict[str, PropValue]:
        """Node properties that describe this class and let :meth:`from_props` rebuild it."""
        out: dict[str, PropValue] = {"class_type": self.class_type, "gene": self.gene, "class_label": self.label}
        for name, prop in _RULE_PROPS.items():
            value = getattr(self, name)
            if value:
                out[prop] = list(value) if isinstance(value, tuple) else value
        if self.region is not None:
            out |= {f"region_{key}": getattr(self.region, key) for key in ("assembly", "chromosome", "start", "stop")}
        return out

    @classmethod
    def from_props(cls, props: Mapping[str, Any]) -> ClassRule:
        """The rule a stored ``VariantClass`` node describes (see :meth:`props`)."""
        try:
            values: dict[str, Any] = {"gene": str(props["gene"]), "class_type": str(props["class_type"]),
                                      "label": str(props["class_label"])}  # fmt: skip
            for name, prop in _RULE_PROPS.items():
                if prop in props:
                    kind = type(getattr(_EMPTY_RULE, name))
                    item = int if name in ("positions", "exons") else str
                    values[name] = tuple(item(v) for v in props[prop]) if kind is tuple else kind(props[prop])
            if "region_start" in props:
                values["region"] = Region(str(props["region_assembly"]), str(props["region_chromosome"]),
                                          int(props["region_start"]), int(props["region_stop"]))  # fmt: skip
            return cls(**values)
        except (KeyError, ValueError, TypeError) as exc:
            raise SchemaError(f"VariantClass properties do not describe a class rule: {exc!r}") from None


# Rule fields and the node properties that hold them (the region is stored as region_* properties).
_RULE_PROPS = {
    "positions": "positions", "refs": "reference_residues", "alleles": "alleles", "exons": "exons",
    "protein_start": "protein_start", "protein_end": "protein_end", "range_source": "protein_range_source",
    "edit": "edit", "effect": "effect", "direction": "direction", "partner": "partner",
}  # fmt: skip
_EMPTY_RULE = ClassRule("", "", "")


# ----------------------------------------------------------------------------- rules


_LOSS_EFFECTS = frozenset({"loss_of_function", "truncating", "frameshift", "biallelic"})


def acts_by_loss(rules: Iterable[ClassRule]) -> bool:
    """Whether a gene's classes (those evidence is written against) say its loss matters.

    >>> acts_by_loss([ClassRule("BRCA2", "gene_class", "loss of function", effect="loss_of_function")])
    True
    >>> acts_by_loss([ClassRule("BRAF", "gene_class", "mutation", effect="any")])
    False
    """
    return any(
        (rule.class_type == "gene_class" and rule.effect in _LOSS_EFFECTS)
        or (rule.class_type == "copy_number" and rule.direction in ("deletion", "loss"))
        for rule in rules
    )


def _edit_fits(edit: str, change: ProteinChange | None, facts: VariantFacts) -> bool:
    terms = set(facts.consequences)
    if edit == "deletion":
        if change is not None:
            return change.kind == "deletion" or (change.kind == "delins" and change.length_change < 0)
        return bool(terms & DELETION_TERMS)
    if edit == "insertion":
        if change is not None:
            return change.kind in ("insertion", "duplication") or (change.kind == "delins" and change.length_change > 0)
        return bool(terms & INSERTION_TERMS)
    if edit == "frameshift":
        return (change is not None and change.kind == "frameshift") or bool(terms & FRAMESHIFT_TERMS)
    if edit == "mutation":
        if variant_effect(facts, change).silent:
            return False
        if change is not None:
            return change.kind not in ("synonymous", "position")
        return bool(terms & NONSILENT_TERMS)
    if edit == "exon_loss":
        return "exon_loss_variant" in terms
    if edit == "skipping":
        return bool(terms & {"exon_loss_variant", "splice_acceptor_variant", "splice_donor_variant"})
    return False


def _effect_fits(effect: str, change: ProteinChange | None, facts: VariantFacts) -> bool:
    if facts.fusion is not None:
        return False
    found = variant_effect(facts, change)
    if found.silent:
        return False
    if effect == "any":
        if facts.copy_number:
            return False
        return found.activating or facts.pathogenic or (found.loss and facts.acts_by_loss)
    if effect == "truncating":
        return found.truncating
    if effect == "frameshift":
        return found.frameshift
    if effect == "loss_of_function":
        return found.loss or ((found.hotspot or facts.pathogenic) and facts.acts_by_loss)
    if effect == "gain_of_function":
        return found.activating or (facts.pathogenic and not facts.acts_by_loss and not found.loss)
    if effect == "itd":
        return found.itd
    return False  # biallelic inactivation: not decidable from one variant's facts


_COPY_NUMBER_MEMBERS = {
    "amplification": frozenset({"amplification"}),
    "gain": frozenset({"gain", "amplification"}),
    "deletion": frozenset({"deletion"}),
    "loss": frozenset({"loss", "deletion"}),
    "any": frozenset({"amplification", "gain", "deletion", "loss"}),
}


def _copy_number_fits(direction: str, event: str) -> bool:
    return event in _COPY_NUMBER_MEMBERS.get(direction, frozenset())


def exon_rule(gene: str, exon: int, edit: str, *, last_exon: int | None = None) -> ClassRule:
    """An exon class, with its protein range from :data:`EXON_TABLE` when the table has it."""
    exons = (exon,) if last_exon is None or last_exon == exon else (exon, last_exon)
    span = f"{exon}" if len(exons) == 1 else f"{exon}-{last_exon}"
    label = f"exon {span} {edit.replace('_', ' ')}" if edit != "skipping" else f"exon {span} skipping"
    if len(exons) > 1 and edit == "deletion":
        edit = "exon_loss"
    known = EXON_TABLE.get((gene, exon)) if len(exons) == 1 else None
    if known is None:
        return ClassRule(gene, "exon", label, exons=exons, edit=edit)
    start, end, source = known
    return ClassRule(gene, "exon", label, exons=exons, protein_start=start, protein_end=end, range_source=source,
                     edit=edit)  # fmt: skip


def implied_classes(facts: VariantFacts, change: ProteinChange | None = None) -> list[ClassRule]:
    """The classes the facts imply on their own (codon, exon, gene-level, fusion, copy number)."""
    gene = facts.gene
    rules: list[ClassRule] = []
    if facts.fusion is not None:
        rules.extend(ClassRule(partner, "fusion", "fusion") for partner in dict.fromkeys(facts.fusion) if partner)
        return rules
    if facts.copy_number:
        rules.append(ClassRule(gene, "copy_number", facts.copy_number, direction=facts.copy_number))
        if facts.copy_number == "deletion":
            rules.append(ClassRule(gene, "gene_class", "loss of function", effect="loss_of_function"))
        return rules
    if change is not None and change.kind in _CODON_KINDS and change.start == change.end:
        rules.append(ClassRule(gene, "codon", f"{change.ref}{change.start}", positions=(change.start,),
                               refs=(change.ref,)))  # fmt: skip
    if change is not None:
        for (table_gene, exon), (start, end, _) in EXON_TABLE.items():
            if table_gene == gene and start <= change.start and change.end <= end:
                for edit in ("mutation", "deletion", "insertion", "frameshift"):
                    rule = exon_rule(gene, exon, edit)
                    if _edit_fits(edit, change, facts):
                        rules.append(rule)
    candidates = (
        ClassRule(gene, "gene_class", "mutation", effect="any"),
        ClassRule(gene, "gene_class", "truncating mutation", effect="truncating"),
        ClassRule(gene, "gene_class", "frameshift mutation", effect="frameshift"),
        ClassRule(gene, "gene_class", "loss of function", effect="loss_of_function"),
    )
    rules.extend(rule for rule in candidates if rule.matches(facts, change))
    return rules


def classify(facts: VariantFacts, catalog: Iterable[ClassRule] = (), *, implied: bool = True) -> list[ClassRule]:
    """The classes a variant belongs to: implied ones (unless ``implied=False``) and catalog ones."""
    change: ProteinChange | None = None
    if facts.protein_change:
        try:
            change = parse_protein_change(facts.protein_change)
        except SchemaError:
            change = None
    found: dict[str, ClassRule] = {}
    if implied:
        for rule in implied_classes(facts, change):
            found.setdefault(rule.id, rule)
    for rule in catalog:
        if rule.matches(facts, change):
            found[rule.id] = rule  # a catalog rule knows more than an implied one (coordinates, sources)
    return list(found.values())


# ----------------------------------------------------------------------------- hierarchy


def subsumes(broad: ClassRule, narrow: ClassRule) -> bool:
    """Whether every member of ``narrow`` is, by the rules, a member of ``broad``."""
    if broad.id == narrow.id:
        return False
    if broad.class_type == "fusion" or narrow.class_type == "fusion":
        same_gene = broad.gene == narrow.gene
        return same_gene and broad.class_type == narrow.class_type and not broad.partner and bool(narrow.partner)
    if broad.gene != narrow.gene:
        return False
    b, n = broad.class_type, narrow.class_type
    if b == "gene_class":
        if broad.effect in ("any", "gain_of_function"):
            # Source-named codons and regions are functional changes.  A truncating class is part of
            # "any" only in a gene that acts by loss, which a hierarchy edge cannot know: not subsumed.
            sequence = ("codon", "allele_set", "protein_region", "exon", "domain")
            if n in sequence:
                return narrow.edit not in ("exon_loss", "skipping")
            narrower = ("gain_of_function", "itd") if broad.effect == "any" else ("itd",)
            return n == "gene_class" and narrow.effect in narrower
        if broad.effect == "loss_of_function":
            return (n == "gene_class" and narrow.effect in ("truncating", "frameshift")) or (
                n == "copy_number" and narrow.direction == "deletion"
            )
        if broad.effect == "truncating":
            return n == "gene_class" and narrow.effect == "frameshift"
        return False
    if b == "codon":
        positions = set(broad.positions)
        if n == "allele_set":
            return {_position(a) for a in narrow.alleles} <= positions
        return n == "codon" and set(narrow.positions) < positions
    if b in ("exon", "protein_region"):
        if n in ("codon", "allele_set"):
            if broad.edit != "mutation":
                return False
            points = narrow.positions or tuple(_position(a) for a in narrow.alleles)
            if broad.protein_start:
                return all(broad.protein_start <= p <= broad.protein_end for p in points)
            return broad.region is not None and narrow.region is not None and broad.region.contains(narrow.region)
        if n in ("exon", "protein_region"):
            inside = (
                (narrow.exons and narrow.exons == broad.exons)
                or (broad.protein_start and narrow.protein_start
                    and broad.protein_start <= narrow.protein_start and narrow.protein_end <= broad.protein_end)
            )  # fmt: skip
            if not inside:
                return False
            if broad.edit == "mutation":
                return narrow.edit in ("deletion", "insertion", "frameshift", "mutation")
            return broad.edit == narrow.edit
        return False
    if b == "copy_number" and n == "copy_number":
        return narrow.direction in _COPY_NUMBER_MEMBERS.get(broad.direction, frozenset()) or (broad.direction == "any")
    return False


def _position(allele: str) -> int:
    return parse_protein_change(allele).start


def hierarchy(rules: Iterable[ClassRule]) -> list[tuple[ClassRule, ClassRule]]:
    """``(narrow, broad)`` pairs among ``rules`` (same gene) where ``broad`` subsumes ``narrow``."""
    by_gene: dict[str, list[ClassRule]] = {}
    for rule in {r.id: r for r in rules}.values():
        by_gene.setdefault(rule.gene, []).append(rule)
    pairs: list[tuple[ClassRule, ClassRule]] = []
    for group in by_gene.values():
        for narrow in group:
            pairs.extend((narrow, broad) for broad in group if subsumes(broad, narrow))
    return pairs


# ----------------------------------------------------------------------------- records


def class_node(
    rule: ClassRule,
    provenance: tuple[Provenance, ...],
    *,
    synonyms: Sequence[str] = (),
    props: Mapping[str, PropValue] | None = None,
) -> Node:
    """The ``VariantClass`` node of a rule (its rule in the properties, plus ``props``)."""
    return Node(rule.id, Label.VARIANT_CLASS, rule.name, tuple(synonyms), {**rule.props(), **(props or {})},
                provenance)  # fmt: skip


def membership_records(
    variant_id: str,
    facts: VariantFacts,
    provenance: tuple[Provenance, ...],
    catalog: Iterable[ClassRule] = (),
    *,
    implied: bool = True,
) -> list[Record]:
    """Class nodes, ``variant -[:MEMBER_OF]-> class`` and ``class -[:MEMBER_OF]-> broader class`` edges."""
    rules = classify(facts, catalog, implied=implied)
    records: list[Record] = [class_node(rule, provenance) for rule in rules]
    records.extend(Edge(variant_id, RelType.MEMBER_OF, rule.id, provenance=provenance) for rule in rules)
    records.extend(
        Edge(narrow.id, RelType.MEMBER_OF, broad.id, provenance=provenance) for narrow, broad in hierarchy(rules)
    )
    return records


# ----------------------------------------------------------------------------- names


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().upper().replace("_", " "))


_GENE_CLASSES: tuple[tuple[str, str, str], ...] = (
    # pattern, label, effect
    (r"(?:MUTATIONS?|MUT|MUTANT)", "mutation", "any"),
    (r"ALTERATIONS?", "alteration", "any"),
    (r"TRUNCATING MUTATIONS?", "truncating mutation", "truncating"),
    (r"FRAME ?SHIFT (?:MUTATIONS?|TRUNCATIONS?|VARIANTS?)", "frameshift mutation", "frameshift"),
    (r"LOSS[- ]OF[- ]FUNCTION(?: MUTATIONS?)?|LOF", "loss of function", "loss_of_function"),
    (r"INACTIVATING MUTATIONS?", "inactivating mutation", "loss_of_function"),
    (r"DELETERIOUS MUTATIONS?", "deleterious mutation", "loss_of_function"),
    (r"GAIN[- ]OF[- ]FUNCTION(?: MUTATIONS?)?", "gain of function", "gain_of_function"),
    (r"ACTIVATING MUTATIONS?", "activating mutation", "gain_of_function"),
    (r"ONCOGENIC MUTATIONS?", "oncogenic mutation", "any"),
    (r"ITD|INTERNAL TANDEM DUPLICATIONS?(?: \(ITD\))?", "ITD", "itd"),
    (r"BIALLELIC INACTIVATION", "biallelic inactivation", "biallelic"),
)
_COPY_NUMBER = {
    "AMPLIFICATION": "amplification", "AMP": "amplification", "AMPLIFIED": "amplification",
    "COPY NUMBER GAIN": "gain", "GAIN": "gain", "DELETION": "deletion", "HOMOZYGOUS DELETION": "deletion",
    "DEEP DELETION": "deletion", "LOSS": "loss", "COPY NUMBER LOSS": "loss", "COPY NUMBER VARIATION": "any",
    "CNV": "any",
}  # fmt: skip
_COPY_NUMBER_LABEL = {"any": "copy number variation"}
_EXON = re.compile(
    r"^(?:EXON|EX)\s*(\d+)(?:\s*-\s*(\d+))?\s*(DELETIONS?|DEL|INSERTIONS?|INS|MUTATIONS?|MUT|SKIPPING(?: MUTATION)?|"
    r"FRAME ?SHIFT|)$"
)
_EXON_EDITS = {"DEL": "deletion", "INS": "insertion", "MUT": "mutation", "SKI": "skipping", "FRA": "frameshift"}
_CODONS = re.compile(r"^([A-Z])(\d+)((?:/[A-Z]\d+)*)$")
_ALLELES = re.compile(r"^([A-Z*])(\d+)([A-Z*])((?:/[A-Z*])+)$")
_EXPRESSION = re.compile(r"^(?:(NUCLEAR|CYTOPLASMIC|ISOFORM|[A-Z0-9]+) )?(OVER|UNDER|)EXPRESSION$|^SERUM LEVELS$")
_METHYLATION = re.compile(r"^(?:PROMOTER )?(?:HYPER|DE|HYPO)?METHYLATION$")
_DOMAIN = re.compile(r"^(?:(?:[A-Z0-9-]+ )*DOMAIN|TKD|(?:NON-)?P-LOOP) MUT(?:ATION)?S?$")


def parse_class_name(gene: str, text: str, variant_types: Sequence[str] = ()) -> ClassRule | None:
    """The class a source's text names for ``gene`` (HGNC symbol), or None if it names none.

    >>> parse_class_name("EGFR", "EXON 19 DELETION").name
    'EGFR exon 19 deletion'
    >>> parse_class_name("KRAS", "G12/G13").positions
    (12, 13)
    >>> parse_class_name("BRAF", "V600E") is None
    True
    """
    gene = gene.upper()
    raw = _norm(text)
    if raw.startswith(gene + " ") and raw != gene + " ":
        raw = raw[len(gene) + 1 :]  # "NTRK1 FUSIONS", "FGFR2 mutations"
    types = set(variant_types)
    if codons := _CODONS.match(raw):
        parts = [raw[: len(codons.group(1)) + len(codons.group(2))], *codons.group(3).split("/")[1:]]
        refs = tuple(p[0] for p in parts)
        positions = tuple(int(p[1:]) for p in parts)
        return ClassRule(gene, "codon", "/".join(parts), positions=positions, refs=refs)
    if alleles := _ALLELES.match(raw):
        ref, pos = alleles.group(1), alleles.group(2)
        alts = sorted({alleles.group(3), *alleles.group(4).split("/")[1:]})
        return ClassRule(gene, "allele_set", f"{ref}{pos}{'/'.join(alts)}", positions=(int(pos),), refs=(ref,),
                         alleles=tuple(f"{ref}{pos}{a}" for a in alts))  # fmt: skip
    if exon := _EXON.match(raw):
        first = int(exon.group(1))
        last = int(exon.group(2)) if exon.group(2) else None
        edit = _EXON_EDITS.get(exon.group(3)[:3], "mutation")
        if edit == "deletion" and types & {"exon_loss_variant", "transcript_ablation"}:
            rule = exon_rule(gene, first, "deletion", last_exon=last)
            return replace(rule, edit="exon_loss")
        return exon_rule(gene, first, edit, last_exon=last)
    if raw in ("FUSION", "FUSIONS") or (raw in ("REARRANGEMENT", "REARRANGEMENTS") and types & FUSION_TERMS):
        return ClassRule(gene, "fusion", "fusion")
    for pattern, label, effect in _GENE_CLASSES:
        if re.fullmatch(pattern, raw):
            if effect == "any" and "gain_of_function_variant" in types:
                effect = "gain_of_function"  # CIViC types FLT3 MUTATION gain of function: an activating class
            elif effect == "any" and "loss_of_function_variant" in types:
                effect = "loss_of_function"
            return ClassRule(gene, "gene_class", label, effect=effect)
    if raw in _COPY_NUMBER:
        direction = _COPY_NUMBER[raw]
        return ClassRule(gene, "copy_number", _COPY_NUMBER_LABEL.get(direction, direction), direction=direction)
    if expression := _EXPRESSION.match(raw):
        direction = {"OVER": "over", "UNDER": "under"}.get(expression.group(2), "any")
        return ClassRule(gene, "expression", raw.lower(), direction=direction)
    if exon_expression := re.fullmatch(r"EXON (\d+) (OVER|UNDER)?EXPRESSION", raw):
        return ClassRule(
            gene,
            "expression",
            raw.lower(),
            exons=(int(exon_expression.group(1)),),
            direction={"OVER": "over", "UNDER": "under"}.get(exon_expression.group(2) or "", "any"),
        )
    if _METHYLATION.match(raw):
        return ClassRule(gene, "epigenetic", raw.lower())
    if raw in ("WILD TYPE", "WILDTYPE", "WILD-TYPE", "WT"):
        return ClassRule(gene, "wild_type", "wild type")
    if _DOMAIN.match(raw):
        return ClassRule(gene, "domain", raw.lower())
    return None


@dataclass
class ClassCatalog:
    """Source-defined classes by gene, for :func:`classify` (fusion classes are found by either partner)."""

    rules: dict[str, list[ClassRule]] = field(default_factory=dict)

    def add(self, rule: ClassRule) -> None:
        group = self.rules.setdefault(rule.gene, [])
        if all(existing.id != rule.id for existing in group):
            group.append(rule)

    def for_facts(self, facts: VariantFacts) -> list[ClassRule]:
        genes = {facts.gene, *(facts.fusion or ())}
        return [rule for gene in genes for rule in self.rules.get(gene, ())]

    def __iter__(self) -> Iterator[ClassRule]:
        return (rule for group in self.rules.values() for rule in group)
