"""The first answer of a process pays only for what that answer needs (issue 8, performance; issue 11's first request).

Before: a first ``pmkg match`` imported numpy (50-150 ms, more in CPU: its BLAS starts threads) to read the
embedded graph, and the pydantic models of every question (annotate, entity pages, search) to answer one.
Asserted on the modules a real process imports and on the answers, not on time (the machine's load varies).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.pmkg_cli import REPO

_PROBE = """
import json, sys
from queries.cli.main import cli
cli(sys.argv[1:], prog_name="pmkg", standalone_mode=False)
print("\\n" + json.dumps(sorted(sys.modules)))
"""


def _run(home: Path, *args: str) -> tuple[str, set[str]]:
    env = {**os.environ, "PMKG_HOME": str(home), "PMKG_STORE": "embedded"}
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    output, _, modules = done.stdout.rpartition("\n[")
    return output, set(json.loads("[" + modules))


def test_first_match_of_a_process_does_not_import_numpy_nor_other_questions_models(home_copy: Path) -> None:
    output, modules = _run(home_copy, "match", "--variant", "BRAF V600E", "--disease", "melanoma", "--format", "json")
    assert "vemurafenib" in output.lower()
    assert "numpy" not in modules
    assert {"queries.models.match", "queries.matching"} <= modules
    assert not modules & {"queries.models.annotate", "queries.models.entity", "queries.models.search"}


def test_first_annotate_of_a_process_does_not_import_numpy(home_copy: Path, tmp_path: Path) -> None:
    maf = tmp_path / "one.maf"
    maf.write_text(
        "Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\tVariant_Classification\nBRAF\tS1\tp.V600E\tMissense_Mutation\n"
    )
    output, modules = _run(home_copy, "annotate", str(maf), "--disease", "melanoma", "--format", "json")
    assert "S1" in output
    assert "numpy" not in modules


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
