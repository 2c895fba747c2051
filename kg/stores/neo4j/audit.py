"""The curation audit log in Neo4j: one ``PmkgAudit`` node per entry, the head in ``PmkgState {key: 'audit-head'}``.

The same entries and chain as :class:`kg.curation.audit.FileAuditLog` (see :mod:`kg.curation.audit`), kept
with the graph: audit nodes carry neither ``PmkgNode`` nor a schema label, so no build holds them and no
reclaim deletes them.  An append reads the last entry and writes the next one in one transaction under the
head node's lock.  A curation step holds ``(:PmkgState {key: 'curation-step'})`` from its pending entry to
its completion (:meth:`Neo4jAuditLog.step_lock`).  This module never imports the driver.
"""

from __future__ import annotations

import contextlib
import json
from typing import TYPE_CHECKING, Any

from kg.curation.audit import AuditEntry, new_entry
from kg.errors import StoreError
from kg.stores.neo4j.queries import query_text

if TYPE_CHECKING:
    from kg.stores.neo4j.store import Neo4jStore


class Neo4jAuditLog:
    """The audit log of one Neo4j database (see the module docstring)."""

    def __init__(self, store: Neo4jStore) -> None:
        self._store = store

    def entries(self) -> list[AuditEntry]:
        found = []
        for number, row in enumerate(self._store._read(query_text("audit_entries")), 1):
            try:
                found.append(AuditEntry.from_dict(json.loads(row["entry"])))
            except (ValueError, TypeError, AttributeError) as exc:
                raise StoreError(
                    f"audit entry {number} in Neo4j is not an audit entry ({exc}); the log was damaged"
                ) from None
        return found

    def head(self) -> tuple[int, str] | None:
        rows = self._store._read(query_text("audit_head"))
        if not rows or rows[0]["entries"] is None:
            return None
        return int(rows[0]["entries"]), str(rows[0]["hash"])

    def append(self, **fields: Any) -> AuditEntry:
        def work(tx: Any) -> AuditEntry:
            row = tx.run(query_text("audit_lock")).single()
            last = AuditEntry.from_dict(json.loads(row["entry"])) if row and row["entry"] else None
            entry = new_entry(last, **fields)
            text = json.dumps(entry.as_dict(), sort_keys=True, ensure_ascii=False)
            tx.run(query_text("audit_append"), seq=entry.seq, hash=entry.hash, entry=text).consume()
            return entry

        result: AuditEntry = self._store._write("appending to the curation audit log", work)
        return result

    def step_lock(self) -> contextlib.AbstractContextManager[None]:
        return self._store.holding_lock("curation-step")
