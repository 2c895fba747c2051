"""Issue 9's adversarial suite: at least 200 generated inputs per command (match, pgx, search,
ancestors, annotate), each run in-process against the starter graph.  Every run: no traceback,
exit status 0 or 2, stdout valid UTF-8 (valid JSON under ``--format json``), and for annotate no
input changed and no output lost or left partial."""

from __future__ import annotations

import hashlib
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.adversarial.conftest import Pmkg
from tests.adversarial.strategies import diplotype_text, disease_text, hostile_text, patient_file_bytes, variant_text

FORMATS = st.sampled_from(["table", "json", "tsv"])


@settings(settings.get_profile("adversarial"))
@given(variants=st.lists(variant_text(), min_size=1, max_size=3), disease=st.none() | disease_text(), fmt=FORMATS)
def test_match_survives_any_variant_and_disease_text(
    run_pmkg: Pmkg, variants: list[str], disease: str | None, fmt: str
) -> None:
    args = ["match", "--format", fmt]
    for variant in variants:
        args += ["--variant", variant]
    if disease is not None:
        args += ["--disease", disease]
    run_pmkg(*args, json_output=fmt == "json")


@settings(settings.get_profile("adversarial"))
@given(diplotypes=st.lists(diplotype_text(), min_size=1, max_size=3), drug=st.none() | hostile_text(),
       fmt=st.sampled_from(["table", "json"]))  # fmt: skip
def test_pgx_survives_any_diplotype_text(run_pmkg: Pmkg, diplotypes: list[str], drug: str | None, fmt: str) -> None:
    args = ["pgx", "--format", fmt]
    for diplotype in diplotypes:
        args += ["--diplotype", diplotype]
    if drug is not None:
        args += ["--drug", drug]
    run_pmkg(*args, json_output=fmt == "json")


@settings(settings.get_profile("adversarial"))
@given(text=st.one_of(variant_text(), disease_text(), hostile_text()), fmt=FORMATS,
       label=st.none() | st.sampled_from(["Gene", "Disease", "Drug"]))  # fmt: skip
def test_search_survives_any_text(run_pmkg: Pmkg, text: str, fmt: str, label: str | None) -> None:
    args = ["search", text, "--format", fmt] + (["--label", label] if label else [])
    run_pmkg(*args, json_output=fmt == "json")


@settings(settings.get_profile("adversarial"))
@given(text=disease_text(), fmt=FORMATS)
def test_ancestors_survives_any_disease_text(run_pmkg: Pmkg, text: str, fmt: str) -> None:
    run_pmkg("ancestors", text, "--format", fmt, json_output=fmt == "json")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@settings(settings.get_profile("adversarial"))
@given(data=patient_file_bytes(), fmt=st.sampled_from(["tsv", "json"]), disease=st.none() | disease_text(),
       existing=st.booleans())  # fmt: skip
def test_annotate_survives_any_file_and_loses_nothing(
    run_pmkg: Pmkg, tmp_path_factory: object, data: bytes, fmt: str, disease: str | None, existing: bool
) -> None:
    folder = tmp_path_factory.mktemp("annotate")  # type: ignore[attr-defined]
    patient = folder / "patient.txt"
    patient.write_bytes(data)
    out_folder = folder / "out"
    out_folder.mkdir()
    out = out_folder / f"results.{fmt}"
    if existing:
        out.write_text("an earlier result that must survive a failed run\n")
    before = _digest(patient)
    args = ["annotate", str(patient), "--format", fmt, "--out", str(out)]
    if disease is not None:
        args += ["--disease", disease]
    result = run_pmkg(*args, json_output=False)
    assert _digest(patient) == before, "the input was changed"
    names = sorted(p.name for p in out_folder.iterdir())
    if result.exit_code == 0:
        expected = [out.name] + ([f"results.samples.{fmt}"] if fmt == "tsv" else [])
        assert names == sorted(expected), names
        if fmt == "json":
            import json

            json.loads(out.read_text(encoding="utf-8"))
    else:
        assert names == ([out.name] if existing else []), f"partial or temporary files left: {names}"
        if existing:
            assert out.read_text() == "an earlier result that must survive a failed run\n"
