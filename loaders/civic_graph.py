"""CIViC variants and molecular profiles as graph nodes: variants, classes, profiles, genes.

:class:`VariantGraph` reads a CIViC ``VariantSummaries`` file (and, in the current layout,
``MolecularProfileSummaries``), turns each CIViC variant into the variant, class or
profile it stands for, merges CIViC variants that are one alteration (``A56fs
(c.164_165insA)`` and ``A56FS (c.164_165insG)`` are one ``VHL A56fs``), completes exon
classes with the protein range their coordinates imply, and computes ``MEMBER_OF`` edges with
:mod:`kg.variant_classes`.  ``subjects`` then maps what CIViC evidence points at (a
variant id in 2021, a molecular profile id today) to the node the evidence is ``ABOUT``.
It holds the variant table in memory (a few thousand rows) and never reads evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import SchemaError, SourceFileError
from kg.records import Edge, Node, PropValue, Provenance, Record
from kg.schema import Label, RelType
from kg.variant_classes import ClassCatalog, ClassRule, VariantFacts, classify, hierarchy
from kg.variants import OPERATORS, SO_TERMS, check_profile, coordinate_key, copy_number_id, dbsnp_id, profile_id
from loaders.civic_features import FeatureNames
from loaders.civic_layouts import (
    LAYOUT_2021,
    PROFILE_COLUMNS,
    Alteration,
    CivicVariant,
    GeneNames,
    alterations,
    fallback,
    fusion_alterations,
    read_civic_table,
    split_list,
    variant_columns,
    variant_from_row,
)

if TYPE_CHECKING:
    from loaders.civic import CivicLoader

_SO_NAMES = {so_id: name for name, so_id in SO_TERMS.items()}
_CODING_RANGE = re.compile(r"^(?P<tx>ENST[\d.]+):c\.(?P<start>\d+)_(?P<end>\d+)del$")
_ANCHOR = re.compile(r"^(?P<tx>ENST[\d.]+):c\.(?P<c>\d+)(?P<ref>[ACGT])>[ACGT]$")
_COMPLEMENT = str.maketrans("ACGT", "TGCA")
_RANGE_EDITS = ("deletion", "insertion", "mutation", "frameshift")
_NAME_PARENS = re.compile(r"\(([^()]*)\)")
_HAS_OPERATOR = re.compile(r"\b(?:AND|OR|NOT)\b")


@dataclass
class _Draft:
    """A node being assembled from one or more CIViC rows."""

    label: Label
    name: str
    synonyms: dict[str, None] = field(default_factory=dict)
    props: dict[str, PropValue] = field(default_factory=dict)
    provenance: list[Provenance] = field(default_factory=list)
    genes: dict[str, None] = field(default_factory=dict)
    facts: VariantFacts | None = None

    def merge(self, props: dict[str, PropValue], synonyms: list[str], provenance: tuple[Provenance, ...]) -> None:
        for key, value in props.items():
            current = self.props.get(key)
            if isinstance(value, list) and isinstance(current, list):
                self.props[key] = list(dict.fromkeys([*current, *value]))
            elif current is None:
                self.props[key] = value
        self.synonyms.update(dict.fromkeys(s for s in synonyms if s and s != self.name))
        self.provenance.extend(p for p in provenance if p not in self.provenance)


@dataclass(frozen=True)
class _Anchor:
    """A CIViC SNV with a coding position on its transcript: maps genome to codons nearby."""

    position: int
    coding: int
    strand: str
    vid: int


class VariantGraph:
    """The variant side of a CIViC release as nodes and edges."""

    def __init__(self, loader: CivicLoader, layout: str) -> None:
        self.loader = loader
        self.layout = layout
        self.genes = GeneNames(loader.genes)
        self.subjects: dict[int, str] = {}
        self._nodes: dict[str, _Draft] = {}
        self._edges: list[Edge] = []
        self._variants: dict[int, CivicVariant] = {}
        self._targets: dict[int, str] = {}
        self._profiles: dict[str, tuple[str, list[str]]] = {}  # profile id -> (expression, components)
        self.catalog = ClassCatalog()
        self._by_name: dict[tuple[str, str], list[int]] = {}
        self._subject_cache: dict[tuple[str, str, str], str | None] = {}
        self.corrected: list[tuple[str, int, int]] = []  # (record id, variant id given, variant id used)
        self.features = FeatureNames(self.genes)
        self.unresolved_profiles: dict[int, str] = {}  # profile id -> name, neither in the tables nor readable
        self.missing_variants: set[int] = set()  # variant ids of unresolved profiles the variant table lacks
        self.named_profiles = 0  # profiles read from their names for want of their variant rows

    def subject_2021(self, record_id: str, vid_text: str, gene: str, name: str) -> str | None:
        """The node a 2021 row is about, checking its ``variant_id`` against the names it gives.

        CIViC's 01-Aug-2021 AssertionSummaries gives AID 2 (ERBB2 AMPLIFICATION) the variant id of
        CCND1 AMPLIFICATION; when id and names disagree and the names pick out one variant, the
        names win (and the correction is logged).
        """
        key = (vid_text, gene, name)
        if key in self._subject_cache:
            return self._subject_cache[key]
        corrections = len(self.corrected)
        found = self._subject_2021(record_id, vid_text, gene, name)
        if len(self.corrected) == corrections:  # a corrected row is not cached: each such record is logged
            self._subject_cache[key] = found
        return found

    def _subject_2021(self, record_id: str, vid_text: str, gene: str, name: str) -> str | None:
        vid = int(vid_text) if vid_text.strip().isdigit() else None
        variant = self._variants.get(vid) if vid is not None else None
        key = (gene.strip().upper(), name.strip())
        if variant is not None and (variant.feature_name.upper(), variant.name) == key:
            return self._targets.get(variant.vid)
        named = self._by_name.get(key, [])
        if len(named) == 1 and named[0] in self._targets:
            if vid is not None:
                self.corrected.append((record_id, vid, named[0]))
            return self._targets[named[0]]
        return self._targets.get(vid) if vid is not None and not gene.strip() else None

    # ------------------------------------------------------------------------- variants

    def read_variants(self, path: Path) -> None:
        required = variant_columns(path)
        parsed: list[tuple[CivicVariant, list[Alteration], str]] = []
        anchors: dict[tuple[str, str], list[_Anchor]] = {}
        for line, row in read_civic_table(path, required, on_bad=self.loader.bad):
            try:
                variant = variant_from_row(row, line, self.genes, path)
            except SourceFileError as error:
                self.loader.bad(error)
                continue
            self._variants[variant.vid] = variant
            self._by_name.setdefault((variant.feature_name.upper(), variant.name), []).append(variant.vid)
            components, coding, _ = self._components(variant)
            parsed.append((variant, components, coding))
            anchor = _anchor(variant)
            if anchor is not None:
                anchors.setdefault((variant.gene, variant.transcript), []).append(anchor)
        for variant, components, coding in parsed:
            self._add_variant(variant, components, coding, anchors)
        if self.layout == LAYOUT_2021:
            self.subjects = dict(self._targets)

    def _components(self, variant: CivicVariant) -> tuple[list[Alteration], str, bool]:
        """What a variant stands for, its coding change, and whether its name could be read."""
        if variant.feature_type == "Fusion":
            found = fusion_alterations(variant, self.genes)
        else:
            found = alterations(variant.gene, variant.name, variant.variant_types, self.genes) if variant.gene else None
        return (*found, True) if found else ([fallback(variant, self.genes)], "", False)

    def _add_variant(
        self, variant: CivicVariant, components: list[Alteration], coding: str,
        anchors: dict[tuple[str, str], list[_Anchor]], record_id: str = "",
    ) -> str:  # fmt: skip
        """Add the nodes a CIViC variant stands for; the id of the node evidence about it is ABOUT."""
        provenance = self.loader.provenance(record_id or f"CIVIC.VID:{variant.vid}", variant.line)
        if len(components) == 1:
            component = components[0]
            synonyms = _synonyms(variant, concrete=component.label == Label.VARIANT)
            if component.rule is not None:
                rule = _complete(component.rule, variant, anchors)
                self.catalog.add(rule)
                component = replace(component, rule=rule)
            props = dict(component.props)
            if coding:
                props["coding_changes"] = [coding]
            props |= variant.props(coordinates=component.label == Label.VARIANT)
            self._add(component, props, synonyms, provenance, variant)
            if variant.vid:
                self._targets[variant.vid] = component.node_id
            return component.node_id
        synonyms = _synonyms(variant, concrete=False)
        for component in components:
            self._add(component, dict(component.props), [], provenance, None)
        expression = " AND ".join(c.node_id for c in components)
        node_id = profile_id(expression)
        props = {"expression": expression, "components": [c.node_id for c in components],
                 **variant.props(coordinates=False)}  # fmt: skip
        draft = self._draft(node_id, Label.MOLECULAR_PROFILE, " AND ".join(c.name for c in components))
        draft.merge(props, synonyms, provenance)
        self._profiles[node_id] = (expression, [c.node_id for c in components])
        if variant.vid:
            self._targets[variant.vid] = node_id
        return node_id

    def _draft(self, node_id: str, label: Label, name: str) -> _Draft:
        draft = self._nodes.get(node_id)
        if draft is None:
            draft = self._nodes[node_id] = _Draft(label, name)
        return draft

    def _add(
        self, component: Alteration, props: dict[str, PropValue], synonyms: list[str],
        provenance: tuple[Provenance, ...], variant: CivicVariant | None,
    ) -> None:  # fmt: skip
        draft = self._draft(component.node_id, component.label, component.name)
        if component.rule is not None:
            props = {**component.rule.props(), **props}
        draft.merge(props, synonyms, provenance)
        draft.genes.update(dict.fromkeys(component.genes))
        if component.facts is not None and (draft.facts is None or variant is not None):
            facts = component.facts
            if variant is not None and facts.fusion is None:  # the variant's own row knows more
                facts = replace(facts, consequences=tuple(variant.variant_types), position=variant.region)
            draft.facts = facts

    # ------------------------------------------------------------------------- profiles

    def read_profiles(self, path: Path) -> None:
        """Current layout: each molecular profile's expression, or its one variant.

        A profile whose variants the VariantSummaries table lacks (a newer profile table read
        with an older variant table) is read from its name (:meth:`_expression_by_name`); one
        that cannot be is listed in ``unresolved_profiles`` and its evidence is skipped and counted.
        """
        for line, row in read_civic_table(path, PROFILE_COLUMNS, on_bad=self.loader.bad):
            mpid_text, name = row["molecular_profile_id"].strip(), row["name"].strip()
            vids = [int(v) for v in split_list(row["variant_ids"]) if v.isdigit()]
            missing = [v for v in vids if v not in self._targets]
            if not mpid_text.isdigit():
                problem = f"expected a numeric profile id, got {mpid_text!r}"
                self.loader.bad(SourceFileError(str(path), line, problem, field="molecular_profile_id"))
                continue
            mpid = int(mpid_text)
            expression = self._expression(name, vids) if vids and not missing else None
            if expression is None:
                # A variant table older than the profile table lacks some variants or names them
                # differently (2024's ABL1 "BCR::ABL1" is 2025's "BCR::ABL1 Fusion"): read the name.
                expression = self._expression_by_name(name, vids, mpid, line)
                if expression is None and vids and not missing:
                    problem = f"cannot read the profile name {name!r} as AND/OR/NOT over its variants {vids}"
                    self.loader.bad(SourceFileError(str(path), line, problem, field="name"))
                    continue
                if expression is None:
                    self.unresolved_profiles[mpid] = name
                    self.missing_variants.update(missing)
                    continue
                self.named_profiles += 1 if missing else 0
            self._add_profile(mpid, name, expression, row, line)

    def resolve_by_name(self, mpid: int, name: str, line: int) -> None:
        """A profile evidence names that the profile table lacks: read it from its name, or list it unresolved."""
        if mpid in self.subjects or mpid in self.unresolved_profiles:
            return
        expression = self._expression_by_name(name.strip(), [], mpid, line)
        if expression is None:
            self.unresolved_profiles[mpid] = name.strip()
            return
        self.named_profiles += 1
        self._add_profile(mpid, name.strip(), expression, {}, line)

    def _add_profile(self, mpid: int, name: str, expression: str, row: dict[str, str], line: int) -> None:
        provenance = self.loader.provenance(f"CIVIC.MPID:{mpid}", line)
        synonyms = [f"CIVIC.MPID:{mpid}", name]
        tokens = expression.split()
        if len(tokens) == 1:  # a one-variant profile: evidence points at the variant itself
            self.subjects[mpid] = tokens[0]
            self._nodes[tokens[0]].merge({"civic_profile_ids": [mpid]}, synonyms, provenance)
            return
        node_id = f"CIVIC.MPID:{mpid}"
        components = list(dict.fromkeys(t for t in tokens if t not in OPERATORS and t not in "()"))
        props: dict[str, PropValue] = {"expression": expression, "components": components}
        score = row.get("evidence_score", "").strip()
        if re.fullmatch(r"\d+(?:\.\d+)?", score):
            props["civic_evidence_score"] = float(score)
        if row.get("summary", "").strip():
            props["description"] = row["summary"].strip()
        draft = self._draft(node_id, Label.MOLECULAR_PROFILE, name)
        draft.merge(props, [*synonyms[1:], *split_list(row.get("aliases", ""))], provenance)
        self._profiles[node_id] = (expression, components)
        self.subjects[mpid] = node_id

    def _expression_by_name(self, name: str, vids: list[int], mpid: int, line: int) -> str | None:
        """A profile's expression read from its name (``TMB High``, ``EGFR L858R AND EGFR T790M``) when
        the variant table lacks its variants or names them otherwise; None if a part cannot be read.

        Each part is, in turn: a variant of the profile by its CIViC name; the one variant of the
        profile no other part names; or the variant the part's name reads as, by CIViC's features.
        """
        displays = {self._variants[v].display: v for v in vids if v in self._targets}
        tokens: list[str] = []
        phrase: list[str] = []
        # Parentheses around no operator belong to a variant name ("E160fs (c.479_480delAG)").
        protected = _NAME_PARENS.sub(lambda m: m.group(0) if _HAS_OPERATOR.search(m.group(1)) else
                                     f"\x01{m.group(1)}\x02", name)  # fmt: skip
        for token in [*re.findall(r"\(|\)|[^\s()]+", protected), ")"]:
            if token in OPERATORS or token in "()":
                if phrase:
                    tokens.append(" ".join(phrase).replace("\x01", "(").replace("\x02", ")"))
                    phrase = []
                tokens.append(token)
            else:
                phrase.append(token)
        tokens.pop()
        phrases = [t for t in tokens if t not in OPERATORS and t not in "()"]
        if not phrases or (vids and len(set(phrases)) != len(vids)):
            return None
        unnamed = [v for v in vids if v not in displays.values()]
        missing = [v for v in vids if v not in self._targets] or not vids
        unknown = [p for p in phrases if p not in displays]
        out: list[str] = []
        for token in tokens:
            if token in OPERATORS or token in "()":
                out.append(token)
                continue
            if token in displays:
                target: str | None = self._targets[displays[token]]
            elif len(unknown) == 1 and len(unnamed) == 1 and unnamed[0] in self._targets:
                target = self._targets[unnamed[0]]
            else:
                vid = unnamed[0] if len(unknown) == 1 and len(unnamed) == 1 else 0
                target = self._named_variant(token, vid, mpid, line, strict=not missing)
            if target is None:
                return None
            nested = self._profiles.get(target)
            out.append(f"( {nested[0]} )" if nested else target)
        expression = " ".join(out)
        try:
            check_profile(expression)
        except SchemaError:
            return None
        return expression

    def _named_variant(self, display: str, vid: int, mpid: int, line: int, *, strict: bool) -> str | None:
        """The node of a variant known only by its CIViC name; None unless the name reads as one.

        A name pmkg cannot read becomes what its row would have made of it (a gene-level class such
        as ``KMT2A Rearrangement``, a factor) only for a variant the variant table lacks (not
        ``strict``), and never a single allele without its CIViC variant id."""
        variant = self.features.variant(display, vid, line)
        if variant is None:
            return None
        components, coding, readable = self._components(variant)
        guessed = not readable and variant.feature_type != "Factor"
        if guessed and (strict or any(c.node_id == "CIVIC.VID:0" for c in components)):
            return None
        if vid:
            self._variants[vid] = variant
        return self._add_variant(variant, components, coding, {}, record_id=f"CIVIC.MPID:{mpid}")

    def _expression(self, name: str, vids: list[int]) -> str | None:
        """The profile name with each variant's CIViC name replaced by its node (or sub-expression)."""
        parts = sorted(((self._variants[v].display, self._targets[v]) for v in vids), key=lambda p: -len(p[0]))
        text = name
        for index, (display, _) in enumerate(parts):
            if display not in text:
                return None
            text = text.replace(display, f" \x00{index} ")
        out: list[str] = []
        for token in re.findall(r"\(|\)|[^\s()]+", text):
            if token.startswith("\x00"):
                target = parts[int(token[1:])][1]
                nested = self._profiles.get(target)
                out.append(f"( {nested[0]} )" if nested else target)
            elif token.upper() in OPERATORS or token in "()":
                out.append(token.upper())
            else:
                return None
        expression = " ".join(out)
        try:
            check_profile(expression)
        except SchemaError:
            return None
        return expression

    # ------------------------------------------------------------------------- records

    def records(self) -> Iterator[Record]:
        """Genes, variants, classes, profiles, consequences, then the edges between them."""
        self._materialise_copy_numbers()
        seen_genes: set[str] = set()
        consequences: set[str] = set()
        edges: list[Edge] = []
        for node_id, draft in self._nodes.items():
            provenance = tuple(draft.provenance)
            for symbol in draft.genes:
                hgnc_id = self.genes.hgnc(symbol)
                if hgnc_id is None or draft.label == Label.MOLECULAR_PROFILE:
                    continue
                if hgnc_id not in seen_genes:
                    seen_genes.add(hgnc_id)
                    yield Node(hgnc_id, Label.GENE, symbol, props={"symbol": symbol}, provenance=provenance)
                edges.append(Edge(node_id, RelType.IN_GENE, hgnc_id, provenance=provenance))
            yield Node(node_id, draft.label, draft.name, tuple(draft.synonyms), draft.props, provenance)
            if draft.label == Label.VARIANT:
                so_ids = draft.props.get("so_ids")
                for so in [str(s) for s in so_ids] if isinstance(so_ids, list) else []:
                    if so not in consequences:
                        consequences.add(so)
                        yield Node(so, Label.CONSEQUENCE, _SO_NAMES.get(so, so), provenance=provenance)
                    edges.append(Edge(node_id, RelType.HAS_CONSEQUENCE, so, provenance=provenance))
                if draft.facts is not None:
                    for rule in classify(draft.facts, self.catalog.for_facts(draft.facts), implied=False):
                        edges.append(Edge(node_id, RelType.MEMBER_OF, rule.id, provenance=provenance))
            if draft.label == Label.MOLECULAR_PROFILE:
                for component in self._profiles.get(node_id, ("", []))[1]:
                    edges.append(Edge(node_id, RelType.HAS_COMPONENT, component, provenance=provenance))
        for narrow, broad in hierarchy(self.catalog):
            provenance = tuple(self._nodes[narrow.id].provenance[:1])
            edges.append(Edge(narrow.id, RelType.MEMBER_OF, broad.id, provenance=provenance))
        yield from edges

    def _materialise_copy_numbers(self) -> None:
        """Each copy-number class CIViC names also gets the concrete event (``ERBB2 amplification``)."""
        for rule in list(self.catalog):
            if rule.class_type != "copy_number" or rule.direction not in ("amplification", "gain", "deletion", "loss"):
                continue
            node_id = copy_number_id(rule.gene, rule.direction)
            draft = self._draft(node_id, Label.VARIANT, f"{rule.gene} {rule.direction}")
            draft.merge({"gene": rule.gene, "copy_number": rule.direction}, [],
                        tuple(self._nodes[rule.id].provenance[:1]))  # fmt: skip
            draft.genes[rule.gene] = None
            draft.facts = VariantFacts(rule.gene, copy_number=rule.direction)


def _synonyms(variant: CivicVariant, *, concrete: bool) -> list[str]:
    """CIViC's names for a variant: its display name, id, aliases and, for one allele, HGVS, ClinVar, dbSNP ids.

    A class keeps the HGVS and ClinVar ids CIViC lists for it as properties only: CIViC gives
    ``BRAF V600`` the ClinVar ids of V600E and V600K, which must find those variants, not the class.
    """
    out = [variant.display, f"CIVIC.VID:{variant.vid}"] if variant.vid else [variant.display]
    prefix = variant.gene or variant.feature_name
    for alias in variant.aliases:
        if re.fullmatch(r"(?i)rs\d+", alias):
            if concrete:
                out.extend((alias.lower(), dbsnp_id(alias)))
        elif prefix and not alias.upper().startswith(prefix.upper()):
            out.append(f"{prefix} {alias}")
        else:
            out.append(alias)
    if concrete:
        out.extend(variant.hgvs)
        if variant.build and variant.chromosome and variant.start and variant.ref and variant.alt:
            build = "GRCh37" if variant.build.upper() in ("GRCH37", "HG19") else variant.build
            out.append(coordinate_key(build, variant.chromosome, variant.start, variant.ref, variant.alt))
        out.extend(f"CLINVAR:{c}" for c in variant.clinvar_ids if c.isdigit())
    return out


def _anchor(variant: CivicVariant) -> _Anchor | None:
    if len(variant.ref) != 1 or len(variant.alt) != 1 or not variant.start or not variant.transcript:
        return None
    for hgvs in variant.hgvs:
        match = _ANCHOR.match(hgvs)
        if match and match.group("tx") == variant.transcript:
            if match.group("ref") == variant.ref:
                strand = "+"
            elif match.group("ref") == variant.ref.translate(_COMPLEMENT):
                strand = "-"
            else:
                return None
            return _Anchor(variant.start, int(match.group("c")), strand, variant.vid)
    return None


def _complete(rule: ClassRule, variant: CivicVariant, anchors: dict[tuple[str, str], list[_Anchor]]) -> ClassRule:
    """Give a class the region CIViC gives for it and, for one exon, the codons that region spans."""
    region = variant.region
    if region is not None and rule.class_type in ("codon", "allele_set", "exon", "protein_region"):
        rule = replace(rule, region=region)
    if rule.class_type != "exon" or rule.protein_start or len(rule.exons) != 1 or rule.edit not in _RANGE_EDITS:
        return rule
    for hgvs in variant.hgvs:  # "ENST00000275493.2:c.2185_2283del": the exon's coding range itself
        match = _CODING_RANGE.match(hgvs)
        if match and match.group("tx") == variant.transcript:
            first, last = int(match.group("start")), int(match.group("end"))
            source = f"CIViC VID {variant.vid} {hgvs}"
            return replace(rule, protein_start=(first - 1) // 3 + 1, protein_end=(last - 1) // 3 + 1,
                           range_source=source)  # fmt: skip
    if region is None:
        return rule
    for anchor in anchors.get((variant.gene, variant.transcript), []):
        if not region.start <= anchor.position <= region.stop:
            continue
        if anchor.strand == "+":
            first, last = anchor.coding + region.start - anchor.position, anchor.coding + region.stop - anchor.position
        else:
            first, last = (
                anchor.coding - (region.stop - anchor.position),
                anchor.coding - (region.start - anchor.position),
            )
        source = (
            f"CIViC VID {variant.vid} {region.assembly} chr{region.chromosome}:{region.start}-{region.stop} read "
            f"through VID {anchor.vid} c.{anchor.coding} at {anchor.position} ({anchor.strand} strand)"
        )
        return replace(rule, protein_start=(max(first, 1) - 1) // 3 + 1, protein_end=(last - 1) // 3 + 1,
                       range_source=source)  # fmt: skip
    return rule
