"""The pinned answers: ``pmkg`` commands on real examples, compared byte for byte with ``tests/data/golden/``.

Other tools script against ``--format json`` (and TSV), so its exact bytes are part of pmkg's interface.
Each case runs ``pmkg`` as a user does (a real process, cwd the repository, relative input paths) over
one graph built from fixed fixtures: the bundled starter with its CIViC replaced by the 2021 test cut
(``tests/data/civic/2021``) plus the MOAlmanac example patient's assertions, so that a change of the
starter's CIViC release does not move the pins.  The MOAlmanac example patient itself (MAFs, copy number,
fusions, signatures, MSI) goes through the match service (:mod:`queries.services.match`) in-process,
written as ``pmkg match`` writes it.

Only three things are normalised, explicitly: the build id (it fingerprints the code, so it changes with
every commit) becomes ``<build>``, the build's start and finish times become ``<time>``, and the
checkout's folder in the sources' recorded origins (``pmkg status``) becomes ``<repo>``.

Regenerate with ``.venv/bin/python scripts/data/golden.py`` and review the diff: every changed line is
a change users notice.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "data" / "golden"
CIVIC_2021 = "tests/data/civic/2021"
MOALMANAC_EXAMPLE = "tests/data/matching/moalmanac_example/molecular-oncology-almanac.json"
BUILD_ARGS = (
    "build",
    "--add",
    f"civic={CIVIC_2021}@2021-08-01-fixture",
    "--add",
    f"moalmanac={MOALMANAC_EXAMPLE}@2026-05-15-fixture",
    "--format",
    "json",
)
ONCOKB = "tests/data/inputs/oncokb"
MOALMANAC_INPUTS = "tests/data/matching/moalmanac_example/example_data"
PHARMCAT_VCF = "tests/data/pgx/examples/pharmcat.example.vcf"


@dataclass(frozen=True)
class Case:
    """One pinned command: its golden file name and ``pmkg`` arguments."""

    name: str
    args: tuple[str, ...]


def _command(name: str, command: str) -> Case:
    return Case(name, tuple(shlex.split(command)))


def _match(name: str, *variants: str, disease: str | None = None, extra: tuple[str, ...] = ()) -> Case:
    args: list[str] = ["match"]
    for variant in variants:
        args += ["--variant", variant]
    if disease is not None:
        args += ["--disease", disease]
    return Case(name, (*args, *extra, "--format", "json"))


CASES: tuple[Case, ...] = (
    Case("status.json", ("status", "--format", "json")),
    # A tumour board's questions.
    _match("match_braf_v600e_melanoma.json", "BRAF V600E", disease="melanoma"),
    _match("match_egfr_t790m_l858r_luad.json", "EGFR T790M", "EGFR L858R", disease="LUAD"),
    _match("match_kras_g12d_dpyd_crc.json", "KRAS G12D", "DPYD *2A/*2A", disease="colorectal cancer"),
    _match("match_erbb2_amplification_breast.json", "ERBB2 amplification", disease="breast cancer"),
    _match("match_eml4_alk_nsclc.json", "EML4::ALK", disease="NSCLC"),
    _match("match_genomic_braf_no_disease.json", "7-140753336-A-T"),
    _match("match_unrecognised_and_misspelt.json", "FOO1 X1Y", "BRAF V600E", disease="melanomma"),
    _match(
        "match_outside_calls.json",
        "PIK3CA H1047R",
        disease="breast cancer",
        extra=("--outside-calls", "tests/data/pgx/examples/pharmcat.example.outsideCall.tsv"),
    ),
    _command("match_braf_v600e_melanoma.tsv", "match --variant 'BRAF V600E' --disease melanoma --format tsv"),
    # Cohorts: oncokb-annotator's example and the MOAlmanac example patient's files.
    _command(
        "annotate_oncokb_maf.json",
        f"annotate {ONCOKB}/example_maf.txt --clinical {ONCOKB}/example_clinical.txt --format json",
    ),
    _command(
        "annotate_oncokb_maf.tsv",
        f"annotate {ONCOKB}/example_maf.txt --clinical {ONCOKB}/example_clinical.txt --cna {ONCOKB}/example_cna.txt"
        f" --fusions {ONCOKB}/example_fusions.txt",
    ),
    _command(
        "annotate_moalmanac_patient.json",
        f"annotate {MOALMANAC_INPUTS}/example_patient.capture.somatic.snvs.maf"
        f" --cna {MOALMANAC_INPUTS}/example_patient.capture.somatic.called.cna.txt"
        f" --germline {MOALMANAC_INPUTS}/example_patient.capture.germline.maf --disease MEL --format json",
    ),
    # PGx: PharmCAT's example VCF, typed diplotypes.
    _command("pgx_pharmcat_example_vcf.json", f"pgx --vcf {PHARMCAT_VCF} --format json"),
    _command(
        "pgx_diplotypes.json",
        "pgx --diplotype 'CYP2C19 *2/*2' --diplotype 'DPYD *2A/*2A' --diplotype 'CYP2D6 activity score 1.0'"
        " --diplotype 'FOO9 *1/*1' --format json",
    ),
    # Search and the disease hierarchy.
    Case("search_her2.json", ("search", "HER2", "--format", "json")),
    Case("search_adenocarc_lung.json", ("search", "adenocarc lung", "--label", "Disease", "--format", "json")),
    Case("search_nsclc.tsv", ("search", "NSCLC", "--format", "tsv")),
    Case("search_vemurafenib.json", ("search", "vemurafenib", "--format", "json")),
    Case("ancestors_luad.json", ("ancestors", "LUAD", "--format", "json")),
)
MOALMANAC_PATIENT = "match_moalmanac_example_patient.json"


_TIME = re.compile(r'("(?:started_at|finished_at)": )"[^"]*"')


def normalise(text: str, build_id: str) -> str:
    """``text`` with the build id, the build's times and the checkout's folder replaced (see the module docstring)."""
    return _TIME.sub(r'\1"<time>"', text.replace(build_id, "<build>").replace(f'"{REPO}/', '"<repo>/'))


def build_id_of(run: Callable[..., str]) -> str:
    """The id of the build ``pmkg status`` reports (``run`` returns a pmkg command's stdout)."""
    return str(json.loads(run("status", "--format", "json"))["build_id"])


def run_case(home: Path, case: Case) -> str:
    """The stdout of ``pmkg`` for ``case`` over the graph in ``home``; a failed command is an error."""
    from tests.pmkg_cli import pmkg

    done = pmkg(home, *case.args)
    if done.returncode != 0:
        raise RuntimeError(f"pmkg {' '.join(case.args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def build_golden_graph(home: Path) -> str:
    """Build the pinned graph into PMKG_HOME ``home``; return its build id."""
    from tests.pmkg_cli import pmkg

    done = pmkg(home, *BUILD_ARGS)
    if done.returncode != 0:
        raise RuntimeError(f"pmkg {' '.join(BUILD_ARGS)} failed: {done.stderr[-2000:]}")
    return str(json.loads(done.stdout)["build_id"])


def moalmanac_patient_answer(home: Path) -> str:
    """The MOAlmanac example patient's match answer in melanoma, written as ``pmkg match --format json`` writes it."""
    from kg.stores import open_store
    from queries.services.match import match_alterations
    from tests.queries.test_moalmanac_example import example_patient

    store = open_store("embedded", home=home)
    try:
        answer = match_alterations(store, example_patient(), "MEL")
    finally:
        store.close()
    return json.dumps(answer.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def pinned_outputs(home: Path, build_id: str) -> dict[str, str]:
    """Every pinned output, normalised, by golden file name."""
    outputs = {case.name: normalise(run_case(home, case), build_id) for case in CASES}
    outputs[MOALMANAC_PATIENT] = normalise(moalmanac_patient_answer(home), build_id)
    return outputs
