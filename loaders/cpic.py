"""CPIC guideline recommendations (PharmCAT's ``CPIC_<drugs>_and_<genes>.json``) as graph records.

Each recommendation of a guideline file becomes one ``Recommendation`` node
(``PMKG:recommendation/PA166297566``, the PharmGKB accession of the recommendation) with
``-[:FOR_DRUG]->`` its drug and ``-[:ABOUT]->`` the phenotype of every gene in its lookup key.
A multi-gene recommendation (amitriptyline: CYP2C19 and CYP2D6) is ABOUT each phenotype
involved; its full key stays on the node (``lookup_key``, and the parallel lists
``lookup_genes``/``lookup_values``/``phenotypes``) so a query can check the whole genotype.
Lookup values that name no phenotype ("No Result": that gene was not tested) get no ABOUT.

The controlled ``action`` (see :data:`kg.schema.PGX_ACTIONS`) is derived from CPIC's text by
:func:`classify_action`, an explicit, ordered rule table; CPIC's own text is always kept.
Drug ids are ``PMKG:drug/<name>``: the files carry PharmGKB accessions (kept as
``pharmgkb_id``), no RxNorm ids.  This module never reads files; it receives parsed JSON.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

from kg.identifiers import drug_id_from_name, pmkg_id
from kg.records import Edge, Node, PropValue, Record
from kg.schema import Label, RelType
from loaders.pharmcat_alleles import Emitter, SourceJson

GUIDELINE_KEYS = ("guideline", "recommendations")
STRENGTHS = {"Strong": "strong", "Moderate": "moderate", "Optional": "optional"}
# CPIC classifications that are not a recommendation strength.
NO_STRENGTH = frozenset({"No recommendation", "N/A"})

_TAG = re.compile(r"<[^>]+>")
_SENTENCE_END = re.compile(r"(?<=[.;])\s+(?=[A-Z])")
_BASED_ON = re.compile(r"^based on [\w-]+( status)?,\s*", re.IGNORECASE)
# Advice about co-medication that precedes the advice about the drug itself (tamoxifen).
_CO_MEDICATION = re.compile(r"^avoid (moderate|strong|moderate and strong|strong and moderate) [\w-]+ inhibitors\b")

# (action, pattern) tried in order on the lead sentence (lower case, "Based on X status," cut).
LEAD_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (action, re.compile(pattern))
    for action, pattern in (
        ("no_recommendation", r"^(no recommendation|n/a$|no action recommended|insufficient evidence)"),
        # The phenotype is unknown: measure enzyme activity, test further, then decide.
        ("monitor", r"phenotype could (not )?be assigned|enzyme activity must be measured|further genetic testing"),
        # "Avoid standard dose clopidogrel ... Use prasugrel or ticagrelor": another drug, not no drug.
        ("alternative", r"^avoid standard dose"),
        ("avoid", r"^avoid\b|\bdo not use\b|\bis not recommended\b|\bis contraindicated\b"
                  r"|\brelatively contraindicated\b|\bshould not be used\b"),
        ("alternative", r"^(choose|select|prescribe|recommend|consider) (an? )?(clinically appropriate )?"
                        r"(alternative|antidepressant not)|^consider hormonal therapy"
                        r"|^for non-malignant conditions, consider alternative"),
    )
)  # fmt: skip
# Tried on the whole text when no lead rule matched: standard use under watch.
MONITOR = re.compile(
    r"close monitoring|closely monitor|increased frequency of clinical monitoring"
    r"|cautiously consider|evaluate regularly"
)
DOSE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (action, re.compile(pattern))
    for action, pattern in (
        ("increase_dose", r"^(consider )?increas"),
        ("reduce_dose", r"reduc|\blower (starting |maintenance )?dose|decreased dose"
                        r"|\d+% of (the )?(lowest )?(recommended |normal |standard )?(starting )?dose"
                        r"|lowest recommended starting dose|[≤<] ?\d+ ?mg|less than typical"
                        r"|^for malignancy, initiate dose at"),
        ("standard_dose", r"starting dose|standard (starting |recommended )?(daily )?dos|standard of care dosing"
                          r"|per standard dosing|label recommended|according to the product label"
                          r"|no adjustments needed|no reason to avoid|no need to avoid|no indication to change dose"
                          r"|typical initial or loading dose"
                          r"|^initiate with a dose of"),
    )
)  # fmt: skip
# After a standard start, an unconditional later change of dose decides (maintenance, chronic use).
LATER_INCREASE = re.compile(r"increas\w* (the )?dose by|consider increasing dose")
LATER_REDUCE = re.compile(
    r"lower maintenance dose|\d+% reduction|reduction in (daily )?dose|\d+% less than|reduce (the )?dose"
)


def html_to_text(fragment: str) -> str:
    """Plain text of a CPIC HTML fragment (tags dropped, entities decoded, spaces collapsed)."""
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def sentences(text: str) -> list[str]:
    """Sentences of a recommendation (also split at ``;`` before a capital: "Avoid X; If X is …")."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def classify_action(text: str, classification: str | None) -> str | None:
    """CPIC recommendation text → one of :data:`kg.schema.PGX_ACTIONS`, or None if no rule applies.

    ``text`` is the recommendation without its "Other considerations".  The lead sentence
    decides; after a standard start, an unconditional later dose change (lower maintenance
    dose, 50% reduction for chronic use) decides instead.  Conditional advice ("If no
    response, …") never does.

    >>> classify_action("Avoid clopidogrel if possible. Use prasugrel or ticagrelor at standard dose.", "Strong")
    'avoid'
    >>> classify_action("Initiate therapy with recommended starting dose.", "Strong")
    'standard_dose'
    >>> classify_action("Reduce starting dose by 50% followed by titration of dose.", "Moderate")
    'reduce_dose'
    """
    if classification is None or classification in NO_STRENGTH:
        return "no_recommendation"
    parts = [_BASED_ON.sub("", s).lower() for s in sentences(text)]
    if parts and _CO_MEDICATION.match(parts[0]):
        parts = parts[1:]
    if not parts:
        return None
    lead, later = parts[0], parts[1:]
    for action, pattern in LEAD_RULES:
        if pattern.search(lead):
            return action
    if MONITOR.search(" ".join(parts)):
        return "monitor"
    for action, pattern in DOSE_RULES:
        if pattern.search(lead):
            if action == "standard_dose":
                return _later_dose_change(later) or action
            return action
    return None


def _later_dose_change(later: list[str]) -> str | None:
    for sentence in later:
        if sentence.startswith("if "):
            continue
        if LATER_INCREASE.search(sentence):
            return "increase_dose"
        if LATER_REDUCE.search(sentence):
            return "reduce_dose"
    return None


def recommendation_records(doc: SourceJson, emitter: Emitter) -> Iterator[Record]:
    """Drug, Phenotype (when new) and Recommendation records of one CPIC guideline file."""
    data = doc.require(GUIDELINE_KEYS, "a CPIC guideline file")
    guideline = data["guideline"]
    if not isinstance(guideline, dict) or not isinstance(data["recommendations"], list):
        raise doc.error(1, "'guideline' must be an object and 'recommendations' a list")
    common: dict[str, PropValue] = {"guideline_source": str(guideline.get("source") or "CPIC")}
    for key, prop in (("name", "guideline"), ("id", "guideline_id"), ("url", "guideline_url")):
        if guideline.get(key):
            common[prop] = str(guideline[key])
    pmids = [str(c["pmid"]) for c in data.get("citations") or [] if isinstance(c, dict) and c.get("pmid")]
    if pmids:
        common["citations"] = pmids
    for rec in data["recommendations"]:
        yield from _recommendation(doc, rec, common, emitter)


def _recommendation(doc: SourceJson, rec: Any, common: dict[str, PropValue], emitter: Emitter) -> Iterator[Record]:
    rec_id = rec.get("id") if isinstance(rec, dict) else None
    line = doc.line_of("id", rec_id) if isinstance(rec_id, str) else None
    problem = _problem(rec)
    if problem is not None:
        emitter.bad(doc.error(line, f"recommendation {rec_id or '(no id)'}: {problem}", "recommendations"))
        return
    rec_id = str(rec["id"])
    prov = emitter.provenance(doc, rec_id, line)
    text_html: str = rec["text"]["html"]
    classification = (rec.get("classification") or {}).get("term")
    action = classify_action(html_to_text(text_html.split("<h4", 1)[0]), classification)
    if action is None:
        emitter.bad(doc.error(
            line, f"recommendation {rec_id}: no action rule matches its text "
            f"{html_to_text(text_html)[:120]!r}; extend loaders.cpic.classify_action", "text",
        ))  # fmt: skip
        return
    drugs = [c for c in rec["relatedChemicals"] if isinstance(c, dict) and c.get("name")]
    for drug in drugs:
        node_id = drug_id_from_name(drug["name"])
        if node_id not in emitter.drugs:
            emitter.drugs.add(node_id)
            drug_props: dict[str, PropValue] = {"pharmgkb_id": str(drug["id"])} if drug.get("id") else {}
            yield Node(node_id, Label.DRUG, str(drug["name"]), props=drug_props, provenance=prov)
    lookup = sorted((str(g), str(v)) for g, v in rec["lookupKey"].items())
    about: list[tuple[str, str, str]] = []  # (phenotype id, gene, value)
    labels: list[str] = []
    phenotypes: list[str] = []
    for gene, value in lookup:
        target, records = emitter.phenotype(gene, value, prov)
        yield from records
        label, phenotype = _lookup_label(emitter, gene, value)
        labels.append(label)
        phenotypes.append(phenotype)
        if target is not None:
            about.append((target, gene, value))
    drug_names = " / ".join(str(d["name"]) for d in drugs)
    population = rec.get("population")
    name = f"{drug_names}: {' + '.join(labels)}"
    if population and population != "general":
        name += f" ({population})"
    props: dict[str, PropValue] = {
        **common,
        "action": action,
        "drug": drug_names,
        "genes": sorted({g for g, _ in lookup}),
        "lookup_key": "; ".join(f"{g}={v}" for g, v in lookup),
        "lookup_genes": [g for g, _ in lookup],
        "lookup_values": [v for _, v in lookup],
        "phenotypes": phenotypes,
        "text": html_to_text(text_html),
        "text_html": text_html,
        "pharmgkb_id": rec_id,
        **_flags(rec),
    }
    if classification in STRENGTHS:
        props["strength"] = STRENGTHS[classification]
    if classification:
        props["classification"] = str(classification)
    if population:
        props["population"] = str(population)
    implications = [str(i) for i in rec.get("implications") or [] if i]
    if implications:
        props["implications"] = implications
    node_id = pmkg_id("recommendation", rec_id)
    yield Node(node_id, Label.RECOMMENDATION, name, props=props, provenance=prov)
    for drug in drugs:
        yield Edge(node_id, RelType.FOR_DRUG, drug_id_from_name(drug["name"]), provenance=prov)
    for target, gene, value in about:
        yield Edge(node_id, RelType.ABOUT, target, props={"gene": gene, "lookup_value": value}, provenance=prov)


def _problem(rec: Any) -> str | None:
    """What is wrong with one recommendation entry, or None."""
    if not isinstance(rec, dict):
        return f"expected an object, got {type(rec).__name__}"
    if not isinstance(rec.get("id"), str) or not rec["id"]:
        return "missing 'id'"
    if not isinstance(rec.get("lookupKey"), dict) or not rec["lookupKey"]:
        return "missing 'lookupKey' (gene → phenotype or activity score)"
    if not isinstance(rec.get("text"), dict) or not isinstance(rec["text"].get("html"), str):
        return "missing 'text.html'"
    if not isinstance(rec.get("relatedChemicals"), list) or not any(
        isinstance(c, dict) and c.get("name") for c in rec["relatedChemicals"]
    ):
        return "missing 'relatedChemicals' (the drug)"
    return None


def _flags(rec: dict[str, Any]) -> dict[str, PropValue]:
    flags = {
        "alternate_drug_available": "alternateDrugAvailable",
        "dosing_information": "dosingInformation",
        "other_prescribing_guidance": "otherPrescribingGuidance",
    }
    return {prop: bool(rec[key]) for prop, key in flags.items() if rec.get(key) is not None}


def _lookup_label(emitter: Emitter, gene: str, value: str) -> tuple[str, str]:
    """Readable key part (``DPYD Intermediate Metabolizer (activity score 1.5)``) and the phenotype."""
    table = emitter.tables.get(gene)
    if table is not None and value in table.lookup_to_phenotype:
        phenotype = table.lookup_to_phenotype[value]
        if phenotype != value:
            return f"{gene} {phenotype} (activity score {value})", phenotype
        return f"{gene} {phenotype}", phenotype
    if re.match(r"^[≥>]?\d+(\.\d+)?$", value):
        return f"{gene} activity score {value}", f"activity score {value}"
    return f"{gene} {value}", value
