"""PGx lookups (queries.pgx and the ``pgx`` command) on a real graph built from the bundled PharmCAT data.

The store is built once per session by the real loaders (genes + PharmCAT/CPIC starter data);
the key answers are checked on the embedded store and, when Neo4j tests run, on Neo4j too.
Expected phenotypes and recommendations are CPIC's, as PharmCAT's own example report states them
(tests/data/pgx/examples, cut by scripts/data/pgx.py).
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.builds import run_build
from kg.stores.embedded import EmbeddedStore
from kg.stores.port import Store
from loaders.genes import GenesLoader
from loaders.pharmcat import PharmCatLoader
from queries.pgx import Status, lookup_diplotypes
from queries.pgx_graph import PgxGraph

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "pgx"
EXAMPLES = DATA / "examples"


# ---------------------------------------------------------------------------- fixtures


def build_pgx_home(factory: pytest.TempPathFactory) -> Path:
    """A PMKG_HOME whose embedded graph holds the starter genes and PharmCAT/CPIC data (built once)."""
    home = factory.getbasetemp() / "pgx-home"
    if not (home / "graph" / "graph.pmkg").exists():
        store = EmbeddedStore(home / "graph")
        run_build(store, [GenesLoader.starter(), PharmCatLoader.starter()])
        store.close()
    return home


def build_neo4j_pgx(uri: str) -> Store:
    """The same sources built into the test Neo4j (emptied first)."""
    from kg.stores.neo4j.store import Neo4jStore
    from tests.conftest import wipe_neo4j

    wipe_neo4j(uri)
    store = Neo4jStore(uri)
    run_build(store, [GenesLoader.starter(), PharmCatLoader.starter()])
    return store


@pytest.fixture(scope="session")
def pgx_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_pgx_home(tmp_path_factory)


@pytest.fixture(scope="session")
def embedded(pgx_home: Path) -> Iterator[Store]:
    store = EmbeddedStore(pgx_home / "graph")
    yield store
    store.close()


@pytest.fixture(scope="module")
def neo4j_pgx(neo4j_uri: str) -> Iterator[Store]:
    """The same sources built into the test Neo4j, once for this module."""
    store = build_neo4j_pgx(neo4j_uri)
    yield store
    store.close()


@pytest.fixture(scope="module", params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest) -> Store:
    """The key answers are checked once per store adapter: both must give the same."""
    found: Store = request.getfixturevalue("embedded" if request.param == "embedded" else "neo4j_pgx")
    return found


def pmkg_pgx(home: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``pgx`` as a user runs it: a real process (``python -m queries.cli pgx``)."""
    return subprocess.run(
        [sys.executable, "-m", "queries.cli", "pgx", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PMKG_HOME": str(home), "PMKG_STORE": "embedded", **(env or {})},
        check=False,
    )


def cpic_annotations() -> list[dict[str, Any]]:
    data = json.loads((EXAMPLES / "pharmcat.example2.report.cpic.json").read_text(encoding="utf-8"))
    annotations: list[dict[str, Any]] = data["annotations"]
    return annotations


def lead(text: str) -> str:
    """CPIC's recommendation without its "Other considerations" (HTML or text)."""
    plain = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())
    return plain.split(" Other Considerations", 1)[0]


def one(report_dict: dict[str, Any], key: str, **match: Any) -> dict[str, Any]:
    found = [item for item in report_dict[key] if all(item.get(k) == v for k, v in match.items())]
    assert len(found) == 1, f"expected one {key} entry with {match}, got {found}"
    return found[0]


# ------------------------------------------------------------- what a clinician sees


def test_cyp2c19_star2_star2_gives_cpic_clopidogrel_advice_as_pharmcat_reports_it(store: Store) -> None:
    report = lookup_diplotypes(store, ["CYP2C19 *2/*2"], ["clopidogrel"]).as_dict()
    assert report["genes"] == [
        {"gene": "CYP2C19", "diplotype": "*2/*2", "phenotype": "Poor Metabolizer", "activity_score": None,
         "status": "ok"}
    ]  # fmt: skip
    expected = [a for a in cpic_annotations() if a["drug"] == "clopidogrel"]
    assert len(expected) == 3  # PharmCAT: one recommendation per CPIC population (ACS/PCI, non-ACS, NVI)
    rows = report["recommendations"]
    assert sorted(r["population"] for r in rows) == sorted(a["population"] for a in expected)
    for annotation in expected:
        row = one(report, "recommendations", population=annotation["population"])
        assert lead(row["text"]) == lead(annotation["drugRecommendation"])
        assert row["strength"] == annotation["classification"].lower()
        assert row["action"] in ("avoid", "alternative")
        assert row["action"] == "avoid"  # loaders.cpic: "Avoid clopidogrel if possible. Use prasugrel…"
        assert (row["gene"], row["phenotype"], row["source"]) == ("CYP2C19", "Poor Metabolizer", "CPIC")
        assert row["lookup"] == {"CYP2C19": "Poor Metabolizer"}
        assert row["missing_genes"] == []
    assert report["build"]["sources"]["pharmcat"].startswith("2025-11-05-00-25")


def test_multi_gene_guideline_with_one_gene_known_shows_cpic_no_result_advice_like_pharmcat(store: Store) -> None:
    report = lookup_diplotypes(store, ["CYP2C19 *2/*2"], ["amitriptyline"]).as_dict()
    (row,) = report["recommendations"]
    assert row["lookup"] == {"CYP2C19": "Poor Metabolizer", "CYP2D6": "No Result"}
    assert row["missing_genes"] == ["CYP2D6"]
    assert row["gene"] == "CYP2C19 + CYP2D6"
    (pharmcat,) = [a for a in cpic_annotations() if a["drug"] == "amitriptyline"]
    assert pharmcat["lookupKey"] == [{"CYP2C19": "Poor Metabolizer", "CYP2D6": "No Result"}]
    assert lead(row["text"]) == lead(pharmcat["drugRecommendation"])
    assert any("amitriptyline" in w and "CYP2D6" in w and "No Result" in w for w in report["warnings"])


def test_multi_gene_guideline_with_both_genes_uses_the_full_key(store: Store) -> None:
    report = lookup_diplotypes(store, ["CYP2C19 *2/*2", "CYP2D6 activity score 1.0"], ["amitriptyline"]).as_dict()
    (row,) = report["recommendations"]
    assert row["lookup"] == {"CYP2C19": "Poor Metabolizer", "CYP2D6": "1.0"}
    assert row["missing_genes"] == []
    assert row["action"] == "avoid"
    assert one(report, "genes", gene="CYP2D6")["activity_score"] == 1.0
    assert not any("No Result" in w for w in report["warnings"])


@pytest.mark.parametrize(
    ("text", "gene", "diplotype", "phenotype", "score"),
    [
        ("CYP2C19 *2/*17", "CYP2C19", "*2/*17", "Intermediate Metabolizer", None),
        ("CYP2C19*2/*17", "CYP2C19", "*2/*17", "Intermediate Metabolizer", None),
        ("cyp2c19 *17/*2", "CYP2C19", "*2/*17", "Intermediate Metabolizer", None),
        ("CYP2C19: *2 / *17", "CYP2C19", "*2/*17", "Intermediate Metabolizer", None),
        ("CYP2C19 *17/*17", "CYP2C19", "*17/*17", "Ultrarapid Metabolizer", None),
        ("DPYD *2A/*2A", "DPYD", "c.1905+1G>A (*2A)/c.1905+1G>A (*2A)", "Poor Metabolizer", 0.0),
        ("DPYD c.1905+1G>A/c.1905+1G>A", "DPYD", "c.1905+1G>A (*2A)/c.1905+1G>A (*2A)", "Poor Metabolizer", 0.0),
        ("DPYD c.1905+1G>A (*2A)/Reference", "DPYD", "Reference/c.1905+1G>A (*2A)", "Intermediate Metabolizer", 1.0),
        ("DPYD *1/HapB3", "DPYD", "Reference/c.1129-5923C>G, c.1236G>A (HapB3)", "Intermediate Metabolizer", 1.5),
        ("TPMT *1/*3A", "TPMT", "*1/*3A", "Intermediate Metabolizer", None),
        ("TPMT *3A/*3A", "TPMT", "*3A/*3A", "Poor Metabolizer", None),
        ("CYP2C9 *1/*3", "CYP2C9", "*1/*3", "Intermediate Metabolizer", 1.0),
        ("UGT1A1 *1/*80+*28", "UGT1A1", "*1/*80+*28", "Intermediate Metabolizer", None),
        ("VKORC1 rs9923231 C/T", "VKORC1", "rs9923231 reference (C)/rs9923231 variant (T)", "-1639 AG", None),
        ("NUDT15 *1/*3", "NUDT15", "*1/*3", "Intermediate Metabolizer", None),
    ],
)
def test_diplotype_text_forms_give_the_phenotype_and_activity_score(
    embedded: Store, text: str, gene: str, diplotype: str, phenotype: str, score: float | None
) -> None:
    report = lookup_diplotypes(embedded, [text]).as_dict()
    assert report["inputs"][0]["status"] == "ok", report["inputs"]
    assert report["genes"] == [
        {"gene": gene, "diplotype": diplotype, "phenotype": phenotype, "activity_score": score, "status": "ok"}
    ]


def test_activity_score_genes_select_cpic_recommendations_by_score(embedded: Store) -> None:
    report = lookup_diplotypes(embedded, ["DPYD Reference/HapB3"], ["fluorouracil"]).as_dict()
    (row,) = report["recommendations"]
    assert row["lookup"] == {"DPYD": "1.5"}
    assert row["phenotype"] == "Intermediate Metabolizer"
    assert row["action"] == "reduce_dose"


def test_gene_aliases_and_previous_symbols_resolve_through_the_graph(embedded: Store) -> None:
    report = lookup_diplotypes(embedded, ["CYP2C *1/*1", "nat2 *4/*5"]).as_dict()
    cyp = report["inputs"][0]
    assert (cyp["status"], cyp["gene"]) == ("ok", "CYP2C19")
    assert "read as CYP2C19" in cyp["note"]  # CYP2C is a previous symbol of CYP2C19 (and of CYP2C18)
    assert one(report, "genes", gene="NAT2")["phenotype"] == "Intermediate Metabolizer"


def test_hla_typing_gives_cpic_positive_and_negative_phenotypes(store: Store) -> None:
    positive = lookup_diplotypes(store, ["HLA-B *57:01/*08:01"], ["abacavir"]).as_dict()
    assert "*57:01 positive" in positive["genes"][0]["phenotype"]
    (row,) = positive["recommendations"]
    assert (row["lookup"], row["action"], row["strength"]) == ({"HLA-B": "*57:01 positive"}, "avoid", "strong")
    negative = lookup_diplotypes(store, ["HLA-B *08:01/*44:02"], ["abacavir"]).as_dict()
    (row,) = negative["recommendations"]
    assert row["lookup"] == {"HLA-B": "*57:01 negative"}
    assert row["action"] == "standard_dose"


def test_phenotype_text_is_accepted_where_the_graph_has_no_diplotype_table(embedded: Store) -> None:
    report = lookup_diplotypes(embedded, ["CYP2D6 activity score 0.0", "G6PD Deficient"], ["codeine"]).as_dict()
    assert [i["status"] for i in report["inputs"]] == ["ok", "ok"]
    assert one(report, "genes", gene="G6PD")["phenotype"] == "Deficient"
    assert {r["lookup"]["CYP2D6"] for r in report["recommendations"]} == {"0.0"}
    assert all(r["action"] == "avoid" for r in report["recommendations"])


# ------------------------------------------------------------- bad items never raise


def test_unknown_gene_allele_and_malformed_text_each_get_a_reason_and_nothing_is_dropped(embedded: Store) -> None:
    texts = ["FOO1 *1/*2", "CYP2C19 *99/*2", "CYP2C19 *4B/*1", "garbage", "TPMT *1/*3A/*3B", "CYP2C19 *2/*2"]
    report = lookup_diplotypes(embedded, texts).as_dict()
    inputs = report["inputs"]
    assert [i["input"] for i in inputs] == texts
    assert [i["status"] for i in inputs] == ["unrecognized"] * 5 + ["ok"]
    assert inputs[0]["reason"] == "no gene is called 'FOO1'"
    assert inputs[1]["reason"] == "CYP2C19 has no allele '*99'"
    assert "*9" in inputs[1]["suggestions"]
    assert {"*1", "*2", "*17", "*38"} <= set(inputs[1]["known_alleles"])  # the gene's alleles are listed
    assert inputs[2]["suggestions"][0] == "*4"  # *4A and *4B became *4
    assert "expected a gene and a diplotype" in inputs[3]["reason"]
    assert "two alleles separated by one '/'" in inputs[4]["reason"]
    assert [g["gene"] for g in report["genes"]] == ["CYP2C19"]


def test_a_gene_given_twice_with_the_same_call_keeps_the_first_and_says_so(embedded: Store) -> None:
    report = lookup_diplotypes(embedded, ["CYP2C19 *2/*2", "CYP2C19 *2/*3"]).as_dict()  # both poor metabolisers
    assert report["inputs"][1]["status"] == "duplicate"
    assert "already given as 'CYP2C19 *2/*2'" in report["inputs"][1]["reason"]
    assert [g["diplotype"] for g in report["genes"]] == ["*2/*2"]


def test_a_gene_given_twice_with_calls_that_disagree_keeps_both_as_ambiguous(embedded: Store) -> None:
    report = lookup_diplotypes(embedded, ["CYP2C19 *2/*2", "CYP2C19 *1/*1"], ["clopidogrel"]).as_dict()
    assert [i["status"] for i in report["inputs"]] == ["ambiguous", "ambiguous"]
    assert "the CYP2C19 calls given disagree" in report["inputs"][0]["reason"]
    assert [(g["diplotype"], g["status"]) for g in report["genes"]] == [("*2/*2", "ambiguous"), ("*1/*1", "ambiguous")]
    assert {r["phenotype"] for r in report["recommendations"]} == {"Poor Metabolizer", "Normal Metabolizer"}


def test_diplotype_without_a_phenotype_table_is_reported_not_guessed(embedded: Store) -> None:
    report = lookup_diplotypes(embedded, ["CYP2D6 *1/*4"], ["codeine"]).as_dict()
    assert report["genes"][0]["status"] == "no_phenotype"
    assert report["genes"][0]["phenotype"] is None
    reason = report["inputs"][0]["reason"]
    assert "has no CYP2D6 diplotype → phenotype table" in reason
    assert "'CYP2D6 *1/*4 Intermediate Metabolizer'" in reason  # says how to give what is missing
    assert report["recommendations"] == []


def test_drug_filter_is_case_insensitive_and_reports_unknown_or_unrelated_drugs(embedded: Store) -> None:
    report = lookup_diplotypes(embedded, ["CYP2C19 *2/*2"], ["CLOPIDOGREL", "notadrug", "codeine"]).as_dict()
    assert {r["drug"] for r in report["recommendations"]} == {"clopidogrel"}
    assert one(report, "inputs", input="drug notadrug")["status"] == "unrecognized"
    assert any(w.startswith("codeine: CPIC recommendations concern CYP2D6") for w in report["warnings"])


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_cyp2c19_diplotype_in_any_order_and_spelling_gets_its_table_phenotype(
    embedded: Store, data: st.DataObject
) -> None:
    gene = PgxGraph(embedded).gene_by_symbol("CYP2C19")
    assert gene is not None
    pair = data.draw(st.sampled_from(sorted(gene.diplotype_index)))
    node, _, spelled = gene.diplotype_index[pair]
    first, second = data.draw(st.permutations(pair))
    symbol = data.draw(st.sampled_from(["CYP2C19", "cyp2c19", "Cyp2c19"]))
    sep = data.draw(st.sampled_from([" ", "", ": ", "="]))
    slash = data.draw(st.sampled_from(["/", " / "]))
    report = lookup_diplotypes(embedded, [f"{symbol}{sep}{first}{slash}{second}"]).as_dict()
    assert report["genes"][0]["diplotype"] == spelled
    assert report["genes"][0]["phenotype"] == node.props["phenotype"]


# ------------------------------------------------------------------- the command


def test_cli_json_has_the_documented_shape(pgx_home: Path) -> None:
    done = pmkg_pgx(pgx_home, "--diplotype", "CYP2C19 *2/*2", "--diplotype", "FOO *1/*2", "--drug", "clopidogrel",
                    "--format", "json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert {"genes", "recommendations", "inputs", "warnings", "build"} <= set(report)
    assert set(report["genes"][0]) >= {"gene", "diplotype", "phenotype", "activity_score"}
    for row in report["recommendations"]:
        assert set(row) >= {"drug", "gene", "phenotype", "action", "strength", "text", "source"}
        assert row["action"] == "avoid"
    assert one(report, "inputs", input="FOO *1/*2")["status"] == "unrecognized"


def test_cli_table_is_for_people(pgx_home: Path) -> None:
    done = pmkg_pgx(pgx_home, "--diplotype", "CYP2C19*2/*2", "--diplotype", "CYP2C19 *99/*1", "--drug", "clopidogrel")
    assert done.returncode == 0, done.stderr
    assert "Poor Metabolizer" in done.stdout
    assert "clopidogrel" in done.stdout
    assert "avoid" in done.stdout
    assert "CYP2C19 has no allele '*99'" in done.stdout


def test_cli_help_documents_the_json_shape(pgx_home: Path) -> None:
    done = pmkg_pgx(pgx_home, "--help")
    assert done.returncode == 0
    # The shape is generated from queries.models.PgxAnswer (tests/queries/test_models.py checks every key).
    assert "--format json prints one object per patient:" in done.stdout
    assert "genes[]" in done.stdout
    assert "activity_score" in done.stdout
    assert "no_recommendation" in done.stdout
    assert "No Result" in done.stdout
    assert "CYP2D6" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give --diplotype"),
        (("--diplotype", "CYP2C19 *1/*1", "--sample", "S1"), "--sample needs --vcf"),
    ],
)
def test_cli_usage_errors_exit_2_without_a_traceback(pgx_home: Path, args: tuple[str, ...], message: str) -> None:
    done = pmkg_pgx(pgx_home, *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_cli_without_a_graph_says_how_to_build_one(tmp_path: Path) -> None:
    done = pmkg_pgx(tmp_path, "--diplotype", "CYP2C19 *2/*2")
    assert done.returncode == 2
    assert done.stderr.strip().startswith("error:")
    assert "pmkg build" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_lookup_does_not_fail_on_an_empty_list(embedded: Store) -> None:
    report = lookup_diplotypes(embedded, [])
    assert (report.genes, report.recommendations, report.inputs) == ([], [], [])
    assert report.build is not None
    assert Status.OK == "ok"


@pytest.mark.neo4j
def test_neo4j_gives_the_embedded_answers(embedded: Store, neo4j_pgx: Store) -> None:
    texts = ["CYP2C19 *2/*17", "DPYD *2A/*1", "TPMT *1/*3A", "CYP2C9 *1/*3", "SLCO1B1 *5/*15", "UGT1A1 *28/*28",
             "HLA-B *57:01/*08:01", "CYP2D6 activity score 1.0", "CYP2C *1/*2", "FOO *1/*2", "TPMT *99/*1"]  # fmt: skip
    answers = []
    for target in (embedded, neo4j_pgx):
        answer = lookup_diplotypes(target, texts).as_dict()
        answer.pop("build")
        answers.append(answer)
    assert answers[0] == answers[1]
    assert len(answers[0]["recommendations"]) > 50


# ------------------------------------------------------------------ calls made elsewhere


@pytest.mark.parametrize(
    ("text", "phenotype", "score", "lookups"),
    [
        ("CYP2D6 activity score 1.0", "Intermediate Metabolizer", 1.0, {"1.0"}),
        ("CYP2D6 *1/*3 intermediate metabolizer", "Intermediate Metabolizer", None, {"0.25, 0.5, 0.75", "1.0"}),
        ("CYP2D6 *1/*4 (activity score 0.0)", "Poor Metabolizer", 0.0, {"0.0"}),
        ("CYP2D6 Poor Metaboliser", "Poor Metabolizer", 0.0, {"0.0"}),
        ("CYP2D6 *1/*2 Ultrarapid Metabolizer activity score 3.0", "Ultrarapid Metabolizer", 3.0, {"3.0"}),
    ],
)
def test_outside_cyp2d6_calls_reach_cpic_tamoxifen_advice(
    store: Store, text: str, phenotype: str, score: float | None, lookups: set[str]
) -> None:
    report = lookup_diplotypes(store, [text], ["tamoxifen"]).as_dict()
    (gene,) = report["genes"]
    assert (gene["gene"], gene["phenotype"], gene["activity_score"], gene["status"]) == (
        "CYP2D6",
        phenotype,
        score,
        "ok",
    )
    assert {r["lookup"]["CYP2D6"] for r in report["recommendations"]} == lookups
    assert all(r["drug"].lower() == "tamoxifen" for r in report["recommendations"])


def test_a_phenotype_covering_several_scores_shows_each_distinct_cpic_advice(embedded: Store) -> None:
    report = lookup_diplotypes(embedded, ["CYP2D6 Intermediate Metabolizer"], ["tamoxifen"]).as_dict()
    rows = report["recommendations"]
    assert [r["phenotype"] for r in rows] == [
        "Intermediate Metabolizer (activity score 0.25, 0.5, 0.75)",
        "Intermediate Metabolizer (activity score 1.0)",
    ]
    # CPIC grades AS 1.0 differently from 0.25-0.75: the range matters here, so both rows are shown.
    assert (rows[0]["strength"], rows[0]["text"]) != (rows[1]["strength"], rows[1]["text"])
    assert "covers CPIC lookup values 0.25, 0.5, 0.75, 1.0" in report["inputs"][0]["notes"][0]


@pytest.mark.parametrize("text", ["MT-RNR1 1555A>G", "MT-RNR1 m.1555A>G"])
def test_mt_rnr1_in_pharmcats_form_and_hgvs_gives_the_aminoglycoside_advice(store: Store, text: str) -> None:
    report = lookup_diplotypes(store, [text], ["amikacin"]).as_dict()
    (gene,) = report["genes"]
    assert gene["phenotype"] == "increased risk of aminoglycoside-induced hearing loss"
    (row,) = report["recommendations"]
    assert row["action"] == "avoid"


def test_an_outside_phenotype_that_disagrees_with_the_table_is_used_and_noted(embedded: Store) -> None:
    report = lookup_diplotypes(embedded, ["CYP2C19 *1/*1 Poor Metabolizer"], ["clopidogrel"]).as_dict()
    assert report["genes"][0]["phenotype"] == "Poor Metabolizer"
    assert {r["action"] for r in report["recommendations"]} == {"avoid"}
    assert "PharmCAT's table gives CYP2C19 *1/*1 Normal Metabolizer" in report["inputs"][0]["notes"][0]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("CYP2D6 *1/*3 sleepy metabolizer", "CYP2D6 has no allele '*3 sleepy metabolizer'"),
        ("CYP2D6 activity score 9.75", "CPIC has no CYP2D6 activity score 9.75"),
        ("CYP2D6 *1/*3 Ultrarapid Metabolizer activity score 9.75", "CPIC has no CYP2D6 activity score 9.75"),
        ("CYP2D6 *1/*999 Poor Metabolizer", "CYP2D6 has no allele '*999'"),
        ("G6PD Purple", "is neither a G6PD diplotype"),
    ],
)
def test_outside_calls_that_do_not_fit_are_unrecognized_with_the_reason(embedded: Store, text: str,
                                                                        reason: str) -> None:  # fmt: skip
    report = lookup_diplotypes(embedded, [text]).as_dict()
    assert report["inputs"][0]["status"] == "unrecognized"
    assert reason in report["inputs"][0]["reason"]
    assert report["genes"] == []


def test_cli_reads_pharmcats_outside_call_file_and_reports_bad_lines(pgx_home: Path, tmp_path: Path) -> None:
    calls = tmp_path / "outside.tsv"
    calls.write_bytes(
        (EXAMPLES / "pharmcat.example.outsideCall.tsv").read_bytes()
        + b"# a comment\n\nCYP2C19\n\xff\xfe bad bytes\nCYP2C9\t*1/*3\t\tfast\nDPYD\t\tIntermediate Metabolizer\t1.0\n"
    )
    done = pmkg_pgx(pgx_home, "--outside-calls", str(calls), "--drug", "tamoxifen", "--format", "json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    bad = {i["line"]: i["reason"] for i in answer["inputs"] if i["status"] == "unreadable"}
    assert sorted(bad) == [6, 7, 8]
    assert "give a diplotype, a phenotype or an activity score" in bad[6]
    assert "not UTF-8" in bad[7]
    assert "activity score 'fast' is not a number" in bad[8]
    genes = {g["gene"]: g for g in answer["genes"]}
    assert set(genes) == {"CYP2D6", "HLA-B", "MT-RNR1", "DPYD"}
    assert (genes["DPYD"]["phenotype"], genes["DPYD"]["activity_score"]) == ("Intermediate Metabolizer", 1.0)
    assert genes["CYP2D6"]["status"] == "no_phenotype"  # PharmCAT's file gives CYP2D6 *1/*3 without a phenotype
    assert any("has no CYP2D6 diplotype → phenotype table" in (i.get("reason") or "") for i in answer["inputs"])
