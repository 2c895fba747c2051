"""The first answer of a process paid for work every process repeats, or for what the answer does not need.

Before: every process that met a genomic position on the other assembly parsed a UCSC chain file again
(0.1 s for hg19→hg38, 0.4-0.6 s for hg38→hg19), so ``pmkg annotate`` of a MAF or VCF spent more time
reading the chain than matching.  Now the first process keeps the parsed blocks as arrays under
``PMKG_HOME/cache/liftover/`` and later ones load them; the lifts are the same either way, and a
missing, damaged or unwritable cache only means parsing again.

Before, too: a first ``pmkg match`` imported numpy (50-150 ms, more in CPU) to read the embedded graph and the
pydantic models of every question (now neither ``pmkg match --format json`` nor ``pmkg annotate`` to TSV imports
pydantic at all); and it read the kept names of all ~13,000 diseases (1 MB, ~30 ms) when it
needed only their earlier ids (50 KB).  Asserted on the modules a real process imports, on which files are
read and on the answers, never on time (the machine's load varies).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from kg import liftover as lo
from kg.records import Node
from kg.schema import Label
from kg.settings import get_settings
from kg.stores.embedded import EmbeddedStore
from kg.stores.port import BuildManifest
from tests.pmkg_cli import REPO

KNOWN = [("GRCh38", "GRCh37", "7", 140753336, 1), ("GRCh37", "GRCh38", "7", 140453136, 1),
         ("GRCh38", "GRCh37", "17", 7675088, 1), ("GRCh37", "GRCh38", "12", 25398284, 1)]  # fmt: skip


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("PMKG_HOME", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def kept_files(home: Path) -> list[str]:
    return sorted(p.name for p in (home / "cache" / "liftover").glob("*.blocks"))


def test_the_first_read_keeps_the_parsed_chain_and_the_next_lifts_the_same_without_parsing(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = {key: lo._read(*key) for key in (("GRCh37", "GRCh38"), ("GRCh38", "GRCh37"))}
    assert [name.split("-")[0] for name in kept_files(home)] == ["hg19ToHg38", "hg38ToHg19"]

    def no_parsing(*_: object) -> None:
        raise AssertionError("the chain file was parsed again")

    monkeypatch.setattr(lo, "_parse", no_parsing)
    for (source, target), first in parsed.items():
        again = lo._read(source, target)
        rng = random.Random(7)
        for _ in range(3000):
            chrom = rng.choice(sorted(first._starts))
            position, length = rng.randrange(1, 250_000_000), rng.choice([1, 3])
            assert again.lift(chrom, position, length) == first.lift(chrom, position, length)
    for source, target, chrom, position, length in KNOWN:
        assert lo._read(source, target).lift(chrom, position, length) == parsed[(source, target)].lift(
            chrom, position, length
        )
    assert lo._read("GRCh38", "GRCh37").lift("7", 140753336) == lo.Lifted("7", 140453136, "+")


def test_a_damaged_kept_file_is_parsed_again_and_replaced(home: Path) -> None:
    first = lo._read("GRCh37", "GRCh38")
    (kept,) = (home / "cache" / "liftover").glob("hg19ToHg38-*.blocks")
    kept.write_bytes(b"not arrays")
    again = lo._read("GRCh37", "GRCh38")
    assert again.lift("7", 140453136) == first.lift("7", 140453136) == lo.Lifted("7", 140753336, "+")
    assert kept.stat().st_size > 1000  # written again


@pytest.mark.parametrize("damage", ["truncated", "header changed", "older layout"])
def test_a_kept_chain_file_cut_short_changed_or_of_an_older_layout_is_parsed_again_and_replaced(
    home: Path, damage: str
) -> None:
    first = lo._read("GRCh38", "GRCh37")
    (kept,) = (home / "cache" / "liftover").glob("hg38ToHg19-*.blocks")
    whole = kept.read_bytes()
    if damage == "truncated":
        kept.write_bytes(whole[:-8])
    elif damage == "header changed":  # a chromosome renamed in the header: its payload checksum still holds
        kept.write_bytes(whole.replace(b'"17"', b'"71"', 1))
    else:  # layout 1 was numpy's .npz; any other layout number is not read either
        older = kept.with_name(kept.name.replace("-v2.", "-v1.").replace(".blocks", ".npz"))
        older.write_bytes(b"PK\x03\x04 an npz archive of layout 1")
        kept.write_bytes(whole[:8] + (1).to_bytes(4, "little") + whole[12:])
    again = lo._read("GRCh38", "GRCh37")
    assert again.lift("17", 7675088) == first.lift("17", 7675088) == lo.Lifted("17", 7578406, "+")
    assert again.lift("7", 140753336) == lo.Lifted("7", 140453136, "+")
    assert kept.read_bytes() == whole  # written again
    assert sorted(p.name for p in kept.parent.iterdir()) == [kept.name]  # and nothing stale left beside it


def test_a_home_that_cannot_be_written_still_lifts(home: Path) -> None:
    (home / "cache").write_text("a file where the cache folder would be")
    lifted = lo._read("GRCh38", "GRCh37").lift("7", 140753336)
    assert lifted == lo.Lifted("7", 140453136, "+")


def test_a_disease_named_exactly_does_not_key_every_disease_name_of_the_build() -> None:
    """Reading earlier ids (retired codes) made every new view key all ~100,000 disease names and synonyms
    (0.2-0.4 s of each process's first answer); the keys are now made only when a lookup needs them."""
    from queries import graph_view
    from queries.diseases import resolve_disease
    from tests.queries.matching_stores import embedded_starter

    store = embedded_starter()
    graph_view.forget_views()
    view = graph_view.view_for(store)
    for text in ("melanoma", "MEL", "DOID:1909", "lung adenocarcinoma"):
        assert resolve_disease(store, text, view=view) is not None
    assert view.disease_names()._index is None  # no fuzzy lookup was needed
    misspelt = resolve_disease(store, "melanomma", view=view)
    assert misspelt is not None
    assert misspelt.id == "DOID:1909"
    assert view.disease_names()._index is not None


def test_a_new_process_reads_the_kept_disease_names_instead_of_every_disease_node(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from queries import graph_view
    from queries.diseases import resolve_disease
    from queries.kept_names import kept_names_path
    from tests.queries.matching_stores import embedded_starter

    store = embedded_starter()
    graph_view.forget_views()
    built = graph_view.view_for(store).disease_names()  # the first process: read from the nodes, then kept
    manifest = store.current_build()
    assert manifest is not None
    assert kept_names_path(store, manifest).is_file()
    graph_view.forget_views()  # as a new process would

    def no_node_reading(*_: object) -> None:
        raise AssertionError("every disease node was read again")

    monkeypatch.setattr(store, "nodes_with_label", no_node_reading)
    view = graph_view.view_for(store)
    again = view.disease_names()
    assert orjson.loads(orjson.dumps(again.state())) == orjson.loads(orjson.dumps(built.state()))
    assert again.retired("DOID:267") == built.retired("DOID:267") != []
    found = resolve_disease(store, "melanomma", view=view)  # the fuzzy index is made from the kept names
    assert found is not None
    assert found.id == "DOID:1909"
    graph_view.forget_views()


def test_a_promoted_or_rolled_back_build_never_reads_another_builds_kept_disease_names(tmp_path: Path) -> None:
    from kg.builds import run_build
    from loaders.registry import starter_loaders
    from queries import graph_view
    from queries.kept_names import RETIRED_SUFFIX, kept_names_path
    from tests.queries.test_moalmanac_example import build_example_graph

    store = build_example_graph(tmp_path / "graph")
    first = store.current_build()
    assert first is not None
    graph_view.view_for(store).disease_names()
    second = run_build(store, starter_loaders())
    graph_view.view_for(store).disease_names()
    path_first, path_second = kept_names_path(store, first), kept_names_path(store, second)
    assert path_first != path_second
    assert path_first.is_file()
    assert path_second.is_file()
    assert orjson.loads(path_second.read_bytes())["stamp"][1] == second.build_id
    # Files of build B where build A's belong (copied, restored from a backup) are not read for A.
    retired_first, retired_second = (kept_names_path(store, m, RETIRED_SUFFIX) for m in (first, second))
    path_first.write_bytes(path_second.read_bytes())
    retired_first.write_bytes(retired_second.read_bytes())
    store.rollback(first.build_id)
    graph_view.forget_views()
    view = graph_view.view_for(store)
    assert view.build_id == first.build_id
    assert len(view.disease_names()) > 10_000  # every name read
    for kept in (path_first, retired_first):
        assert orjson.loads(kept.read_bytes())["stamp"][1] == first.build_id  # read from A's nodes, kept again
    graph_view.forget_views()


def _kept_and_forgotten() -> tuple[EmbeddedStore, BuildManifest]:
    """The starter store with its disease names kept (as a first process leaves them), and no view in memory."""
    from queries import graph_view
    from tests.queries.matching_stores import embedded_starter

    store = embedded_starter()
    graph_view.forget_views()
    graph_view.view_for(store).disease_names().state()  # read (or kept) both parts
    manifest = store.current_build()
    assert manifest is not None
    graph_view.forget_views()  # as a new process would
    return store, manifest


def test_a_diagnosis_named_by_code_or_name_reads_only_the_kept_earlier_ids_not_every_disease_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from queries import graph_view
    from queries.diseases import resolve_disease
    from queries.kept_names import RETIRED_SUFFIX, kept_names_path

    store, manifest = _kept_and_forgotten()
    names_file = kept_names_path(store, manifest)
    assert kept_names_path(store, manifest, RETIRED_SUFFIX).is_file()
    names_file.unlink()

    def no_node_reading(*_: object) -> None:
        raise AssertionError("every disease node was read")

    with monkeypatch.context() as patched:
        patched.setattr(store, "nodes_with_label", no_node_reading)
        view = graph_view.view_for(store)
        for text, expected in (("MEL", "ONCOTREE:MEL"), ("DOID:1909", "DOID:1909"), ("melanoma", "DOID:1909")):
            found = resolve_disease(store, text, view=view)
            assert found is not None
            assert found.id == expected
        retired = resolve_disease(store, "DOID:267", view=view)  # an earlier id
        assert retired is not None
        assert retired.id != "DOID:267"
        assert not names_file.exists()  # the names were never needed
    misspelt = resolve_disease(store, "melanomma", view=view)  # now they are: read, kept
    assert misspelt is not None
    assert misspelt.id == "DOID:1909"
    assert names_file.is_file()
    graph_view.forget_views()


@pytest.mark.parametrize("which", ["earlier ids", "names"])
@pytest.mark.parametrize("damage", ["older layout", "another build", "not JSON", "wrong shape"])
def test_a_stale_or_damaged_kept_disease_file_is_never_trusted_and_is_written_again(
    which: str, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from queries import graph_view
    from queries.diseases import resolve_disease
    from queries.kept_names import RETIRED_SUFFIX, SUFFIX, kept_names_path

    store, manifest = _kept_and_forgotten()
    path = kept_names_path(store, manifest, RETIRED_SUFFIX if which == "earlier ids" else SUFFIX)
    kept = orjson.loads(path.read_bytes())
    key = "retired" if which == "earlier ids" else "named"
    if damage == "older layout":  # the one-file layout before: no layout in the stamp, both parts in "state"
        path.write_bytes(orjson.dumps({"stamp": kept["stamp"][:-1], "state": {key: kept[key]}}))
    elif damage == "another build":
        path.write_bytes(orjson.dumps({**kept, "stamp": [*kept["stamp"][:1], "b0000000000000000", *kept["stamp"][2:]]}))
    elif damage == "not JSON":
        path.write_bytes(b'{"stamp": [')
    else:
        path.write_bytes(orjson.dumps({**kept, key: {"DOID:1909": 7} if key == "named" else [["DOID:1909"]]}))
    reads: list[str] = []
    real = store.nodes_with_label

    def counted(label: Label) -> list[Node]:
        reads.append(str(label))
        return real(label)

    monkeypatch.setattr(store, "nodes_with_label", counted)
    view = graph_view.view_for(store)
    for text, expected in (("melanomma", "DOID:1909"), ("DOID:267", None), ("lung adenocarcinoma", "DOID:3910")):
        found = resolve_disease(store, text, view=view)
        assert found is not None
        assert expected is None or found.id == expected
    assert reads == ["Disease"]  # read from the nodes once, instead of the file
    assert orjson.loads(path.read_bytes()) == kept  # and kept again as it should be
    graph_view.forget_views()


_PROBE = """
import json, sys
from queries.cli.main import cli
cli(sys.argv[1:], prog_name="pmkg", standalone_mode=False)
print("\\n" + json.dumps(sorted(sys.modules)))
"""


def _modules_of_a_process(home: Path, *args: str) -> tuple[str, set[str]]:
    env = {**os.environ, "PMKG_HOME": str(home), "PMKG_STORE": "embedded"}
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    output, _, modules = done.stdout.rpartition("\n[")
    return output, set(json.loads("[" + modules))


def test_first_match_of_a_process_does_not_import_numpy_nor_pydantic(home_copy: Path) -> None:
    output, modules = _modules_of_a_process(
        home_copy, "match", "--variant", "BRAF V600E", "--disease", "melanoma", "--format", "json"
    )
    assert "vemurafenib" in output.lower()
    assert "numpy" not in modules
    assert "rapidfuzz" not in modules  # edit distances only for a misspelt disease name
    assert "queries.matching" in modules
    assert "pydantic" not in modules  # the answer's JSON as the HTTP API sends it, ~0.1 s less per process
    assert not modules & {"queries.models.match", "queries.models.annotate", "queries.models.entity"}


def test_first_match_as_a_table_reads_the_typed_answer(home_copy: Path) -> None:
    output, modules = _modules_of_a_process(home_copy, "match", "--variant", "BRAF V600E", "--format", "tsv")
    assert "vemurafenib" in output.lower()
    assert "queries.models.match" in modules
    assert not modules & {"queries.models.annotate", "queries.models.entity", "queries.models.search"}


@pytest.mark.parametrize("chain", ["parsed", "kept"])
def test_first_annotate_of_a_process_that_lifts_positions_does_not_import_numpy(home_copy: Path, chain: str) -> None:
    # MOAlmanac's example MAF is on GRCh37 (NCBI_Build): its positions are lifted to GRCh38 to reach ClinVar's.
    maf = REPO / "tests/data/matching/moalmanac_example/example_data/example_patient.capture.somatic.snvs.maf"
    kept = home_copy / "cache" / "liftover"
    shutil.rmtree(kept, ignore_errors=True)
    if chain == "kept":  # a process before this one kept the parsed chain
        _modules_of_a_process(home_copy, "annotate", str(maf), "--disease", "MEL")
    output, modules = _modules_of_a_process(home_copy, "annotate", str(maf), "--disease", "MEL", "--format", "json")
    assert {"kg.liftover", "queries.annotate"} <= modules
    assert [p.suffix for p in kept.iterdir()] == [".blocks"]  # lifted (and kept)
    samples = json.loads(output)["samples"]
    assert [s["sample"] for s in samples] == ["example_tumor_profile"]
    assert "numpy" not in modules


def test_annotate_to_tsv_does_not_import_pydantic(home_copy: Path) -> None:
    """Rows are written as they come; the typed answer's models (~0.1 s with pydantic) are for JSON only."""
    maf = REPO / "tests/data/matching/moalmanac_example/example_data/example_patient.capture.somatic.snvs.maf"
    output, modules = _modules_of_a_process(home_copy, "annotate", str(maf), "--disease", "MEL")
    assert output.splitlines()[0].startswith("sample\t")
    assert "BRAF" in output
    assert "queries.annotate" in modules
    assert "pydantic" not in modules


def test_the_graph_read_without_numpy_holds_what_its_arrays_hold(home_copy: Path) -> None:
    import numpy as np

    from kg.merge import LABELS, REL_CODE
    from kg.schema import Label, RelType
    from kg.stores.embedded.fileformat import map_graph_file, read_graph_file
    from kg.stores.embedded.graph import FrozenGraph

    path = home_copy / "graph" / "graph.pmkg"
    _, arrays = read_graph_file(path)
    graph = FrozenGraph(map_graph_file(path)[1])
    counts = np.bincount(arrays["node_label"], minlength=len(LABELS))
    assert graph.label_counts() == {str(label): int(counts[code]) for code, label in enumerate(LABELS)}
    assert graph.label_counts()["Disease"] > 10_000
    subclass = REL_CODE[RelType.SUBCLASS_OF]
    edges = list(graph.edges(RelType.SUBCLASS_OF))
    assert len(edges) == int((arrays["out_type"] == subclass).sum()) > 10_000
    diseases = graph.nodes_with_label(Label.DISEASE)
    assert len(diseases) == graph.label_counts()["Disease"]
    assert all(graph.position(d.id) is not None for d in diseases[::97])
    luad = graph.position("DOID:3910")  # lung adenocarcinoma
    assert luad is not None
    broader = {graph.node_id_at(p) for p in graph.closure([luad], [RelType.SUBCLASS_OF], upward=True)}
    assert "DOID:3908" in broader  # non-small cell lung carcinoma
    assert [n.id for n in graph.find("HER2", Label.GENE)] == ["HGNC:3430"]


def test_pmkg_build_keeps_the_new_builds_disease_files_so_its_first_answer_reads_no_disease_node(
    tmp_path: Path,
) -> None:
    from queries.kept_names import KINDS_SUFFIX, RETIRED_SUFFIX, SUFFIX
    from tests.pmkg_cli import pmkg

    built = pmkg(tmp_path, "build", "--format", "json")  # a fresh home: no answer has run on it
    assert built.returncode == 0, built.stderr
    build_id = json.loads(built.stdout)["build_id"]
    views = tmp_path / "graph" / "views"
    kept = {suffix: list(views.glob(f"{build_id}-*{suffix}")) for suffix in (SUFFIX, RETIRED_SUFFIX, KINDS_SUFFIX)}
    assert all(len(paths) == 1 for paths in kept.values()), kept  # written by `pmkg build`, before any answer
    for (path,) in kept.values():
        assert orjson.loads(path.read_bytes())["stamp"][1] == build_id
    written = {p: p.stat().st_mtime_ns for (p,) in kept.values()}
    output, _ = _modules_of_a_process(tmp_path, "match", "--variant", "BRAF V600E", "--disease", "melanomma")
    assert "vemurafenib" in output.lower()
    assert {p: p.stat().st_mtime_ns for p in written} == written  # read, not written again
