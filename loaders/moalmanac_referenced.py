"""MOAlmanac's normalised (``referenced/``) layout, dereferenced into assertions.

moalmanac-db is moving to GA4GH VA-Spec-like tables that refer to each other by id:
``statements`` → ``propositions`` (predicate, ``biomarkers``, ``conditionQualifier_id``,
``therapy_id`` or ``therapy_group_id``) → ``biomarkers`` (with ``genes``), ``diseases``,
``therapies`` and ``therapy_groups``; ``documents``, ``indications``, ``agents``, ``urls``
and ``strengths`` say where a statement comes from and how strong it is.  This module
joins them into the same :class:`~loaders.moalmanac_features.Assertion` objects the flat
file gives, so :class:`loaders.moalmanac.MoalmanacLoader` builds one graph from either.

Only the statements are streamed with line numbers (for provenance); the tables they refer
to are small (a few hundred rows each) and held in dicts.  It never reads the network.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import SourceFileError
from kg.records import PropValue
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
    clean_text,
)
from loaders.json_files import read_json, read_json_array
from loaders.moalmanac_features import LEVEL_TIERS, Assertion, DiseaseRef, Feature, FeatureError

# VA-Spec proposition predicates → (evidence type, significance).
PREDICATES: dict[str, tuple[str, str]] = {
    "predictSensitivityTo": ("predictive", SENSITIVITY),
    "predictResistanceTo": ("predictive", RESISTANCE),
    "predictAdverseResponseTo": ("predictive", ADVERSE_RESPONSE),
    "associatedWithBetterOutcomeFor": ("prognostic", BETTER_OUTCOME),
    "associatedWithWorseOutcomeFor": ("prognostic", POOR_OUTCOME),
    "isDiagnosticInclusionCriterionFor": ("diagnostic", POSITIVE),
}
DIRECTIONS = {"supports": SUPPORTS, "disputes": DOES_NOT_SUPPORT}
# Statement statuses MOAlmanac no longer stands behind.
RETIRED = frozenset({"deprecated", "withdrawn"})
_PREFIXES = {"oncotree": "ONCOTREE", "ncit": "NCIT", "doid": "DOID", "mondo": "MONDO"}


@dataclass
class ReferencedTables:
    """The referenced layout's tables, indexed by id; statements stay on disk until streamed."""

    statements_path: Path
    tables: dict[str, dict[Any, dict[str, Any]]]
    paths: Mapping[str, Path]

    @classmethod
    def read(cls, paths: Mapping[str, Path]) -> ReferencedTables:
        tables: dict[str, dict[Any, dict[str, Any]]] = {}
        for name in (
            "agents",
            "biomarkers",
            "codings",
            "diseases",
            "documents",
            "genes",
            "indications",
            "propositions",
            "strengths",
            "therapies",
            "therapy_groups",
            "urls",
        ):
            rows = read_json(paths[name])
            if not isinstance(rows, list) or not all(isinstance(r, dict) and "id" in r for r in rows):
                raise SourceFileError(
                    str(paths[name]), None, f"expected a JSON array of {name} objects, each with an 'id'"
                )
            tables[name] = {row["id"]: row for row in rows}
        return cls(paths["statements"], tables, paths)

    def assertions(self, bad: Callable[[SourceFileError], None], retired: Callable[[], None]) -> Iterator[Assertion]:
        """Every live statement as an Assertion; bad statements go to ``bad``, retired ones to ``retired``."""
        for line, statement in read_json_array(self.statements_path, "id"):
            if not isinstance(statement, dict) or "id" not in statement:
                bad(SourceFileError(str(self.statements_path), line, "expected a statement object with an 'id'"))
                continue
            if str(statement.get("status", "")).lower() in RETIRED:
                retired()
                continue
            try:
                yield self.assertion(statement, line)
            except FeatureError as exc:
                bad(
                    SourceFileError(
                        str(self.statements_path), line, f"statement {statement['id']}: {exc.problem}", field=exc.field
                    )
                )

    # ------------------------------------------------------------------ joins

    def _row(self, table: str, key: Any, field: str) -> dict[str, Any]:
        row = self.tables[table].get(key)
        if row is None:
            raise FeatureError(field, f"{field} {key!r} is not in {table}.json")
        return row

    def assertion(self, statement: dict[str, Any], line: int | None) -> Assertion:
        proposition = self._row("propositions", statement.get("proposition_id"), "proposition_id")
        predicate = str(proposition.get("predicate", ""))
        if predicate not in PREDICATES:
            raise FeatureError(
                "predicate", f"proposition predicate {predicate!r}; expected one of {sorted(PREDICATES)}"
            )
        evidence_type, significance = PREDICATES[predicate]
        direction = DIRECTIONS.get(str(statement.get("direction", "")))
        if direction is None:
            raise FeatureError(
                "direction", f"statement direction {statement.get('direction')!r}; expected supports or disputes"
            )
        documents = [self._row("documents", d, "reportedIn") for d in statement.get("reportedIn") or []]
        level, tier, props = self._strength(statement, documents)
        features = tuple(self._feature(b) for b in proposition.get("biomarkers") or [])
        drugs = self._drugs(proposition)
        props.update(self._document_props(documents))
        props.update(self._indication_props(statement.get("indication_id")))
        props.update(_therapy_props(drugs[1]))
        disease = self._disease(proposition.get("conditionQualifier_id"))
        props["record_type"] = "statement"
        props["statement"] = clean_text(str(statement.get("description") or ""))
        props["moalmanac_layout"] = "referenced"
        props["proposition_type"] = str(proposition.get("type", ""))
        if disease is not None:
            props["disease_name"] = disease.name
            if disease.id.startswith("ONCOTREE:"):
                props["oncotree_code"] = disease.id.removeprefix("ONCOTREE:")
        drug_refs = _with_brand_names(drugs[0], documents)
        return Assertion(
            record_id=str(statement["id"]),
            line=line,
            features=features,
            disease=disease,
            drugs=drug_refs,
            therapy_name=" + ".join(sorted(d.name for d in drug_refs)),
            evidence_type=evidence_type,
            significance=significance,
            direction=direction,
            level=level,
            tier=tier,
            props=props,
        )

    def _strength(
        self, statement: dict[str, Any], documents: list[dict[str, Any]]
    ) -> tuple[str, int, dict[str, PropValue]]:
        strength = self._row("strengths", statement.get("strength_id"), "strength_id")
        name = str(strength.get("name", ""))
        props: dict[str, PropValue] = {"strength": name}
        if strength.get("primary_coding_id"):
            props["strength_code"] = _curie(str(strength["primary_coding_id"]))
        if name == "Approval":
            agents = [self.tables["agents"].get(d.get("agent_id"), {}) for d in documents]
            acronyms = sorted({str(d.get("agent_id", "")).upper() for d in documents if d.get("agent_id")})
            if not acronyms:
                raise FeatureError("reportedIn", "an approval statement names no approving agency document")
            props["approval_agency"] = acronyms[0]
            props["approval_agency_name"] = str(agents[0].get("name", acronyms[0])) if agents else acronyms[0]
            # Regulatory approval is tier 1 whichever agency granted it.
            return f"{acronyms[0]}-Approved", 1, props
        if name in LEVEL_TIERS:
            return name, LEVEL_TIERS[name], props
        raise FeatureError(
            "strength_id", f"evidence strength {name!r}; expected Approval or one of {sorted(LEVEL_TIERS)}"
        )

    def _feature(self, biomarker_id: Any) -> Feature:
        biomarker = self._row("biomarkers", biomarker_id, "biomarkers")
        extensions = {
            str(e.get("name")): e.get("value") for e in biomarker.get("extensions") or [] if isinstance(e, dict)
        }
        feature_type = str(extensions.pop("biomarker_type", "") or "")
        present = extensions.pop("_present", True) is not False
        genes = [self._row("genes", g, "genes") for g in biomarker.get("genes") or []]
        fields = {k: v for k, v in extensions.items() if v not in (None, "")}
        return Feature(
            feature_type=feature_type,
            genes=tuple(str(g.get("name", "")) for g in genes),
            fields=fields,
            present=present,
            name=clean_text(str(biomarker.get("name", ""))),
            gene_codes=tuple(_curie(str(g.get("primary_coding_id", ""))) for g in genes),
        )

    def _drugs(self, proposition: dict[str, Any]) -> tuple[tuple[DrugRef, ...], list[dict[str, Any]]]:
        if proposition.get("therapy_id") is not None:
            therapies = [self._row("therapies", proposition["therapy_id"], "therapy_id")]
        elif proposition.get("therapy_group_id") is not None:
            group = self._row("therapy_groups", proposition["therapy_group_id"], "therapy_group_id")
            if str(group.get("membershipOperator", "AND")).upper() != "AND":
                raise FeatureError(
                    "membershipOperator",
                    f"therapy group {group['id']} is "
                    f"{group.get('membershipOperator')!r}; only AND (a combination) is understood",
                )
            therapies = [self._row("therapies", t, "therapies") for t in group.get("therapies") or []]
        else:
            return (), []
        refs = tuple(
            DrugRef(clean_text(str(t.get("name", ""))), _curie(str(t.get("primary_coding_id") or "")))
            for t in therapies
        )
        return refs, therapies

    def _disease(self, disease_id: Any) -> DiseaseRef | None:
        if disease_id is None:
            return None
        disease = self._row("diseases", disease_id, "conditionQualifier_id")
        code = str(disease.get("primary_coding_id") or "")
        curie = _curie(code)
        if not curie:
            raise FeatureError("primary_coding_id", f"disease {disease_id} has no OncoTree or NCIt coding")
        name = clean_text(str(disease.get("name", "")))
        coding_name = clean_text(str(self.tables["codings"].get(code, {}).get("name", "")))
        extensions = {e.get("name"): e.get("value") for e in disease.get("extensions") or [] if isinstance(e, dict)}
        props: dict[str, PropValue] = {}
        solid = extensions.get("solid_tumor")
        if isinstance(solid, bool):
            props["solid_tumor"] = solid
        synonyms = tuple(s for s in (coding_name,) if s and s != name)
        return DiseaseRef(curie, name or coding_name, synonyms, props)

    def _document_props(self, documents: list[dict[str, Any]]) -> dict[str, PropValue]:
        if not documents:
            return {}
        document = documents[0]
        urls = [str(self.tables["urls"].get(u, {}).get("url", "")) for u in document.get("urls") or []]
        props: dict[str, PropValue] = {
            "citation": clean_text(str(document.get("description") or document.get("name") or "")),
            "document": clean_text(str(document.get("name") or "")),
            "document_id": str(document.get("id", "")),
            "url": next((u for u in urls if u), ""),
            "doi": str(document.get("doi") or ""),
            "pmids": [str(document["pmid"])] if document.get("pmid") else [],
            "citation_id": (
                f"PMID:{document['pmid']}"
                if document.get("pmid")
                else f"DOI:{document['doi']}"
                if document.get("doi")
                else str(document.get("id", ""))
            ),
            "publication_date": str(document.get("publication_date") or ""),
            "brand_name": str(document.get("drug_name_brand") or ""),
            "generic_name": str(document.get("drug_name_generic") or ""),
            "company": clean_text(str(document.get("company") or "")),
            "application_number": str(document.get("identification_number") or ""),
            "document_status": str(document.get("status") or ""),
            "source_type": str(document.get("documentType") or ""),
        }
        return props

    def _indication_props(self, indication_id: Any) -> dict[str, PropValue]:
        if indication_id is None:
            return {}
        indication = self._row("indications", indication_id, "indication_id")
        keys = {
            "indication": "approval_indication",
            "initial_approval_date": "approval_date",
            "initial_approval_url": "approval_url",
            "date_accelerated_approval": "accelerated_approval_date",
            "date_regular_approval": "regular_approval_date",
            "raw_biomarkers": "raw_biomarkers",
            "raw_cancer_type": "raw_cancer_type",
            "raw_therapeutics": "raw_therapeutics",
            "reimbursement_scheme": "reimbursement_scheme",
            "reimbursement_comment": "reimbursement_comment",
        }
        props: dict[str, PropValue] = {"indication_id": str(indication_id)}
        for key, prop in keys.items():
            value = indication.get(key)
            if value not in (None, ""):
                props[prop] = clean_text(str(value))
        return props


def _with_brand_names(drugs: tuple[DrugRef, ...], documents: list[dict[str, Any]]) -> tuple[DrugRef, ...]:
    """The drugs, each with the brand name of the regulatory document whose generic name is the drug's."""
    brands: dict[str, list[str]] = {}
    for document in documents:
        generic, brand = clean_text(str(document.get("drug_name_generic") or "")), clean_text(
            str(document.get("drug_name_brand") or ""))  # fmt: skip
        if generic and brand and brand.lower() != generic.lower():
            brands.setdefault(generic.lower(), []).append(brand)
    return tuple(
        dataclasses.replace(d, brand_names=tuple(dict.fromkeys(brands[d.name.lower()])))
        if d.name.lower() in brands else d
        for d in drugs
    )  # fmt: skip


def _therapy_props(therapies: list[dict[str, Any]]) -> dict[str, PropValue]:
    types: list[str] = []
    strategies: list[str] = []
    for therapy in therapies:
        for extension in therapy.get("extensions") or []:
            value = extension.get("value") if isinstance(extension, dict) else None
            values = value if isinstance(value, list) else [value]
            target = {"therapy_type": types, "therapy_strategy": strategies}.get(extension.get("name", ""))
            if target is not None:
                target.extend(str(v) for v in values if v and str(v) not in target)
    props: dict[str, PropValue] = {}
    if types:
        props["therapy_type"] = types[0] if len(types) == 1 else "Combination therapy"
    if strategies:
        props["therapy_strategy"] = "; ".join(strategies)
    return props


def _curie(code: str) -> str:
    """``oncotree:LUAD`` → ``ONCOTREE:LUAD``, ``ncit:C3058`` → ``NCIT:C3058``, ``hgnc:76`` → ``HGNC:76``."""
    prefix, sep, local = code.partition(":")
    if not sep or not local:
        return ""
    return f"{_PREFIXES.get(prefix.lower(), prefix.upper())}:{local}"
