"""MOAlmanac (Molecular Oncology Almanac): clinical assertions linking features, diseases, therapies.

Reads either layout of a moalmanac-db release:

* the flat ``molecular-oncology-almanac.json`` (one object per assertion: feature fields,
  OncoTree disease, therapy with NCIt codings, predictive implication, citation), or
* the normalised ``referenced/`` tables (statements → propositions → biomarkers, therapies,
  therapy groups, diseases, documents, indications …), read by :mod:`loaders.moalmanac_referenced`.

Both become the same :class:`~loaders.moalmanac_features.Assertion` objects and so the same
graph: ``Evidence`` (``MOALMANAC:<assertion or statement id>``) ``-[:ABOUT]->`` a Variant,
VariantClass or MolecularProfile, ``-[:IN_DISEASE]->`` an OncoTree/NCIt Disease and
``-[:WITH_THERAPY]->`` a Therapy whose ``HAS_COMPONENT`` Drugs carry NCIt ids where MOAlmanac
gives them.  Class nodes carry their :mod:`kg.variant_classes` rule, and MOAlmanac's own
variants get ``MEMBER_OF`` edges to its classes by those rules.  Gene, Disease and Drug nodes
are minimal; the owning sources fill them in.  Evidence keeps MOAlmanac's fields as
properties (``level`` = predictive implication, normalised ``tier``, citation, DOI, PubMed id,
approval details, ``feature_*`` fields).

MOAlmanac is GPL-2.0 with a DFCI/Broad research-use-only disclaimer: pmkg must never bundle
or redistribute its content.  There is no ``starter()``; users fetch the release themselves
(``pmkg fetch moalmanac``), and this module only reads what they fetched.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Self

from kg.disease_names import ANY_SOLID_TUMOR
from kg.errors import SourceFileError
from kg.records import Edge, Node, PropValue, Record
from kg.schema import Label, RelType
from loaders.base import SourceSpec, open_text
from loaders.evidence_records import (
    ADVERSE_RESPONSE,
    BETTER_OUTCOME,
    DOES_NOT_SUPPORT,
    POOR_OUTCOME,
    POSITIVE,
    RESISTANCE,
    SENSITIVITY,
    SUPPORTS,
    DrugRef,
    Memberships,
    ProfilePart,
    clean_text,
    profile_records,
    therapy_records,
)
from loaders.genes import GeneResolver, GeneResolvingLoader
from loaders.json_files import read_json, read_json_array
from loaders.moalmanac_features import (
    LEVEL_TIERS,
    Assertion,
    DiseaseRef,
    Feature,
    FeatureError,
    MappedFeature,
    feature_target,
)
from loaders.moalmanac_referenced import ReferencedTables

logger = logging.getLogger(__name__)

_RAW = "https://raw.githubusercontent.com/vanallenlab/moalmanac-db/main/"
FLAT = "almanac"
# Logical name -> file name of the referenced layout (under ``referenced/`` in the repository).
# The tables the loader reads (mappings.json and contributions.json are not needed).
# fmt: off
REFERENCED = {
    name: f"{name}.json"
    for name in ("about", "agents", "biomarkers", "codings", "diseases", "documents", "genes", "indications",
                 "propositions", "statements", "strengths", "therapies", "therapy_groups", "urls")
}
# fmt: on
FLAT_FILE = "molecular-oncology-almanac.json"

# Keys of a flat assertion that describe the assertion, not its molecular feature.
# fmt: off
_ASSERTION_KEYS = frozenset({
    "feature_type", "disease", "context", "oncotree_term", "oncotree_code", "therapy_name", "therapy_strategy",
    "therapy_type", "therapy_sensitivity", "therapy_resistance", "favorable_prognosis", "adverse_event_risk",
    "diagnostic", "predictive_implication", "description", "source_type", "citation", "url", "doi", "pmid", "nct",
    "publication_date", "last_updated", "_deprecated", "assertion_id", "feature_id", "source_id",
    "therapy_name_mappings",
})
# fmt: on
_FLAT_REQUIRED = ("assertion_id", "feature_type", "predictive_implication", "therapy_name", "oncotree_code")


class MoalmanacLoader(GeneResolvingLoader):
    """Loader of a moalmanac-db release in its flat or referenced layout."""

    spec = SourceSpec(
        name="moalmanac",
        title="Molecular Oncology Almanac (MOAlmanac)",
        license="GPL-2.0-only",
        license_url="https://github.com/vanallenlab/moalmanac-db/blob/main/LICENSE",
        redistributable=False,
        homepage="https://moalmanac.org",
        files={
            FLAT: _RAW + FLAT_FILE,
            **{name: f"{_RAW}referenced/{file}" for name, file in REFERENCED.items()},
        },
        attribution=(
            "Molecular Oncology Almanac (Van Allen lab, Dana-Farber Cancer Institute / Broad Institute), GPL-2.0; "
            "for research use only, diagnostic and clinical use prohibited. Reardon B. et al., Nat Cancer 2021, "
            "doi:10.1038/s43018-021-00243-3."
        ),
    )

    def __init__(
        self,
        paths: Mapping[str, Path],
        *,
        version: str,
        skip_bad_rows: bool = False,
        layout: str | None = None,
        genes: GeneResolver | None = None,
    ) -> None:
        super().__init__(paths, version=version, skip_bad_rows=skip_bad_rows, genes=genes)
        has_flat = FLAT in self.paths
        missing_referenced = sorted(set(REFERENCED) - set(self.paths))
        if layout is None:
            layout = "flat" if has_flat else "referenced"
        if layout not in ("flat", "referenced"):
            raise SourceFileError(
                self.spec.name, None, f"unknown MOAlmanac layout {layout!r}; expected flat or referenced"
            )
        if layout == "flat" and not has_flat:
            raise SourceFileError(self.spec.name, None, f"the flat layout needs {FLAT_FILE} (logical name {FLAT!r})")
        if layout == "referenced" and missing_referenced:
            given = ", ".join(sorted(self.paths)) or "none"
            raise SourceFileError(
                str(next(iter(self.paths.values()), self.spec.name)),
                None,
                f"MOAlmanac needs either {FLAT_FILE} or the referenced/ tables; missing {missing_referenced} "
                f"(given: {given})",
            )
        self.layout = layout
        self.deprecated = 0  # assertions MOAlmanac marks deprecated or withdrawn (left out)

    @classmethod
    def required_files(cls) -> tuple[str, ...]:
        return ()  # either layout will do; checked in __init__

    @classmethod
    def from_path(cls, path: Path, *, version: str | None = None, skip_bad_rows: bool = False) -> Self:
        """A loader over the flat JSON file, or a folder holding it or the referenced tables.

        The folder may be ``pmkg fetch``'s cache (every file side by side) or a moalmanac-db
        checkout (``referenced/`` beside the flat file).  Without ``version`` the referenced
        layout's ``about.json`` date, else the latest ``last_updated`` of the flat file is used.
        """
        path = Path(path)
        paths: dict[str, Path] = {}
        if path.is_file():
            paths[FLAT] = path
        else:
            flat = path / FLAT_FILE
            if flat.exists():
                paths[FLAT] = flat
            for folder in (path, path / "referenced"):
                found = {name: folder / file for name, file in REFERENCED.items() if (folder / file).exists()}
                if len(found) == len(REFERENCED):
                    paths.update(found)
                    break
        if not paths:
            raise SourceFileError(str(path), None, f"found neither {FLAT_FILE} nor the referenced/ tables here")
        return cls(paths, version=version or _release_version(paths), skip_bad_rows=skip_bad_rows)

    def parse(self) -> Iterator[Record]:
        if self.layout == "flat":
            assertions = self._flat_assertions()
        else:
            tables = ReferencedTables.read(self.paths)
            assertions = tables.assertions(self.bad, self._note_deprecated)
        memberships = Memberships()
        for assertion in assertions:
            yield from self.assertion_records(assertion, memberships)
        yield from memberships.edges()
        if self.deprecated:
            logger.info("moalmanac: left out %d deprecated or withdrawn assertions", self.deprecated)

    def _note_deprecated(self) -> None:
        self.deprecated += 1

    # ------------------------------------------------------------------ flat layout

    def _flat_assertions(self) -> Iterator[Assertion]:
        path = self.paths[FLAT]
        for line, record in read_json_array(path, "assertion_id"):
            try:
                assertion = flat_assertion(record, line)
            except FeatureError as exc:
                where = record.get("assertion_id", "?") if isinstance(record, dict) else "?"
                self.bad(SourceFileError(str(path), line, f"assertion {where}: {exc.problem}", field=exc.field))
                continue
            if assertion is None:
                self.deprecated += 1
                continue
            yield assertion

    # ------------------------------------------------------------------ graph

    def assertion_records(self, assertion: Assertion, memberships: Memberships) -> Iterator[Record]:
        """The graph records of one assertion (both layouts end here); classes go to ``memberships``."""
        path = self.paths[FLAT] if self.layout == "flat" else self.paths["statements"]
        provenance = self.provenance(assertion.record_id, assertion.line)
        try:
            mapped = [feature_target(feature, self.genes) for feature in assertion.features]
        except FeatureError as exc:
            self.bad(
                SourceFileError(
                    str(path), assertion.line, f"assertion {assertion.record_id}: {exc.problem}", field=exc.field
                )
            )
            return
        if not mapped:
            self.bad(
                SourceFileError(
                    str(path), assertion.line, f"assertion {assertion.record_id} names no feature", field="biomarkers"
                )
            )
            return
        records: list[Record] = []
        if len(mapped) == 1 and assertion.features[0].present:
            about_id = mapped[0].target.id
            records.extend(mapped[0].target.records(provenance))
        else:
            parts = [ProfilePart((m.target,), not f.present) for m, f in zip(mapped, assertion.features, strict=True)]
            about_id, profile = profile_records(parts, provenance)
            records.extend(profile)
        for m in mapped:
            records.extend(memberships.add(m.target, provenance))
        evidence_id = f"MOALMANAC:{assertion.record_id}"
        edges = [Edge(evidence_id, RelType.ABOUT, about_id, provenance=provenance)]
        if assertion.disease is not None:
            disease = assertion.disease
            records.append(
                Node(disease.id, Label.DISEASE, disease.name, disease.synonyms, dict(disease.props), provenance)
            )
            edges.append(Edge(evidence_id, RelType.IN_DISEASE, disease.id, provenance=provenance))
        if assertion.drugs:
            therapy_id, therapy = therapy_records(assertion.drugs, provenance)
            records.extend(therapy)
            edges.append(Edge(evidence_id, RelType.WITH_THERAPY, therapy_id, provenance=provenance))
        props = _evidence_props(assertion, mapped)
        records.append(
            Node(evidence_id, Label.EVIDENCE, _evidence_name(assertion, mapped), props=props, provenance=provenance)
        )
        yield from records
        yield from edges


def _evidence_props(assertion: Assertion, mapped: list[MappedFeature]) -> dict[str, PropValue]:
    props: dict[str, PropValue] = {
        "evidence_type": assertion.evidence_type,
        "significance": assertion.significance,
        "direction": assertion.direction,
        "level": assertion.level,
        "tier": assertion.tier,
        "source_record": assertion.record_id,
    }
    if assertion.therapy_name:
        props["therapy_name"] = assertion.therapy_name
    if len(mapped) == 1:
        props.update(mapped[0].evidence_props)
    else:
        props["feature_type"] = [str(m.evidence_props["feature_type"]) for m in mapped]
        props["feature"] = " AND ".join(str(m.evidence_props["feature"]) for m in mapped)
        for m in mapped:
            for key in ("variant_origin", "requires_oncogenic", "requires_pathogenic"):
                if key in m.evidence_props:
                    props[key] = m.evidence_props[key]
    props.update({k: v for k, v in assertion.props.items() if v not in ("", [], None)})
    return props


def _evidence_name(assertion: Assertion, mapped: list[MappedFeature]) -> str:
    feature = " + ".join(str(m.evidence_props["feature"]) for m in mapped)
    outcome = assertion.therapy_name or assertion.significance
    disease = assertion.disease.name if assertion.disease else "any disease"
    return f"MOAlmanac {assertion.record_id}: {feature} · {outcome} · {disease}"


# ---------------------------------------------------------------------- flat layout


def flat_assertion(record: Any, line: int | None) -> Assertion | None:
    """One flat-layout object as an Assertion; None if MOAlmanac marks it deprecated."""
    if not isinstance(record, dict):
        raise FeatureError("assertion", f"expected a JSON object per assertion, got {type(record).__name__}")
    absent = [key for key in _FLAT_REQUIRED if key not in record]
    if absent:
        raise FeatureError(absent[0], f"assertion lacks {absent}; is this molecular-oncology-almanac.json?")
    if record.get("_deprecated") is True:
        return None
    text = {key: _text(value) for key, value in record.items() if key != "therapy_name_mappings"}
    feature_type = text["feature_type"]
    genes = tuple(g for g in (text.get("gene", ""), text.get("gene1", ""), text.get("gene2", "")) if g)
    fields = {k: v for k, v in record.items() if k not in _ASSERTION_KEYS and v not in ("", None)}
    feature = Feature(feature_type, genes, fields)
    evidence_type, significance, direction = _flat_significance(record, text)
    level = text["predictive_implication"]
    if level not in LEVEL_TIERS:
        raise FeatureError(
            "predictive_implication", f"unknown predictive implication {level!r}; expected one of {sorted(LEVEL_TIERS)}"
        )
    drugs = _flat_drugs(text["therapy_name"], record.get("therapy_name_mappings") or [])
    props: dict[str, PropValue] = {
        "record_type": "assertion",
        "statement": text.get("description", ""),
        "citation_id": _citation_id(text.get("pmid", ""), text.get("doi", ""), text.get("url", "")),
        "citation": text.get("citation", ""),
        "url": text.get("url", ""),
        "doi": text.get("doi", ""),
        "pmids": [text["pmid"]] if text.get("pmid") else [],
        "nct_ids": [n.strip() for n in text.get("nct", "").split(",") if n.strip()],
        "publication_date": text.get("publication_date", ""),
        "last_updated": text.get("last_updated", ""),
        "source_type": text.get("source_type", ""),
        "therapy_type": text.get("therapy_type", ""),
        "therapy_strategy": text.get("therapy_strategy", ""),
        "disease_name": text.get("disease", ""),
        "disease_context": text.get("context", ""),
        "oncotree_code": text.get("oncotree_code", ""),
        "oncotree_term": text.get("oncotree_term", ""),
        "moalmanac_feature_id": text.get("feature_id", ""),
        "moalmanac_source_id": text.get("source_id", ""),
        "moalmanac_layout": "flat",
    }
    if text.get("source_type") == "FDA":
        props["approval_agency"] = "FDA"
    for key, value in fields.items():
        if isinstance(value, bool | int | float | str):
            props[f"feature_{key}"] = value
    return Assertion(
        record_id=text["assertion_id"],
        line=line,
        features=(feature,),
        disease=_flat_disease(text),
        drugs=drugs,
        therapy_name=text["therapy_name"],
        evidence_type=evidence_type,
        significance=significance,
        direction=direction,
        level=level,
        tier=LEVEL_TIERS[level],
        props=props,
    )


def _citation_id(pmid: str, doi: str, url: str) -> str:
    """The citation as one id, like the CIViC loader's ``citation_id`` (``PMID:…``, else ``DOI:…``, else the URL)."""
    if pmid:
        return f"PMID:{pmid}"
    return f"DOI:{doi}" if doi else url


def _text(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    return clean_text(str(value))


def _flag(record: dict[str, Any], key: str) -> int | None:
    value = record.get(key)
    if value in ("", None):
        return None
    if value in (0, 1, "0", "1") and not isinstance(value, bool):
        return int(value)
    raise FeatureError(key, f"{key} is {value!r}; expected 0, 1 or empty")


def _flat_significance(record: dict[str, Any], text: dict[str, str]) -> tuple[str, str, str]:
    sensitivity, resistance = _flag(record, "therapy_sensitivity"), _flag(record, "therapy_resistance")
    prognosis, adverse = _flag(record, "favorable_prognosis"), _flag(record, "adverse_event_risk")
    diagnostic = _flag(record, "diagnostic")
    if text["therapy_name"]:
        if resistance == 1:
            return "predictive", RESISTANCE, SUPPORTS
        if sensitivity is not None:
            return "predictive", SENSITIVITY, SUPPORTS if sensitivity == 1 else DOES_NOT_SUPPORT
        if adverse == 1:
            return "predictive", ADVERSE_RESPONSE, SUPPORTS
    if prognosis is not None:
        return "prognostic", BETTER_OUTCOME if prognosis == 1 else POOR_OUTCOME, SUPPORTS
    if diagnostic is not None:
        return "diagnostic", POSITIVE, SUPPORTS if diagnostic == 1 else DOES_NOT_SUPPORT
    raise FeatureError("therapy_sensitivity", "assertion gives no therapy response, prognosis or diagnosis")


def _flat_disease(text: dict[str, str]) -> DiseaseRef | None:
    code, term, disease = text.get("oncotree_code", ""), text.get("oncotree_term", ""), text.get("disease", "")
    synonyms = tuple(s for s in (disease,) if s and s != term)
    if code:
        return DiseaseRef(f"ONCOTREE:{code}", term or disease or code, synonyms)
    if term.lower() == ANY_SOLID_TUMOR[1].lower():
        return DiseaseRef(ANY_SOLID_TUMOR[0], ANY_SOLID_TUMOR[1], synonyms, {"solid_tumor": True})
    return None


def _flat_drugs(therapy_name: str, mappings: list[Any]) -> tuple[DrugRef, ...]:
    if not therapy_name:
        return ()
    codes: dict[str, str] = {}
    for mapping in mappings:
        coding = mapping.get("coding", {}) if isinstance(mapping, dict) else {}
        if str(coding.get("id", "")).lower().startswith("ncit:") and coding.get("name"):
            codes[clean_text(coding["name"]).lower()] = f"NCIT:{coding['code']}"
    names = [clean_text(part) for part in therapy_name.split(" + ") if part.strip()]
    return tuple(DrugRef(name, codes.get(name.lower(), "")) for name in names)


# ---------------------------------------------------------------------- JSON with line numbers


def _release_version(paths: Mapping[str, Path]) -> str:
    if "about" in paths and FLAT not in paths:
        about = read_json(paths["about"])
        if isinstance(about, dict) and about.get("last_updated"):
            return str(about["last_updated"])
    if FLAT in paths:
        with open_text(paths[FLAT]) as handle:
            dates = re.findall(r'"last_updated"\s*:\s*"(\d{4}-\d{2}-\d{2})"', handle.read())
        if dates:
            return max(dates)
    return "unknown"
