"""Fixtures for the core's tests: a store of each kind and small record sources."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kg.records import Record
from kg.settings import get_settings
from kg.stores.embedded import EmbeddedStore
from kg.stores.port import SourceInfo


@dataclass
class ListSource:
    """A RecordSource over a list of records (optionally failing after ``fail_after`` records)."""

    name: str
    records_list: Sequence[Record]
    version: str = "1"
    license: str = "CC0-1.0"
    fail_after: int | None = None
    skipped_rows: int = field(default=0)

    @property
    def info(self) -> SourceInfo:
        return SourceInfo(self.name, self.version, self.license, checksum=f"test:{self.name}:{self.version}")

    def records(self) -> Iterator[Record]:
        for count, record in enumerate(self.records_list):
            if self.fail_after is not None and count == self.fail_after:
                raise RuntimeError(f"{self.name}: simulated failure after {count} records")
            yield record


@pytest.fixture
def embedded_store(tmp_path: Path) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(tmp_path / "graph")
    yield store
    store.close()


@pytest.fixture
def list_source() -> Callable[..., ListSource]:
    return ListSource


@pytest.fixture
def cypher(neo4j_uri: str) -> Iterator[Callable[..., list[dict[str, Any]]]]:
    """Run Cypher as a researcher connected over Bolt would."""
    import neo4j

    settings = get_settings()
    auth = (settings.neo4j_user, settings.neo4j_password) if settings.neo4j_password else None
    with neo4j.GraphDatabase.driver(neo4j_uri, auth=auth) as driver:

        def run(query: str, **params: Any) -> list[dict[str, Any]]:
            records, _, _ = driver.execute_query(query, params, database_=settings.neo4j_database)
            return [r.data() for r in records]

        yield run
