"""The first gene lookup that missed on Neo4j read every gene of the build over Bolt, in every process.

Before: the first time a process met a gene the graph does not know (a cohort's novel gene, a misspelt symbol),
its view read all ~19,000 genes from Neo4j (~1.4 s) so that later misses would not be asked again.  Now
``pmkg build`` keeps which gene each gene lookup key names beside the build (``….gene-keys.json`` in
``PMKG_HOME/cache/views/``), and a view reads that file instead, then reads a named gene itself the first time it
is named.  A build without the file reads every gene once, as before, and keeps the file for the next process; a
file of another build, or damaged, is never trusted.  Answers are the embedded store's; warm answers still ask
Neo4j only which build is current.  The store is the real Neo4j, wrapped only to count the port calls it receives.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from kg.schema import Label
from kg.settings import get_settings
from kg.stores.port import BuildManifest, Store
from queries import graph_view
from queries.kept_names import GENE_KEYS_SUFFIX, keep_for_build, kept_names_path
from queries.matching import match_therapies
from tests.queries.matching_stores import embedded_starter, neo4j_starter
from tests.regressions.test_neo4j_round_trips import TEXTS, CountingStore, counted

pytestmark = pytest.mark.neo4j
PATIENT = ["BRAFF V600E", "NOTAGENE G12C", "BRAF V600E", "her2 amplification", "KRAS G12C"]


class GeneReads(CountingStore):
    """A real store, passed through, counting the port operations asked of it and each time every gene is read."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.every_gene = 0

    def nodes_with_label(self, label: Label) -> list[Any]:
        self.calls["nodes_with_label"] += 1
        self.every_gene += label == Label.GENE
        return self._store.nodes_with_label(label)


@pytest.fixture
def neo4j(neo4j_uri: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[GeneReads]:
    """The Neo4j starter with a home of its own (no kept gene keys yet) and no view in memory."""
    monkeypatch.setenv("PMKG_HOME", str(tmp_path))
    get_settings.cache_clear()
    graph_view.forget_views()
    yield GeneReads(neo4j_starter(neo4j_uri))
    graph_view.forget_views()
    get_settings.cache_clear()


def keep_as_pmkg_build_does(store: GeneReads) -> None:
    """What `pmkg build --neo4j` keeps beside the build (the reads it makes are not the answer's)."""
    keep_for_build(counted(store))
    store.every_gene = 0


def manifest_of(store: Store) -> BuildManifest:
    manifest = store.current_build()
    assert manifest is not None
    return manifest


def answer(store: GeneReads) -> Any:
    return match_therapies(counted(store), PATIENT, "melanoma").as_json()


def test_after_pmkg_build_a_gene_miss_reads_no_gene_of_neo4j_and_answers_as_the_embedded_store(
    neo4j: GeneReads,
) -> None:
    keep_as_pmkg_build_does(neo4j)
    assert kept_names_path(counted(neo4j), manifest_of(neo4j._store), GENE_KEYS_SUFFIX).is_file()
    first = answer(neo4j)
    assert neo4j.every_gene == 0  # not every gene
    inputs = first["inputs"]["variants"]
    assert inputs[0]["message"] == "unknown gene BRAFF; did you mean BRAF, TNFSF13B?"
    assert first == match_therapies(embedded_starter(), PATIENT, "melanoma").as_json()
    neo4j.calls.clear()
    assert answer(neo4j) == first
    assert neo4j.calls == Counter({"current_build": 1}), neo4j.calls  # warm: nothing asked again


def test_without_the_kept_file_the_first_miss_reads_every_gene_once_and_keeps_it_for_the_next_process(
    neo4j: GeneReads,
) -> None:
    path = kept_names_path(counted(neo4j), manifest_of(neo4j._store), GENE_KEYS_SUFFIX)
    assert not path.exists()
    first = answer(neo4j)
    assert neo4j.every_gene == 1
    assert path.is_file()
    graph_view.forget_views()  # as a new process would
    assert answer(neo4j) == first
    assert neo4j.every_gene == 1  # not again


@pytest.mark.parametrize("damage", ["another build", "not JSON", "contents changed", "wrong shape"])
def test_a_stale_or_damaged_kept_gene_keys_file_is_never_trusted(neo4j: GeneReads, damage: str) -> None:
    keep_as_pmkg_build_does(neo4j)
    path = kept_names_path(counted(neo4j), manifest_of(neo4j._store), GENE_KEYS_SUFFIX)
    data = orjson.loads(path.read_bytes())
    expected = answer(neo4j)
    graph_view.forget_views()
    if damage == "another build":
        path.write_bytes(orjson.dumps({**data, "stamp": [data["stamp"][0], "b0000000000000000", *data["stamp"][2:]]}))
    elif damage == "not JSON":
        path.write_bytes(b'{"stamp": [')
    elif damage == "contents changed":  # "braff" made a key of BRAF: a misspelling would pass for the gene
        keys = data["keys"]
        keys["keys"]["braff"] = keys["keys"]["braf"]
        path.write_bytes(orjson.dumps(data))
    else:  # checksummed as written, but not genes and keys
        changed = {"genes": "HGNC:1097", "keys": []}
        path.write_bytes(orjson.dumps({**data, "sha256": hashlib.sha256(orjson.dumps(changed)).hexdigest(),
                                       "keys": changed}))  # fmt: skip
    assert answer(neo4j) == expected
    assert neo4j.every_gene == 1  # every gene read instead


def test_the_views_gene_lookups_from_the_kept_file_answer_as_neo4j_finds(neo4j: GeneReads) -> None:
    store = neo4j._store
    keep_as_pmkg_build_does(neo4j)
    view = graph_view.view_for(counted(neo4j))
    assert view.genes("NOTAGENE") == []  # the miss: the view reads the kept keys
    expected = {t: [n for n in nodes if n.label == Label.GENE] for t, nodes in store.find_many(TEXTS).items()}
    assert view.find_many(TEXTS, Label.GENE) == {t: nodes for t, nodes in expected.items() if nodes}
    assert view.find_many(TEXTS, Label.GENE) == embedded_starter().find_many(TEXTS, Label.GENE)
    assert [n.id for n in view.find_any(TEXTS, (Label.GENE,))] == sorted({n.id for ns in expected.values() for n in ns})
    assert view.genes(" her2 ") == store.find(" her2 ", Label.GENE) != []
    assert neo4j.every_gene == 0
