"""SPARQL from the in-memory copy of the view: made in the background, answering as the disk does.

What was slow: from the view on disk every term of an answer is a read of Oxigraph's string table and
every pattern a seek in its indexes, so five cookbook questions answered under 20x faster than plain
rdflib.  Copying the view into memory helped but was off by default, and a worker that copied it
answered nothing for the ~6 s the copy took (again after every worker killed for a time-out).  Now
``pmkg serve``'s workers copy by default, in the background, the disk answering until the copy is made;
these tests hold that: the first answer does not wait for the copy, the copy takes over, and every
cookbook question answers the same from memory as from disk.  The first copy of a view leaves the N-Quads
it read beside the store, and later copies load them (less than half the time): a damaged snapshot is
never loaded.  A copy was bulk-loaded, which needed ~60% more memory while it loaded than the copy then
held (each worker makes one); it is loaded in one transaction now.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from kg.errors import ConfigError
from kg.settings import get_settings
from kg.stores.rdf import SNAPSHOT, ensure_view, memory_copy, open_view
from queries.gateways.sparql import SparqlPool
from tests.queries.matching_stores import embedded_starter

COOKBOOK = Path(__file__).resolve().parents[2] / "docs" / "cookbook"
COPY_WAIT_S = 180  # the starter graph's copy takes ~5 s on a quiet machine; CI machines are not quiet
PING = "SELECT (1 AS ?one) {}"


@pytest.fixture(scope="module")
def starter_view() -> Path:
    return ensure_view(embedded_starter(), Path(tempfile.mkdtemp(prefix="pmkg-rdf-")))


def _rows(pool: SparqlPool, query: str) -> tuple[str, set[tuple[str, ...]]]:
    answer = pool.query(query, results_format="json", timeout=60)
    document = json.loads(answer.document)
    names = document["head"]["vars"]
    rows = {tuple(row.get(n, {}).get("value", "") for n in names) for row in document["results"]["bindings"]}
    return answer.answered_from, rows


def test_a_worker_answers_from_disk_while_it_copies_the_view_then_from_memory_with_the_same_answers(
    starter_view: Path,
) -> None:
    questions = {rq.stem: rq.read_text() for rq in sorted(COOKBOOK.glob("*.rq"))}
    assert len(questions) >= 15
    pool = SparqlPool(starter_view, in_memory=True)
    try:
        first_from, first_rows = _rows(pool, questions[min(questions)])
        assert first_from == "disk", "the first answer waited for the copy into memory"
        deadline = time.monotonic() + COPY_WAIT_S
        while _rows(pool, PING)[0] != "memory":
            assert time.monotonic() < deadline, f"the view was not copied into memory within {COPY_WAIT_S} s"
            time.sleep(0.2)
        disk = SparqlPool(starter_view)
        try:
            for name, query in questions.items():
                from_memory, memory_rows = _rows(pool, query)
                from_disk, disk_rows = _rows(disk, query)
                assert (from_memory, from_disk) == ("memory", "disk"), name
                assert memory_rows, f"{name} finds nothing, so it proves nothing"
                assert memory_rows == disk_rows, name
        finally:
            disk.close()
        assert _rows(pool, questions[min(questions)])[1] == first_rows
    finally:
        pool.close()


def test_a_pool_on_disk_never_copies(starter_view: Path) -> None:
    pool = SparqlPool(starter_view)
    try:
        assert _rows(pool, PING)[0] == "disk"
    finally:
        pool.close()


def test_the_copy_holds_every_quad_of_the_view_vocabulary_graph_included(starter_view: Path) -> None:
    disk = open_view(starter_view)
    memory = memory_copy(disk, starter_view)
    assert len(memory) == len(disk) > 900_000
    assert list(memory.named_graphs()) == list(disk.named_graphs())


def _small_view(folder: Path) -> Path:
    """A real on-disk view: a few triples in the default graph and one in a named graph (as the vocabulary is)."""
    store = Store(str(folder))
    for n in range(5):
        store.add(Quad(NamedNode(f"http://example.org/s{n}"), NamedNode("http://example.org/p"), Literal(f"v{n}")))
    graph = NamedNode("https://w3id.org/pmkg/vocab/")
    store.add(Quad(NamedNode("http://example.org/C"), NamedNode("http://example.org/label"), Literal("C"), graph))
    store.flush()
    del store
    return folder


def _quads(store: Store) -> set[str]:
    return {str(quad) for quad in store.quads_for_pattern(None, None, None, None)}


def test_the_first_copy_leaves_a_snapshot_that_the_next_copies_load(tmp_path: Path) -> None:
    view = _small_view(tmp_path / "view")
    disk = open_view(view)
    first = memory_copy(disk, view)
    assert (view / SNAPSHOT).is_file()
    assert not [p.name for p in view.iterdir() if p.name.endswith(".tmp")], "a partial snapshot was left behind"
    (view / SNAPSHOT).write_bytes(
        (view / SNAPSHOT).read_bytes() + b'<http://example.org/only-in-snapshot> <http://example.org/p> "x" .\n'
    )
    second = memory_copy(disk, view)
    assert len(second) == len(first) + 1, "the second copy did not load the snapshot"
    assert (
        _quads(first)
        == _quads(disk)
        == _quads(second) - {'<http://example.org/only-in-snapshot> <http://example.org/p> "x"'}
    )
    assert len(open_view(view)) == 6, "the view no longer opens whole with a snapshot beside it"


def test_a_damaged_snapshot_is_not_loaded_the_copy_comes_from_the_view(tmp_path: Path) -> None:
    view = _small_view(tmp_path / "view")
    (view / SNAPSHOT).write_bytes(b"<http://example.org/s0> <http://example.org/p> ")  # cut mid-quad
    disk = open_view(view)
    copy = memory_copy(disk, view)
    assert _quads(copy) == _quads(disk)
    assert len(copy) == 6
    assert _quads(memory_copy(disk, view)) == _quads(disk), "the snapshot written again is not whole"


# In a fresh process (its peak resident memory, VmHWM, is its own: ru_maxrss would keep the parent's across exec):
# open a view, copy it into memory, report its resident memory in MB.
_COPY_MEMORY = """
import json, re, sys
from pathlib import Path
from kg.stores.rdf import memory_copy, open_view
def mb(field):
    return int(re.search(rf"^{field}:\\s*(\\d+) kB", Path("/proc/self/status").read_text(), re.M)[1]) / 1e3
folder = Path(sys.argv[1])
disk = open_view(folder)
before = mb("VmRSS")
copy = memory_copy(disk, folder)
print(json.dumps({"before": before, "after": mb("VmRSS"), "peak": mb("VmHWM")}))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/status")
def test_copying_the_view_needs_little_more_memory_than_the_copy_holds(starter_view: Path, tmp_path: Path) -> None:
    view = tmp_path / "view"
    shutil.copytree(starter_view, view, ignore=shutil.ignore_patterns(SNAPSHOT, "LOCK"))
    for way in ("from the view", "from its snapshot"):  # the first copy leaves the snapshot the second loads
        done = subprocess.run(
            [sys.executable, "-c", _COPY_MEMORY, str(view)], capture_output=True, text=True, check=True, timeout=600
        )
        mb = json.loads(done.stdout)
        held, needed = mb["after"] - mb["before"], mb["peak"] - mb["before"]
        assert held > 200, f"{way}: the copy holds {held:.0f} MB: not the starter graph"
        assert needed <= 1.25 * held, f"{way}: the copy needed {needed:.0f} MB to load, holding {held:.0f} MB"
    assert (view / SNAPSHOT).is_file()


def test_serve_copies_the_view_into_memory_unless_told_not_to(monkeypatch: pytest.MonkeyPatch) -> None:
    for value, expected in (("", True), ("no", False), ("off", False), ("yes", True)):
        monkeypatch.setenv("PMKG_SPARQL_IN_MEMORY", value)
        get_settings.cache_clear()
        assert get_settings().sparql_in_memory is expected, value
    monkeypatch.setenv("PMKG_SPARQL_IN_MEMORY", "sometimes")
    get_settings.cache_clear()
    with pytest.raises(ConfigError, match="PMKG_SPARQL_IN_MEMORY is 'sometimes'; expected yes or no"):
        get_settings()
    get_settings.cache_clear()
