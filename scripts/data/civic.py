"""Rebuild the CIViC starter bundle and the CIViC test fixtures from the real files.

    .venv/bin/python scripts/data/civic.py --shared /work/shared/data
    .venv/bin/python scripts/data/civic.py --shared /work/shared/data --measure   # compare the candidates

Inputs (all CIViC content, CC0 1.0), under ``--shared``:
- ``civic/release_01-Aug-2021/01-Aug-2021-{ClinicalEvidence,Variant,Assertion}Summaries.tsv``
  (griffithlab/civic-server @7dfe0ff6faff, the 2021 gene/variant layout);
- ``civic/nightly_2021-02/nightly-DrugSummaries.tsv`` (CIViC drug names and ids);
- ``civic/metakb_json_examples/`` (cancervariants/metakb test data: CIViC API JSON for EID 3017,
  AID 7, molecular profile 12, and v1 API dumps; they hold the only NCIt drug codes CIViC gives);
- ``civic/current_format_headers/`` (header lines of today's molecular-profile layout).

Also ``civic/nightly_2026-05-29/``, ``civic/release_01-Feb-2025_summaries/`` and
``civic/release_01-Aug-2024/`` (CIViC's 2023+ molecular-profile layout).

Outputs:
- ``loaders/starter/civic/``: :data:`STARTER_TABLES` gzipped (the 2026-05-29 nightly evidence, the
  01-Feb-2025 profile and feature tables, the 01-Aug-2024 variant and assertion tables) and
  ``civic-drugs.tsv.gz`` = DrugSummaries' ``drug_name``, ``drug_id`` plus an
  ``ncit_id`` column filled for the drugs whose CIViC drug id carries an NCIt code in the JSON;
- ``tests/data/civic/2024/`` and ``tests/data/civic/2026/``: real rows, verbatim, of the whole
  01-Aug-2024 release and of the starter's mix, for :data:`FIXTURE_EIDS_NEW` and what they need;
- ``tests/data/civic/2021/``: real rows cut verbatim from the 2021 files (header + selected lines;
  the VariantSummaries rows keep CIViC's tab-split assertion URLs);
- ``tests/data/civic/current/``: the same evidence in today's layout.  No real current-layout
  file is in the shared data (only its headers), so each row is derived from a real 2021 row
  (and for EID 3017, AID 7 and MP 12 from CIViC's own JSON) by the mapping written in
  ``tests/data/civic/current/DERIVATION.md``, which this script generates row by row.
  List separators follow a real 2026 CIViC nightly slice (dna-seq/just-dna-compiler
  assets/civic_slice @246bb8e855b4): ``, `` in MolecularProfileSummaries lists, ``,`` elsewhere.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STARTER = ROOT / "loaders" / "starter" / "civic"
FIXTURES = ROOT / "tests" / "data" / "civic"
RELEASE = "01-Aug-2021"
# Variants the fixtures keep: the class examples, fusions, compounds, germline and odd names.
FIXTURE_VIDS = (
    12, 563, 17, 13, 14, 1269, 399, 33, 133, 1002, 1012, 75, 76, 77, 78, 81, 499, 5, 1, 2, 306, 311, 64, 99, 1739,
    164, 421, 230, 170, 503, 780, 2678, 8, 197, 706, 764, 766,
)  # fmt: skip
FIXTURE_EIDS = (1, 2, 32, 296, 3017, 3758, 1192, 1844, 7655, 7066, 34)  # plus up to two per fixture variant
FIXTURE_AIDS = (2, 3, 4, 7)
# Current layout: 2021 variant id -> (feature type, feature name, current variant name, fusion partners).
CURRENT_VARIANTS: dict[int, tuple[str, str, str, tuple[str, str, str, str]]] = {
    12: ("Gene", "BRAF", "V600E", ("", "", "", "")),
    563: ("Gene", "BRAF", "V600K", ("", "", "", "")),
    17: ("Gene", "BRAF", "V600", ("", "", "", "")),
    1269: ("Gene", "BRAF", "Amplification", ("", "", "", "")),
    33: ("Gene", "EGFR", "L858R", ("", "", "", "")),
    133: ("Gene", "EGFR", "Exon 19 Deletion", ("", "", "", "")),
    1002: ("Gene", "EGFR", "E746_A750del", ("", "", "", "")),
    1012: ("Gene", "EGFR", "L747_P753delinsS", ("", "", "", "")),
    75: ("Gene", "KRAS", "Exon 2 Mutation", ("", "", "", "")),
    78: ("Gene", "KRAS", "G12C", ("", "", "", "")),
    81: ("Gene", "KRAS", "G13D", ("", "", "", "")),
    306: ("Gene", "ERBB2", "Amplification", ("", "", "", "")),
    64: ("Gene", "JAK2", "V617F", ("", "", "", "")),
    1739: ("Gene", "VHL", "R167Q (c.500G>A)", ("", "", "", "")),
    2: ("Gene", "ABL1", "BCR-ABL T315I", ("", "", "", "")),
    5: ("Fusion", "EML4::ALK", "Fusion", ("known", "EML4", "known", "ALK")),
    503: ("Fusion", "EML4::ALK", "e6-e20", ("known", "EML4", "known", "ALK")),
    499: ("Fusion", "v::ALK", "Fusion", ("multiple", "", "known", "ALK")),
    1: ("Fusion", "BCR::ABL1", "Fusion", ("known", "BCR", "known", "ABL1")),
}
# 2021 compound variants become molecular profiles (id kept) over the variants they name.
CURRENT_COMPOUNDS: dict[int, tuple[str, tuple[int, ...]]] = {14: ("BRAF V600E AND BRAF Amplification", (12, 1269))}
CURRENT_EIDS_PER_VARIANT = 2


def read_lines(path: Path) -> tuple[str, list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        lines = handle.read().split("\n")
    return lines[0], [line for line in lines[1:] if line]


def rows(header: str, lines: list[str]) -> list[dict[str, str]]:
    """Rows as dicts; extra tab-split fields (CIViC's 2021 assertion URLs) stay in the last column."""
    names = header.split("\t")
    out = []
    for line in lines:
        fields = line.split("\t")
        out.append(dict(zip(names, [*fields[: len(names) - 1], "\t".join(fields[len(names) - 1 :])], strict=True)))
    return out


def write_gzip(source: Path, target: Path) -> None:
    with open(source, "rb") as raw, gzip.GzipFile(target, "wb", compresslevel=9, mtime=0) as packed:
        shutil.copyfileobj(raw, packed)


def write_tsv(path: Path, header: list[str], records: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("\t".join(header) + "\n")
        for record in records:
            handle.write("\t".join(record.get(column, "") for column in header) + "\n")


def json_ncit(civic: Path) -> dict[str, str]:
    """CIViC drug id -> NCIt code, from every drug/therapy object in the JSON examples."""
    found: dict[str, str] = {}

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if value.get("ncit_id") and value.get("id") is not None and value.get("name"):
                found[str(value["id"])] = str(value["ncit_id"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in sorted((civic / "metakb_json_examples").rglob("*.json")):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return found


# The starter: the newest evidence CIViC's shared files give, with the newest profile, feature and
# variant tables beside it (see loaders/civic.py for why this mix and what it resolves).
_FEB_2025 = "release_01-Feb-2025_summaries/01-Feb-2025"
STARTER_TABLES = {
    "nightly-2026-05-29-ClinicalEvidenceSummaries.tsv": (
        "nightly_2026-05-29/nightly-ClinicalEvidenceSummaries_2026-05-29.tsv"
    ),
    "01-Feb-2025-MolecularProfileSummaries.tsv": f"{_FEB_2025}-MolecularProfileSummaries.tsv",
    "01-Feb-2025-FeatureSummaries.tsv": "release_01-Feb-2025_summaries/01-Feb-2025-FeatureSummaries.tsv",
    "01-Aug-2024-VariantSummaries.tsv": "release_01-Aug-2024/01-Aug-2024-VariantSummaries.tsv",
    "01-Aug-2024-AssertionSummaries.tsv": "release_01-Aug-2024/01-Aug-2024-AssertionSummaries.tsv",
}  # fmt: skip
# Real rows the 2024 and 2026 fixtures keep (plus the profiles, variants, features and assertions
# they need): today's drugs and biomarkers, compounds, a fusion named differently in 2024 and 2025,
# names with parentheses, factors, and profiles no table of the mix resolves.
FIXTURE_EIDS_NEW = (
    79, 80, 229, 275, 213, 1396, 1397, 11598, 11599, 1936, 5191, 5546, 7572, 9431, 12063, 12264, 7647, 10140,
    11731, 12013, 11508, 11509, 11708, 12037, 12038, 12042, 12083, 12389, 12390, 12561, 12562, 12724, 12918,
)  # fmt: skip


def build_starter(civic: Path) -> None:
    STARTER.mkdir(parents=True, exist_ok=True)
    for old in STARTER.glob("*.tsv.gz"):
        old.unlink()
    for name, source in STARTER_TABLES.items():
        write_gzip(civic / source, STARTER / f"{name}.gz")
    drugs = drug_rows(civic)
    tmp = STARTER / "civic-drugs.tsv"
    write_tsv(tmp, ["drug_name", "drug_id", "ncit_id"], drugs)
    write_gzip(tmp, STARTER / "civic-drugs.tsv.gz")
    tmp.unlink()


def cut_release(out: Path, tables: dict[str, Path]) -> None:
    """Verbatim rows of one release mix for FIXTURE_EIDS_NEW and everything they point at."""
    out.mkdir(parents=True, exist_ok=True)
    e_header, e_lines = read_lines(tables["evidence"])
    evidence = [r for r in rows(e_header, e_lines) if int(r["evidence_id"]) in FIXTURE_EIDS_NEW]
    mpids = {r["molecular_profile_id"] for r in evidence}
    p_header, p_lines = read_lines(tables["profiles"])
    profiles = [r for r in rows(p_header, p_lines) if r["molecular_profile_id"] in mpids]
    vids = {v.strip() for r in profiles for v in r["variant_ids"].split(",") if v.strip()}
    v_header, v_lines = read_lines(tables["variants"])
    variants = [r for r in rows(v_header, v_lines) if r["variant_id"] in vids]
    a_header, a_lines = read_lines(tables["assertions"])
    assertions = [r for r in rows(a_header, a_lines) if r["molecular_profile_id"] in mpids]
    kept = [
        ("ClinicalEvidenceSummaries.tsv", e_header, evidence),
        ("MolecularProfileSummaries.tsv", p_header, profiles),
        ("VariantSummaries.tsv", v_header, variants),
        ("AssertionSummaries.tsv", a_header, assertions),
    ]
    if "features" in tables:
        f_header, f_lines = read_lines(tables["features"])
        words = {w for r in [*evidence, *profiles] for w in r.get("molecular_profile", r.get("name", "")).split()}
        features = [r for r in rows(f_header, f_lines) if r["feature_type"] == "Factor" or r["name"] in words]
        kept.append(("FeatureSummaries.tsv", f_header, features))
    for name, header, records in kept:
        write_tsv(out / name, header.split("\t"), records)


def build_new(civic: Path) -> None:
    r2024 = civic / "release_01-Aug-2024"
    cut_release(FIXTURES / "2024", {
        "evidence": r2024 / "01-Aug-2024-ClinicalEvidenceSummaries.tsv",
        "profiles": r2024 / "01-Aug-2024-MolecularProfileSummaries.tsv",
        "variants": r2024 / "01-Aug-2024-VariantSummaries.tsv",
        "assertions": r2024 / "01-Aug-2024-AssertionSummaries.tsv",
    })  # fmt: skip
    cut_release(FIXTURES / "2026", {
        "evidence": civic / STARTER_TABLES["nightly-2026-05-29-ClinicalEvidenceSummaries.tsv"],
        "profiles": civic / STARTER_TABLES["01-Feb-2025-MolecularProfileSummaries.tsv"],
        "features": civic / STARTER_TABLES["01-Feb-2025-FeatureSummaries.tsv"],
        "variants": r2024 / "01-Aug-2024-VariantSummaries.tsv",
        "assertions": r2024 / "01-Aug-2024-AssertionSummaries.tsv",
    })  # fmt: skip


def drug_rows(civic: Path, names: set[str] | None = None) -> list[dict[str, str]]:
    header, lines = read_lines(civic / "nightly_2021-02" / "nightly-DrugSummaries.tsv")
    ncit = json_ncit(civic)
    out = []
    for row in rows(header, lines):
        if names is None or row["drug_name"] in names:
            out.append(
                {"drug_name": row["drug_name"], "drug_id": row["drug_id"], "ncit_id": ncit.get(row["drug_id"], "")}
            )
    return out


def build_2021(civic: Path) -> dict[str, list[dict[str, str]]]:
    """Verbatim 2021 rows for the fixture variants; returns the parsed rows for the current layout."""
    out = FIXTURES / "2021"
    out.mkdir(parents=True, exist_ok=True)
    release = civic / f"release_{RELEASE}"
    e_header, e_lines = read_lines(release / f"{RELEASE}-ClinicalEvidenceSummaries.tsv")
    e_names = e_header.split("\t")
    eid_col, vid_col = e_names.index("evidence_id"), e_names.index("variant_id")
    per_variant: dict[int, int] = {}
    e_keep = []
    for line in e_lines:
        fields = line.split("\t")
        eid, vid = int(fields[eid_col]), int(fields[vid_col])
        wanted = eid in FIXTURE_EIDS
        if vid in FIXTURE_VIDS and per_variant.get(vid, 0) < 2:
            wanted = True
        if wanted:
            per_variant[vid] = per_variant.get(vid, 0) + 1
            e_keep.append(line)
    a_header, a_lines = read_lines(release / f"{RELEASE}-AssertionSummaries.tsv")
    a_names = a_header.split("\t")
    a_keep = [line for line in a_lines if int(line.split("\t")[a_names.index("assertion_id")]) in FIXTURE_AIDS]
    # Every variant a kept row names, including VID 18: AID 2 gives variant_id 18 (CCND1 AMPLIFICATION)
    # while naming ERBB2 AMPLIFICATION (VID 306), a real inconsistency of this release the loader must catch.
    vids = set(FIXTURE_VIDS) | {int(line.split("\t")[vid_col]) for line in e_keep}
    vids |= {int(line.split("\t")[a_names.index("variant_id")]) for line in a_keep}
    v_header, v_lines = read_lines(release / f"{RELEASE}-VariantSummaries.tsv")
    v_keep = [line for line in v_lines if int(line.split("\t", 1)[0]) in vids]
    for name, header, kept in (
        ("VariantSummaries.tsv", v_header, v_keep),
        ("ClinicalEvidenceSummaries.tsv", e_header, e_keep),
        ("AssertionSummaries.tsv", a_header, a_keep),
    ):
        (out / name).write_text("\n".join([header, *kept]) + "\n", encoding="utf-8")
    evidence = rows(e_header, e_keep)
    assertions = rows(a_header, a_keep)
    used = {d for r in evidence + assertions for d in split_drugs_simple(r["drugs"])}
    write_tsv(out / "DrugSummaries.tsv", ["drug_name", "drug_id", "ncit_id"], drug_rows(civic, used))
    return {"variants": rows(v_header, v_keep), "evidence": evidence, "assertions": assertions}


def split_drugs_simple(value: str) -> list[str]:
    import sys

    sys.path.insert(0, str(ROOT))
    from loaders.civic_layouts import split_drugs

    return list(split_drugs(value))


def build_current(civic: Path, old: dict[str, list[dict[str, str]]]) -> None:
    out = FIXTURES / "current"
    out.mkdir(parents=True, exist_ok=True)
    headers = civic / "current_format_headers"
    h = {
        name: (headers / f"{name}.header{suffix}.tsv").read_text(encoding="utf-8").rstrip("\n").split("\t")
        for name, suffix in (("ClinicalEvidenceSummaries", ""), ("MolecularProfileSummaries", ""),
                             ("VariantSummaries", ""), ("AssertionSummaries", ".INFERRED"))
    }  # fmt: skip
    json_dir = civic / "metakb_json_examples"
    eid_3017 = json.loads((json_dir / "civic_eid_3017.json").read_text(encoding="utf-8"))
    aid_7 = json.loads((json_dir / "civic_aid_7.json").read_text(encoding="utf-8"))
    mp_12 = json.loads((json_dir / "civic_molecular_profile_12.json").read_text(encoding="utf-8"))
    variants = {int(r["variant_id"]): r for r in old["variants"]}
    gene_ids = {r["gene"]: r["gene_id"] for r in old["evidence"]}
    notes: list[str] = ["# How each current-layout fixture row was derived", "",
                        "Generated by scripts/data/civic.py. Sources: CIViC 01-Aug-2021 TSV rows (2021 layout) and",
                        "CIViC API JSON from cancervariants/metakb (EID 3017, AID 7, MP 12).", ""]  # fmt: skip

    # VariantSummaries
    v_out = []
    for vid, (feature_type, feature_name, name, partners) in CURRENT_VARIANTS.items():
        src = variants[vid]
        gene_feature = feature_type == "Gene"
        row = {
            "variant_id": str(vid), "variant_civic_url": f"https://civicdb.org/links/variants/{vid}",
            "feature_type": feature_type, "feature_id": gene_ids.get(src["gene"], "") if gene_feature else "",
            "feature_name": feature_name,
            "feature_civic_url": (
                f"https://civicdb.org/links/features/{gene_ids.get(src['gene'], '')}" if gene_feature else ""
            ),
            "variant": name, "variant_aliases": src["variant_aliases"], "is_flagged": "false",
            "variant_groups": src["variant_groups"], "variant_types": src["variant_types"],
            "single_variant_molecular_profile_id": str(vid), "last_review_date": src["last_review_date"],
            "gene": src["gene"] if gene_feature else "", "entrez_id": src["entrez_id"] if gene_feature else "",
            "ensembl_version": src["ensembl_version"] if gene_feature else "",
            "hgvs_descriptions": src["hgvs_expressions"], "allele_registry_id": src["allele_registry_id"],
            "clinvar_ids": src["clinvar_ids"],
        }  # fmt: skip
        if gene_feature:
            for key in ("chromosome", "start", "stop", "reference_bases", "variant_bases",
                        "representative_transcript", "reference_build"):  # fmt: skip
                row[key] = src[key]
        else:
            row |= {"5_prime_partner_status": partners[0], "5_prime_partner": partners[1],
                    "3_prime_partner_status": partners[2], "3_prime_partner": partners[3]}  # fmt: skip
            if name.startswith("e") and "-e" in name:
                five, three = name[1:].split("-e")
                row |= {"5_prime_end_exon": five, "3_prime_start_exon": three}
        v_out.append(row)
        notes.append(
            f"- VariantSummaries variant_id {vid}: 2021 VariantSummaries VID {vid} ({src['gene']} "
            f"{src['variant']!r}) as feature_type {feature_type}, feature {feature_name!r}, variant {name!r}"
            + (f"; partners {partners}" if not gene_feature else "; coordinates, HGVS, ClinVar, aliases copied")
        )
    write_tsv(out / "VariantSummaries.tsv", h["VariantSummaries"], v_out)

    # ClinicalEvidenceSummaries: per variant up to two 2021 rows, plus EID 3017 from the JSON.
    def display(vid: int) -> str:
        _, feature_name, name, _ = CURRENT_VARIANTS[vid]
        return f"{feature_name} {name}"

    profiles: dict[int, tuple[str, tuple[int, ...]]] = {vid: (display(vid), (vid,)) for vid in CURRENT_VARIANTS}
    profiles |= CURRENT_COMPOUNDS
    e_out, per_profile, profile_eids = [], {}, {mp: [] for mp in profiles}  # type: ignore[var-annotated]
    for src in old["evidence"]:
        vid = int(src["variant_id"])
        wanted = int(src["evidence_id"]) in FIXTURE_EIDS or per_profile.get(vid, 0) < CURRENT_EIDS_PER_VARIANT
        if vid not in profiles or not wanted:
            continue
        per_profile[vid] = per_profile.get(vid, 0) + 1
        row = {key: src[key] for key in ("disease", "doid", "phenotypes", "evidence_type", "evidence_direction",
                                         "evidence_level", "evidence_statement", "citation_id", "source_type",
                                         "asco_abstract_id", "citation", "nct_ids", "rating", "evidence_status",
                                         "evidence_id", "variant_origin", "last_review_date")}  # fmt: skip
        row |= {
            "molecular_profile": profiles[vid][0], "molecular_profile_id": str(vid), "therapies": src["drugs"],
            "therapy_interaction_type": src["drug_interaction_type"], "significance": src["clinical_significance"],
            "evidence_civic_url": f"https://civicdb.org/links/evidence_items/{src['evidence_id']}",
            "molecular_profile_civic_url": f"https://civicdb.org/links/molecular_profiles/{vid}", "is_flagged": "false",
        }  # fmt: skip
        how = f"2021 evidence row EID {src['evidence_id']} (VID {vid}) with molecular_profile_id {vid}"
        if src["evidence_id"] == "3017":
            row |= {"therapies": ",".join(t["name"] for t in eid_3017["therapies"]),
                    "therapy_interaction_type": eid_3017["therapy_interaction_type"].title(),
                    "evidence_statement": eid_3017["description"], "citation": eid_3017["source"]["citation"],
                    "nct_ids": ",".join(t["nctId"] for t in eid_3017["source"]["clinical_trials"])}  # fmt: skip
            how = ("CIViC JSON civic_eid_3017.json (therapies in JSON order, interaction, description, citation, "
                   "NCT ids) on the 2021 row EID 3017 (level, type, direction, rating, disease)")  # fmt: skip
        e_out.append(row)
        profile_eids[vid].append(src["evidence_id"])
        notes.append(f"- ClinicalEvidenceSummaries evidence_id {src['evidence_id']}: {how}")
    write_tsv(out / "ClinicalEvidenceSummaries.tsv", h["ClinicalEvidenceSummaries"], e_out)

    # MolecularProfileSummaries
    m_out = []
    for mpid, (name, vids) in profiles.items():
        src = variants.get(mpid)
        aliases = ", ".join(src["variant_aliases"].split(",")) if src and src["variant_aliases"] else ""
        summary = src["summary"] if src else ""
        how = f"one-variant profile of VID {mpid}, named as the current layout does (feature + variant)"
        if mpid == 12:
            aliases, summary = ", ".join(mp_12["aliases"]), mp_12["description"]
            how = "civic_molecular_profile_12.json (name, variant_ids, aliases, description)"
        if mpid in CURRENT_COMPOUNDS:
            how = f"2021 compound variant VID {mpid} ({src['variant'] if src else ''!r}) as AND of VIDs {vids}"
        m_out.append({
            "name": name, "molecular_profile_id": str(mpid), "summary": summary,
            "variant_ids": ", ".join(str(v) for v in vids),
            "variants_civic_url": ", ".join(f"https://civicdb.org/links/variants/{v}" for v in vids),
            "evidence_score": src.get("civic_variant_evidence_score", "") if src else "",
            "evidence_item_ids": ", ".join(profile_eids[mpid]),
            "evidence_items_civic_url": ", ".join(
                f"https://civicdb.org/links/evidence_items/{e}" for e in profile_eids[mpid]
            ),
            "aliases": aliases, "last_review_date": src["last_review_date"] if src else "", "is_flagged": "false",
        })  # fmt: skip
        notes.append(f"- MolecularProfileSummaries molecular_profile_id {mpid}: {how}")
    write_tsv(out / "MolecularProfileSummaries.tsv", h["MolecularProfileSummaries"], m_out)

    # AssertionSummaries (header inferred by the shared data's README from opencb/biodata).
    a_out = []
    for src in old["assertions"]:
        vid = int(src["variant_id"])
        if vid not in profiles:
            continue
        row = {key: src[key] for key in ("disease", "doid", "phenotypes", "assertion_type", "assertion_direction",
                                         "acmg_codes", "amp_category", "nccn_guideline", "nccn_guideline_version",
                                         "regulatory_approval", "fda_companion_test", "assertion_summary",
                                         "assertion_description", "assertion_id", "evidence_item_ids",
                                         "last_review_date")}  # fmt: skip
        row |= {
            "molecular_profile": profiles[vid][0], "molecular_profile_id": str(vid), "therapies": src["drugs"],
            "significance": src["clinical_significance"],
            "assertion_civic_url": f"https://civicdb.org/links/assertions/{src['assertion_id']}",
            "molecular_profile_civic_url": f"https://civicdb.org/links/molecular_profiles/{vid}", "is_flagged": "false",
        }  # fmt: skip
        how = f"2021 assertion row AID {src['assertion_id']} (VID {vid}) with molecular_profile_id {vid}"
        if src["assertion_id"] == "7":
            row |= {"therapies": ",".join(t["name"] for t in aid_7["therapies"]),
                    "assertion_summary": aid_7["summary"], "nccn_guideline": aid_7["nccn_guideline"]["name"],
                    "nccn_guideline_version": aid_7["nccn_guideline_version"],
                    "evidence_item_ids": ",".join(str(e) for e in aid_7["evidence_ids"])}  # fmt: skip
            how = "civic_aid_7.json (therapies, summary, NCCN guideline, evidence ids) on the 2021 row AID 7"
        a_out.append(row)
        notes.append(f"- AssertionSummaries assertion_id {src['assertion_id']}: {how}")
    write_tsv(out / "AssertionSummaries.tsv", h["AssertionSummaries"], a_out)
    (out / "DERIVATION.md").write_text("\n".join(notes) + "\n", encoding="utf-8")


MEASURED_DRUGS = ("sotorasib", "adagrasib", "trastuzumab deruxtecan", "tucatinib", "vorasidenib", "avapritinib",
                  "asciminib")  # fmt: skip
MEASURED_BIOMARKERS = ("PMKG:variant/MSI-H", "PMKG:variant/TMB-high", "PMKG:variant/TMB-low")


def measure(civic: Path) -> None:
    """What each candidate bundle resolves: the figures in loaders/civic.py's docstring."""
    import sys

    sys.path.insert(0, str(ROOT))
    from kg.records import Node
    from loaders.civic import CivicLoader

    r2024 = civic / "release_01-Aug-2024"
    mix = {key: civic / STARTER_TABLES[name] for key, name in (
        ("evidence", "nightly-2026-05-29-ClinicalEvidenceSummaries.tsv"),
        ("molecular_profiles", "01-Feb-2025-MolecularProfileSummaries.tsv"),
        ("features", "01-Feb-2025-FeatureSummaries.tsv"), ("variants", "01-Aug-2024-VariantSummaries.tsv"),
        ("assertions", "01-Aug-2024-AssertionSummaries.tsv"))}  # fmt: skip
    candidates = {
        "01-Aug-2024 release": {
            key: r2024 / f"01-Aug-2024-{table}Summaries.tsv"
            for key, table in (
                ("evidence", "ClinicalEvidence"),
                ("molecular_profiles", "MolecularProfile"),
                ("variants", "Variant"),
                ("assertions", "Assertion"),
            )
        },
        "2026 evidence + 2025 profiles/features + 2024 variants": mix,
    }
    for title, files in candidates.items():
        loader = CivicLoader(files, version=title)
        nodes = [r for r in loader.parse() if isinstance(r, Node)]
        evidence = [n for n in nodes if n.id.startswith("CIVIC.EID:")]
        with open(files["evidence"], encoding="utf-8") as handle:
            rows_in = sum(1 for _ in handle) - 1
        print(f"{title}: {len(evidence)} of {rows_in} evidence items")
        print(f"  profiles read by name: {loader.profiles_read_by_name}")
        print(f"  unresolved profiles: {sorted(loader.unresolved_profiles.items())}")
        for drug in MEASURED_DRUGS:
            count = sum(1 for n in evidence if drug in [str(d).lower() for d in n.props.get("drugs", [])])  # type: ignore[union-attr]
            print(f"  {drug}: {count} items")
        ids = {n.id for n in nodes}
        for biomarker in MEASURED_BIOMARKERS:
            print(f"  {biomarker}: {'present' if biomarker in ids else 'absent'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, required=True, help="the shared data folder (holds civic/)")
    parser.add_argument("--measure", action="store_true", help="only measure the candidate bundles")
    args = parser.parse_args()
    civic = args.shared / "civic"
    if args.measure:
        measure(civic)
        return
    build_starter(civic)
    old = build_2021(civic)
    build_current(civic, old)
    build_new(civic)
    folders = [STARTER, *(FIXTURES / name for name in ("2021", "current", "2024", "2026"))]
    for path in sorted(p for folder in folders for p in folder.iterdir()):
        print(f"{path.relative_to(ROOT)}\t{path.stat().st_size}")


if __name__ == "__main__":
    main()
