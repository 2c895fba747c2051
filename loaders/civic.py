"""CIViC: clinical evidence, assertions, variants, classes and molecular profiles.

Reads every CIViC TSV layout from 2021 to today (see :mod:`loaders.civic_layouts`): the 2021
gene/variant layout (``ClinicalEvidenceSummaries``, ``VariantSummaries``,
``AssertionSummaries``) and the molecular-profile layout of 2023+ (the same plus
``MolecularProfileSummaries``, and from 2025 ``FeatureSummaries``), whose variant table is
gene-named in 2023-24 (``ABL1`` ``BCR::ABL1``) and feature-named since (``BCR::ABL1`` ``Fusion``,
factors ``MSI`` ``High``).  Tables of different dates may be mixed: a profile or variant the
older tables lack is read from its CIViC name (:mod:`loaders.civic_features`), and evidence
about one that cannot be is skipped, counted and listed (``unresolved_profiles``).

The starter (:data:`STARTER_VERSION`) bundles the 2026-05-29 nightly evidence with the
01-Feb-2025 profile and feature tables and the 01-Aug-2024 variant and assertion tables,
measured against the whole 01-Aug-2024 release (``scripts/data/civic.py --measure``):

=====================  ==========================  ===================================
                       01-Aug-2024 release         2026 evidence + 2025 + 2024 tables
=====================  ==========================  ===================================
evidence loaded        4,373 of 4,375              4,850 of 4,854 (225 profiles by name)
sotorasib / adagrasib  1 / 1 items                 2 / 2
T-DXd / vorasidenib    3 / 0                       19 / 3
MSI-H / TMB            absent (no factor rows)     MSI-H, TMB-high, TMB-low
=====================  ==========================  ===================================

The mix wins: 477 more items, today's drugs and the biomarkers; tucatinib, avapritinib and
asciminib are in neither.  It yields:

- ``Variant`` nodes for concrete alterations (ids from :mod:`kg.variants`; CIViC's
  ``CIVIC.VID:n``, names, HGVS, ClinVar and dbSNP ids as synonyms; coordinates and SO
  variant types as properties) and ``VariantClass`` nodes for what CIViC writes evidence
  against that is a class (``BRAF V600``, ``EGFR exon 19 deletion``, ``ALK fusion``),
  with ``MEMBER_OF`` edges computed by :mod:`kg.variant_classes`;
- ``MolecularProfile`` nodes only for real combinations (``EGFR L858R AND EGFR T790M``,
  2021's ``V600E and AMPLIFICATION``): evidence about a one-variant profile points straight at
  the variant, so both layouts give the same graph shape for the same evidence, and the
  profile id ``CIVIC.MPID:n`` becomes a synonym of that variant;
- ``Evidence`` nodes (``CIVIC.EID:n``; assertions ``CIVIC.AID:n``) with ``ABOUT``,
  ``IN_DISEASE`` (DOID) and ``WITH_THERAPY`` edges; one ``Therapy`` per drug set (a
  combination is one therapy with ``HAS_COMPONENT`` edges to its drugs; "substitutes" are
  separate therapies), and minimal ``Gene``, ``Disease``, ``Drug`` and ``Consequence`` nodes.

The variant side lives in :mod:`loaders.civic_graph`, the two layouts and CIViC's variant
names in :mod:`loaders.civic_layouts`, the class rules in :mod:`kg.variant_classes`.
It must never fetch anything or write files: it streams the evidence file and holds only
the variant and profile tables (a few thousand rows) in memory.
"""

from __future__ import annotations

import functools
import importlib.resources
import logging
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Self

from kg.disease_names import ANY_SOLID_TUMOR, is_any_solid_tumor
from kg.errors import SourceFileError
from kg.identifiers import pmkg_id
from kg.records import Edge, Node, PropValue, Provenance, Record
from kg.schema import EVIDENCE_TYPES, Label, RelType
from loaders.base import SourceSpec
from loaders.civic_graph import VariantGraph
from loaders.civic_layouts import (
    ASSERTION_COLUMNS,
    EVIDENCE_COLUMNS,
    LAYOUT_2021,
    LAYOUT_CURRENT,
    columns,
    detect_layout,
    read_civic_table,
    split_drugs,
    split_list,
)
from loaders.genes import GeneResolver, GeneResolvingLoader

logger = logging.getLogger(__name__)

# The bundle: CIViC's newest evidence in the shared data (the 2026-05-29 nightly, 4,854 items) with
# the newest profile and feature tables (01-Feb-2025) and variant and assertion tables (01-Aug-2024).
STARTER_VERSION = "nightly 2026-05-29 evidence; 01-Feb-2025 profiles and features; 01-Aug-2024 variants"
_NIGHTLY = "https://civicdb.org/downloads/nightly/nightly-"
_DRUG_TABLES = ("DrugSummaries.tsv", "civic-drugs.tsv")  # CIViC drug ids and NCIt codes (optional)
LEVEL_TIERS = {"A": 1, "B": 2, "C": 3, "D": 4, "E": 5}
_CITATION_PREFIX = {"pubmed": "PMID", "asco": "ASCO", "ash": "ASH"}
# AMP/ASCO/CAP tier and level → the normalised tier of DESIGN.md's ranking.
AMP_TIERS = {("I", "A"): 1, ("I", "B"): 1, ("II", "C"): 2, ("II", "D"): 3, ("III", ""): 5, ("IV", ""): 5}
_SIGNIFICANCE = {
    "sensitivity/response": "sensitivity",
    "sensitivityresponse": "sensitivity",
    "sensitivity": "sensitivity",
    "reduced sensitivity": "reduced sensitivity",
    "adverse response": "adverse response",
}


@functools.lru_cache(maxsize=256)
def normalise_significance(text: str) -> str:
    """CIViC's clinical significance in the graph's lower-case vocabulary ("" for none)."""
    key = " ".join(text.replace("_", " ").split()).lower()
    if key in ("", "n/a", "na"):
        return ""
    return _SIGNIFICANCE.get(key, key)


@functools.lru_cache(maxsize=1024)
def _lower(text: str) -> str:
    value = " ".join(text.replace("_", " ").split()).lower()
    return "" if value in ("n/a", "na") else value


class CivicLoader(GeneResolvingLoader):
    """CIViC TSV releases, 2021 or current layout, into evidence, variants, classes and therapies."""

    spec = SourceSpec(
        name="civic",
        title="CIViC: Clinical Interpretation of Variants in Cancer",
        license="CC0-1.0",
        license_url="https://civicdb.org/about/licensing",
        redistributable=True,
        homepage="https://civicdb.org/",
        files={
            "evidence": f"{_NIGHTLY}ClinicalEvidenceSummaries.tsv",
            "variants": f"{_NIGHTLY}VariantSummaries.tsv",
            "molecular_profiles": f"{_NIGHTLY}MolecularProfileSummaries.tsv",
            "assertions": f"{_NIGHTLY}AssertionSummaries.tsv",
            "features": f"{_NIGHTLY}FeatureSummaries.tsv",
        },
        attribution="CIViC (civicdb.org), released under CC0 1.0.",
    )

    def __init__(
        self,
        paths: Mapping[str, Path],
        *,
        version: str,
        skip_bad_rows: bool = False,
        genes: GeneResolver | None = None,
    ) -> None:
        super().__init__(paths, version=version, skip_bad_rows=skip_bad_rows, genes=genes)
        self.rejected = 0  # evidence items CIViC's curators rejected (left out of the graph)
        self.profiles_read_by_name = 0  # profiles without variant rows, read from their names
        self.unresolved_profiles: dict[int, str] = {}  # profile id -> name, its evidence skipped and counted

    @classmethod
    def required_files(cls) -> tuple[str, ...]:
        # molecular_profiles is required too, but only for the current layout (checked in parse).
        return ("evidence", "variants")

    @classmethod
    def locate(cls, folder: Path) -> dict[str, Path]:
        """CIViC's tables in a folder, nightly (``nightly-VariantSummaries.tsv``) or dated
        (``01-Aug-2021-VariantSummaries.tsv``), gzipped or not; the newest name wins."""
        found: dict[str, Path] = {}
        for logical, url in cls.spec.files.items():
            table = url.rsplit("/", 1)[-1].removeprefix("nightly-")
            matches = sorted(p for p in folder.iterdir() if p.name.removesuffix(".gz").endswith(table))
            if matches:
                found[logical] = matches[-1]
        drugs = sorted(p for p in folder.iterdir() if p.name.removesuffix(".gz").endswith(_DRUG_TABLES))
        if drugs:
            found["drugs"] = drugs[-1]
        missing = [logical for logical in cls.required_files() if logical not in found]
        if missing:
            raise SourceFileError(
                str(folder),
                None,
                f"civic: no {', '.join(missing)} table here (expected *ClinicalEvidenceSummaries.tsv "
                "and *VariantSummaries.tsv, from a CIViC release or nightly)",
            )
        return found

    @classmethod
    def starter(cls) -> Self:
        """The loader on the bundled CIViC tables (CC0; see :data:`STARTER_VERSION`)."""
        folder = Path(str(importlib.resources.files("loaders") / "starter" / "civic"))
        return cls(cls.locate(folder), version=STARTER_VERSION)

    # ------------------------------------------------------------------------- parse

    def parse(self) -> Iterator[Record]:
        layout = detect_layout(self.paths["evidence"])
        if layout == LAYOUT_CURRENT and "molecular_profiles" not in self.paths:
            raise SourceFileError(
                str(self.paths["evidence"]), None,
                "this is the current (molecular-profile) CIViC layout: it needs MolecularProfileSummaries too "
                "(give it as the 'molecular_profiles' file)",
            )  # fmt: skip
        graph = VariantGraph(self, layout)
        if "features" in self.paths:
            graph.features.read(self.paths["features"], self.bad)
        graph.read_variants(self.paths["variants"])
        if layout == LAYOUT_CURRENT:
            graph.read_profiles(self.paths["molecular_profiles"])
            for mpid, name, line in self._profiles_named_by_evidence(graph):
                graph.resolve_by_name(mpid, name, line)
            self._report_resolution(graph)
        yield from graph.records()
        drugs = self._drug_table()
        therapies = _Therapies(self, drugs)
        evidence_facts: dict[int, tuple[int, str]] = {}
        yield from self._evidence(layout, graph, therapies, evidence_facts)
        if "assertions" in self.paths:
            yield from self._assertions(layout, graph, therapies, evidence_facts)
        for record_id, given, used in graph.corrected:
            logger.info("civic: %s gives variant_id %d but names CIViC variant %d; using the named variant",
                           record_id, given, used)  # fmt: skip
        if self.rejected:
            logger.info("civic: left out %d rejected evidence items", self.rejected)
        if therapies.unmapped_diseases:
            logger.info("civic: %d evidence items name a disease without a DOID (kept as disease_name)",
                        therapies.unmapped_diseases)  # fmt: skip

    def _profiles_named_by_evidence(self, graph: VariantGraph) -> Iterator[tuple[int, str, int]]:
        """(profile id, profile name, line) of evidence and assertions about profiles the profile table lacks."""
        for key, table in (("evidence", EVIDENCE_COLUMNS), ("assertions", ASSERTION_COLUMNS)):
            if key not in self.paths:
                continue
            col = columns(table, LAYOUT_CURRENT)
            c_id, c_name = col["subject"], col["subject_name"]
            for line, row in read_civic_table(self.paths[key], (c_id, c_name), lambda _: None):
                text = row[c_id].strip()
                if text.isdigit() and int(text) not in graph.subjects and row[c_name].strip():
                    yield int(text), row[c_name], line

    def _report_resolution(self, graph: VariantGraph) -> None:
        """Say how a release whose tables are of different dates fitted together (no patient data here)."""
        self.profiles_read_by_name = graph.named_profiles
        self.unresolved_profiles = dict(graph.unresolved_profiles)
        if graph.named_profiles:
            logger.info("civic: %d molecular profiles lack variant rows and were read from their names",
                        graph.named_profiles)  # fmt: skip
        if graph.unresolved_profiles:
            shown = ", ".join(f"{mpid} {name!r}" for mpid, name in list(graph.unresolved_profiles.items())[:8])
            logger.warning(
                "civic: %d molecular profiles cannot be resolved (missing from MolecularProfileSummaries, or %d of "
                "their variants from VariantSummaries, and their names cannot be read); evidence about them is "
                "skipped and counted: %s%s",
                len(graph.unresolved_profiles), len(graph.missing_variants), shown,
                " …" if len(graph.unresolved_profiles) > 8 else "",
            )  # fmt: skip

    def _drug_table(self) -> dict[str, tuple[str, str]]:
        """Drug name (lower-case) → (CIViC drug id, NCIt code), from the optional drugs table."""
        path = self.paths.get("drugs")
        if path is None:
            return {}
        table: dict[str, tuple[str, str]] = {}
        for _, row in read_civic_table(path, ("drug_name", "drug_id"), self.bad):
            table[row["drug_name"].strip().lower()] = (row["drug_id"].strip(), row.get("ncit_id", "").strip())
        return table

    def _unresolved(self, layout: str, subject: str, error: SourceFileError) -> bool:
        """True (and the row counted as skipped) when it is about a profile known to be unresolvable."""
        text = subject.strip()
        if layout == LAYOUT_2021 or not text.isdigit() or int(text) not in self.unresolved_profiles:
            return False
        problem = (
            f"molecular profile {text} ({self.unresolved_profiles[int(text)]!r}) cannot be resolved with this "
            "release's profile and variant tables"
        )
        self.skipped.append(SourceFileError(error.path, error.line, problem, field=error.field))
        return True

    @staticmethod
    def _subject(
        layout: str, graph: VariantGraph, number: str, row: Mapping[str, str], column: str, kind: str = "CIVIC.EID"
    ) -> str | None:
        if layout == LAYOUT_2021:
            return graph.subject_2021(f"{kind}:{number}", row[column], row["gene"], row["variant"])
        text = row[column].strip()
        return graph.subjects.get(int(text)) if text.isdigit() else None

    def _evidence(
        self,
        layout: str,
        graph: VariantGraph,
        therapies: _Therapies,
        evidence_facts: dict[int, tuple[int, str]],
    ) -> Iterator[Record]:
        path = self.paths["evidence"]
        col = columns(EVIDENCE_COLUMNS, layout)
        c_id, c_subject, c_type, c_level = (
            col["evidence_id"],
            col["subject"],
            col["evidence_type"],
            col["evidence_level"],
        )
        c_interaction, c_drugs, c_doid, c_disease = col["interaction"], col["drugs"], col["doid"], col["disease"]
        subject_kind = "variant_id" if layout == LAYOUT_2021 else "molecular_profile_id"
        subject_file = "VariantSummaries" if layout == LAYOUT_2021 else "MolecularProfileSummaries"
        about, in_disease, with_therapy = RelType.ABOUT, RelType.IN_DISEASE, RelType.WITH_THERAPY
        evidence_label = Label.EVIDENCE
        for line, row in read_civic_table(path, tuple(col.values()), self.bad):
            eid_text = row[c_id]
            problem, field = "", ""
            target = self._subject(layout, graph, eid_text, row, c_subject)
            evidence_type = _lower(row[c_type])
            level = row[c_level].strip().upper()
            if not eid_text.isdigit():
                problem, field = f"expected a numeric evidence id, got {eid_text!r}", c_id
            elif target is None:
                problem, field = f"{subject_kind} {row[c_subject]!r} is not in the {subject_file} file", c_subject
            elif evidence_type not in EVIDENCE_TYPES:
                problem, field = f"evidence type {row[c_type]!r} is not one of {sorted(EVIDENCE_TYPES)}", c_type
            elif level not in LEVEL_TIERS:
                problem, field = f"evidence level {row[c_level]!r} is not one of A-E", c_level
            if problem or target is None:
                error = SourceFileError(str(path), line, problem, field=field)
                if self._unresolved(layout, row[c_subject], error):
                    continue
                self.bad(error)
                continue
            props = _common_props(row, col)
            if props.get("status") == "rejected":  # curators rejected it: it must never reach a patient report
                self.rejected += 1
                continue
            eid = int(eid_text)
            record_id = f"CIVIC.EID:{eid}"
            provenance = self.provenance(record_id, line)
            tier = LEVEL_TIERS[level]
            props["record_type"] = "evidence_item"
            props["evidence_type"] = evidence_type
            props["level"] = level
            props["tier"] = tier
            if layout == LAYOUT_2021:
                props["molecular_profile"] = f"{row['gene']} {row['variant']}".strip()
            else:
                props["molecular_profile"] = row[col["subject_name"]]
            interaction = _lower(row[c_interaction])
            if interaction:
                props["therapy_interaction"] = interaction
            drug_names = split_drugs(row[c_drugs])
            if drug_names:
                props["drugs"] = list(drug_names)
            evidence_facts[eid] = (tier, interaction)
            disease = therapies.disease(row[c_doid], row[c_disease], props, provenance)
            if disease is not None:
                yield disease
            therapy_ids: list[str] = []
            if drug_names:
                new, therapy_ids = therapies.for_drugs(drug_names, interaction, provenance)
                yield from new
            yield Node(record_id, evidence_label, f"EID{eid}", (), props, provenance)
            yield Edge(record_id, about, target, {}, provenance)
            doid = props.get("doid")
            if doid:
                yield Edge(record_id, in_disease, str(doid), {}, provenance)
            for therapy_id in therapy_ids:
                yield Edge(record_id, with_therapy, therapy_id, {}, provenance)

    def _assertions(
        self,
        layout: str,
        graph: VariantGraph,
        therapies: _Therapies,
        evidence_facts: Mapping[int, tuple[int, str]],
    ) -> Iterator[Record]:
        path = self.paths["assertions"]
        col = columns(ASSERTION_COLUMNS, layout)
        for line, row in read_civic_table(path, tuple(col.values()), self.bad):
            aid_text, subject_text = row[col["assertion_id"]], row[col["subject"]]
            target = self._subject(layout, graph, aid_text, row, col["subject"], kind="CIVIC.AID")
            evidence_type = row[col["assertion_type"]].strip().lower()
            problem, field = "", ""
            if not aid_text.isdigit():
                problem, field = f"expected a numeric assertion id, got {aid_text!r}", col["assertion_id"]
            elif target is None:
                problem, field = f"{col['subject']} {subject_text!r} is not a known CIViC subject", col["subject"]
            elif evidence_type not in EVIDENCE_TYPES:
                problem, field = (
                    f"assertion type {evidence_type!r} is not one of {sorted(EVIDENCE_TYPES)}",
                    col["assertion_type"],
                )
            if problem or target is None:
                error = SourceFileError(str(path), line, problem, field=field)
                if self._unresolved(layout, subject_text, error):
                    continue
                self.bad(error)
                continue
            aid = int(aid_text)
            record_id = f"CIVIC.AID:{aid}"
            provenance = self.provenance(record_id, line)
            eids = [int(e) for e in split_list(row[col["evidence_item_ids"]]) if e.isdigit()]
            props: dict[str, PropValue] = {"record_type": "assertion", "evidence_type": evidence_type}
            _assertion_props(props, row, col, eids, evidence_facts)
            if layout == LAYOUT_2021:
                props["molecular_profile"] = f"{row['gene']} {row['variant']}".strip()
            else:
                props["molecular_profile"] = row[col["subject_name"]]
            drug_names = split_drugs(row[col["drugs"]])
            # The TSV may lack the interaction type: the evidence the assertion rests on gives it.
            interaction = _lower(row.get("therapy_interaction_type", "") or row.get("drug_interaction_type", ""))
            interactions = Counter(evidence_facts[e][1] for e in eids if e in evidence_facts and evidence_facts[e][1])
            if not interaction and interactions:
                interaction = interactions.most_common(1)[0][0]
            if drug_names:
                props["drugs"] = list(drug_names)
                if interaction:
                    props["therapy_interaction"] = interaction
            disease = therapies.disease(row[col["doid"]], row[col["disease"]], props, provenance)
            if disease is not None:
                yield disease
            new, therapy_ids = therapies.for_drugs(drug_names, interaction, provenance)
            yield from new
            yield Node(record_id, Label.EVIDENCE, f"AID{aid}", props=props, provenance=provenance)
            yield Edge(record_id, RelType.ABOUT, target, provenance=provenance)
            if "doid" in props:
                yield Edge(record_id, RelType.IN_DISEASE, str(props["doid"]), provenance=provenance)
            for therapy_id in therapy_ids:
                yield Edge(record_id, RelType.WITH_THERAPY, therapy_id, provenance=provenance)


def _common_props(row: Mapping[str, str], col: Mapping[str, str]) -> dict[str, PropValue]:
    """The properties evidence rows of both layouts share."""
    props: dict[str, PropValue] = {}
    significance_text = row[col["significance"]]
    significance = normalise_significance(significance_text)
    if significance:
        props["significance"] = significance
        props["source_significance"] = significance_text.strip()
    direction = _lower(row[col["evidence_direction"]])
    if direction:
        props["direction"] = direction
    rating = row[col["rating"]]
    if rating.isdigit():
        props["rating"] = int(rating)
    source_type = row[col["source_type"]].strip()
    citation_id = row[col["citation_id"]].strip()
    if source_type:
        props["source_type"] = source_type.lower()
    if citation_id:
        props["citation_id"] = (
            f"{_CITATION_PREFIX.get(source_type.lower()) or source_type.upper() or 'CITATION'}:{citation_id}"
        )
    value = row[col["citation"]].strip()
    if value:
        props["citation"] = value
    value = row[col["evidence_statement"]].strip()
    if value:
        props["statement"] = value
    value = row[col["asco_abstract_id"]].strip()
    if value:
        props["asco_abstract_id"] = value
    value = row[col["nct_ids"]]
    if value:
        nct_ids = split_list(value)
        if nct_ids:
            props["nct_ids"] = nct_ids
    value = _lower(row[col["evidence_status"]])
    if value:
        props["status"] = value
    value = _lower(row[col["variant_origin"]])
    if value:
        props["variant_origin"] = value
    value = row[col["phenotypes"]]
    if value:
        phenotypes = split_list(value)
        if phenotypes:
            props["phenotypes"] = phenotypes
    if row.get("is_flagged") == "true":  # current layout: a curator flagged it for review
        props["flagged"] = True
    return props


def _assertion_props(
    props: dict[str, PropValue],
    row: Mapping[str, str],
    col: Mapping[str, str],
    eids: list[int],
    evidence_facts: Mapping[int, tuple[int, str]],
) -> None:
    significance_text = row[col["significance"]].strip()
    significance = normalise_significance(significance_text)
    if significance:
        props["significance"] = significance
        props["source_significance"] = significance_text
    direction = _lower(row[col["assertion_direction"]])
    if direction:
        props["direction"] = direction
    amp = " ".join(row[col["amp_category"]].replace("_", " ").split())
    tier: int | None = None
    if amp:
        props["amp_category"] = amp
        props["level"] = amp
        words = amp.upper().replace("-", " ").split()
        amp_tier = words[words.index("TIER") + 1] if "TIER" in words[:-1] else ""
        amp_level = words[words.index("LEVEL") + 1] if "LEVEL" in words[:-1] else ""
        if amp_tier:
            props["amp_tier"] = amp_tier
        if amp_level:
            props["amp_level"] = amp_level
        tier = AMP_TIERS.get((amp_tier, amp_level)) or AMP_TIERS.get((amp_tier, ""))
    approval = row[col["regulatory_approval"]].strip().lower() == "true"
    props["regulatory_approval"] = approval
    props["fda_companion_test"] = row[col["fda_companion_test"]].strip().lower() == "true"
    if tier is None:
        supporting = [evidence_facts[e][0] for e in eids if e in evidence_facts]
        tier = 1 if approval else (min(supporting) if supporting else None)
    if tier is not None:
        props["tier"] = tier
    for key in ("nccn_guideline", "nccn_guideline_version"):
        value = row[col[key]].strip()
        if value:
            props[key] = value
    summary = row[col["assertion_summary"]].strip()
    if summary:
        props["statement"] = summary
    acmg = split_list(row[col["acmg_codes"]])
    if acmg:
        props["acmg_codes"] = acmg
    if eids:
        props["evidence_ids"] = [f"CIVIC.EID:{e}" for e in eids]
    phenotypes = split_list(row[col["phenotypes"]])
    if phenotypes:
        props["phenotypes"] = phenotypes


class _Therapies:
    """Diseases, drugs and therapies met while streaming evidence; each node is yielded once."""

    def __init__(self, loader: CivicLoader, drugs: Mapping[str, tuple[str, str]]) -> None:
        self._loader = loader
        self._drugs = drugs
        self._seen: set[str] = set()
        self._therapies: dict[tuple[tuple[str, ...], str], list[str]] = {}
        self.unmapped_diseases = 0

    def disease(
        self, doid_text: str, name: str, props: dict[str, PropValue], provenance: tuple[Provenance, ...]
    ) -> Node | None:
        """Record the disease on ``props``; return its node the first time it is met."""
        name = name.strip()
        if name:
            props["disease_name"] = name
        doid = doid_text.strip().removeprefix("DOID:")
        if not doid.isdigit() and is_any_solid_tumor(name):
            # CIViC's "Solid Tumor" (tumour-agnostic approvals: larotrectinib, entrectinib) has no DOID: it is the
            # graph's one "any solid tumour" node, a broader term of every solid cancer for queries.
            disease_id, label, extra = ANY_SOLID_TUMOR[0], ANY_SOLID_TUMOR[1], {"solid_tumor": True}
        elif not doid.isdigit():
            self.unmapped_diseases += 1
            return None
        else:
            disease_id, label, extra = f"DOID:{doid}", name or f"DOID:{doid}", {}
        props["doid"] = disease_id
        if disease_id in self._seen:
            return None
        self._seen.add(disease_id)
        synonyms = (name,) if name and name != label else ()
        return Node(disease_id, Label.DISEASE, label, synonyms, extra, provenance=provenance)

    def drug_id(self, name: str) -> tuple[str, tuple[str, ...], dict[str, PropValue]]:
        civic_id, ncit = self._drugs.get(name.lower(), ("", ""))
        synonyms = (f"CIVIC.TID:{civic_id}",) if civic_id else ()
        props: dict[str, PropValue] = {"civic_therapy_id": int(civic_id)} if civic_id.isdigit() else {}
        if ncit:
            props["ncit_id"] = ncit
            return f"NCIT:{ncit}", synonyms, props
        return pmkg_id("drug", _slug(name)), synonyms, props

    def for_drugs(
        self, names: tuple[str, ...], interaction: str, provenance: tuple[Provenance, ...]
    ) -> tuple[list[Record], list[str]]:
        """New Drug/Therapy records, and the ids of the therapies the evidence is about."""
        if not names:
            return [], []
        key = (names, interaction)
        known = self._therapies.get(key)
        if known is not None:
            return [], known
        groups: list[tuple[tuple[str, ...], str]]
        if len(names) == 1 or interaction in ("substitutes", ""):
            # "Substitutes" (and a drug list without an interaction type) are alternatives: one therapy each.
            groups = [((name,), "single") for name in names]
        elif interaction == "sequential":
            groups = [(names, "sequential")]
        else:
            groups = [(names, "combination")]
        records: list[Record] = []
        ids = [self._therapy(drugs, kind, provenance, records) for drugs, kind in groups]
        self._therapies[key] = ids
        return records, ids

    def _therapy(
        self, names: tuple[str, ...], kind: str, provenance: tuple[Provenance, ...], records: list[Record]
    ) -> str:
        drug_ids = []
        for name in names:
            drug_id, synonyms, drug_props = self.drug_id(name)
            drug_ids.append(drug_id)
            if drug_id not in self._seen:
                self._seen.add(drug_id)
                records.append(Node(drug_id, Label.DRUG, name, synonyms, drug_props, provenance))
        if kind == "sequential":
            therapy_id = pmkg_id("therapy", "sequential:" + ">".join(_slug(n) for n in names))
            therapy_name = " then ".join(names)
        else:
            ordered = sorted(names, key=str.lower)
            therapy_id = pmkg_id("therapy", "+".join(_slug(n) for n in ordered))
            therapy_name = " + ".join(ordered)
        if therapy_id not in self._seen:
            self._seen.add(therapy_id)
            props: dict[str, PropValue] = {"interaction": kind, "drug_count": len(names), "drugs": list(names)}
            records.append(Node(therapy_id, Label.THERAPY, therapy_name, props=props, provenance=provenance))
            records.extend(Edge(therapy_id, RelType.HAS_COMPONENT, d, provenance=provenance)
                           for d in dict.fromkeys(drug_ids))  # fmt: skip
        return therapy_id


def _slug(name: str) -> str:
    return " ".join(name.split()).lower()
