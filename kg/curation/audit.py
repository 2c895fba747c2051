"""The curation audit log: append-only and tamper-evident.

Every entry records who (the curator, or the API key's name), when, what (``stage``, ``apply``,
``approve``, ``rollback``, ``supersede``, ``complete``), why (the message), the tracker link, the builds
before and after, the source releases (versions and checksums) and the diff summary — and the SHA-256 of
the entry before it.  Its own ``hash`` covers all of that, so editing any entry breaks its hash and removing or
reordering one breaks the chain; the head (number of entries and last hash) is kept beside the log, so
cutting entries off the end is seen too.  :func:`verify` names the first entry that fails.

**A step that changes the current build is written twice**, so a kill between the promote and its record
cannot leave a promoted build unaudited: first an entry with ``state="pending"`` (before and after builds
known), then the promote, then a ``complete`` entry naming the pending one (``completes``) with its outcome
(``done``).  A step killed in between leaves a pending entry with no completion; :func:`interrupted` finds
it and :func:`outcome_of_interrupted` says what happened from the build that answers now: ``done`` (the
promote happened), ``not applied`` (the build before still answers) or ``unknown`` (another build was made
current since, outside curation).  The next curation step records that outcome in a ``complete`` entry
(``recovered`` or ``not applied``).  Pending and completion entries are chained and hashed like any other.
Fields added after the first release (``state``, ``completes``) enter the hash only when set, so logs
written before them still verify.

:class:`FileAuditLog` keeps the log as JSON Lines under ``PMKG_HOME/curation/`` (the embedded store,
and the file that exports carry).  It never rewrites a line: appends happen under a lock, each
written and synced whole.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from kg.errors import StoreError
from kg.locks import exclusive_lock

GENESIS = "0" * 64
ACTIONS = ("stage", "apply", "approve", "rollback", "supersede", "complete")
PENDING = "pending"
# Outcomes of a pending step (the ``state`` of its ``complete`` entry, or read from the current build).
DONE, RECOVERED, NOT_APPLIED, UNKNOWN = "done", "recovered", "not applied", "unknown"
_OPTIONAL = {"state": "", "completes": 0}  # set only on some entries; absent ones are left out of the hash


@dataclasses.dataclass(frozen=True)
class AuditEntry:
    """One audited curation step (see the module docstring); ``hash`` covers every other field."""

    seq: int
    at: str
    curator: str
    action: str
    message: str
    tracker: str
    source: str
    before_build: str
    after_build: str
    sources: tuple[Mapping[str, Any], ...]
    summary: Mapping[str, Any]
    previous_hash: str
    hash: str = ""
    state: str = ""  # "pending" on the first entry of a promoting step; the outcome on a ``complete`` entry
    completes: int = 0  # on a ``complete`` entry: the seq of the pending entry it completes

    def body(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data.pop("hash")
        for name, default in _OPTIONAL.items():
            if data[name] == default:
                data.pop(name)
        data["sources"] = [dict(s) for s in self.sources]
        data["summary"] = dict(self.summary)
        return data

    def computed_hash(self) -> str:
        return hashlib.sha256(json.dumps(self.body(), sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    def as_dict(self) -> dict[str, Any]:
        return {**self.body(), "hash": self.hash}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AuditEntry:
        fields = {f.name for f in dataclasses.fields(cls)}
        missing = fields - set(data) - set(_OPTIONAL)
        if missing:
            raise ValueError(f"missing {', '.join(sorted(missing))}")
        return cls(**{**_OPTIONAL, **{k: data[k] for k in fields if k in data}, "sources": tuple(data["sources"]),
                      "summary": dict(data["summary"])})  # fmt: skip


def new_entry(previous: AuditEntry | None, **fields: Any) -> AuditEntry:
    """The entry after ``previous`` (``seq``, ``at``, ``previous_hash`` and ``hash`` filled in)."""
    entry = AuditEntry(
        seq=previous.seq + 1 if previous else 1,
        at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        previous_hash=previous.hash if previous else GENESIS,
        **{"tracker": "", "source": "", "before_build": "", "after_build": "", "sources": (), "summary": {}, **fields},
    )
    return dataclasses.replace(entry, hash=entry.computed_hash())


def verify(entries: Sequence[AuditEntry], head: tuple[int, str] | None) -> list[str]:
    """What is wrong with the chain ``entries`` (empty: intact), ``head`` the recorded (count, last hash)."""
    problems: list[str] = []
    previous_hash = GENESIS
    for position, entry in enumerate(entries, 1):
        if entry.seq != position:
            problems.append(f"entry {position} carries number {entry.seq}: an entry was removed or reordered")
        if entry.hash != entry.computed_hash():
            problems.append(f"entry {entry.seq} ({entry.action} at {entry.at}) was edited: its hash does not match")
        if entry.previous_hash != previous_hash:
            problems.append(f"entry {entry.seq} does not follow the entry before it: the chain is broken there")
        previous_hash = entry.hash
        if problems:
            break
    if not problems and head is not None:
        count, last = head
        if count != len(entries) or (entries and last != entries[-1].hash) or (not entries and count):
            problems.append(f"the log ends at entry {len(entries)} but {count} were written: entries were cut off "
                            "the end or the log was replaced")  # fmt: skip
    return problems


def interrupted(entries: Sequence[AuditEntry]) -> list[AuditEntry]:
    """Pending entries no ``complete`` entry follows: steps killed between their record and their completion."""
    completed = {e.completes for e in entries if e.action == "complete"}
    return [e for e in entries if e.state == PENDING and e.seq not in completed]


def outcome_of_interrupted(entry: AuditEntry, current_build: str | None) -> str:
    """What became of the interrupted step ``entry``, judged by the build that answers now."""
    if current_build == entry.after_build:
        return DONE
    if current_build == entry.before_build:
        return NOT_APPLIED
    return UNKNOWN


def outcomes(entries: Sequence[AuditEntry], current_build: str | None) -> dict[int, str]:
    """The outcome of every pending entry, by seq: its ``complete`` entry's state, else read from
    ``current_build`` (only the last interrupted step can be judged so; earlier ones are ``unknown``)."""
    found = {e.completes: e.state for e in entries if e.action == "complete"}
    dangling = interrupted(entries)
    for entry in dangling:
        found[entry.seq] = outcome_of_interrupted(entry, current_build) if entry is dangling[-1] else UNKNOWN
    return found


def took_effect(entry: AuditEntry, outcome: Mapping[int, str]) -> bool:
    """Whether ``entry`` changed what it says it changed: any entry not pending, or a pending one done."""
    return entry.state != PENDING or outcome.get(entry.seq) in (DONE, RECOVERED)


class AuditLog(Protocol):
    """Where a store's audit entries live."""

    def entries(self) -> list[AuditEntry]: ...

    def head(self) -> tuple[int, str] | None:
        """The count and last hash recorded beside the log (None: nothing recorded yet)."""

    def append(self, **fields: Any) -> AuditEntry:
        """Add the next entry (chained to the last) and return it."""

    def step_lock(self) -> contextlib.AbstractContextManager[None]:
        """Held by one curation step at a time, across processes, from its pending entry to its completion
        (so that no other step judges a step in progress as interrupted); a killed holder's lock is freed."""


class FileAuditLog:
    """The audit log as JSON Lines, ``audit.jsonl``, with its head in ``audit.head`` (see the module docstring)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / "audit.jsonl"
        self.head_path = self.folder / "audit.head"

    def entries(self) -> list[AuditEntry]:
        if not self.path.is_file():
            return []
        found = []
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise StoreError(f"cannot read the audit log {self.path}: {exc}") from None
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                found.append(AuditEntry.from_dict(json.loads(line)))
            except (ValueError, TypeError, AttributeError) as exc:
                raise StoreError(f"{self.path}:{number}: not an audit entry ({exc}); the log was damaged") from None
        return found

    def head(self) -> tuple[int, str] | None:
        if not self.head_path.is_file():
            return None
        try:
            data = json.loads(self.head_path.read_text(encoding="utf-8"))
            return int(data["entries"]), str(data["hash"])
        except (OSError, ValueError, KeyError, TypeError):
            return (-1, "")  # unreadable: verify reports it as a mismatch

    def append(self, **fields: Any) -> AuditEntry:
        with exclusive_lock(self.folder / "audit.lock", f"write the audit log in {self.folder}"):
            existing = self.entries()
            entry = new_entry(existing[-1] if existing else None, **fields)
            line = json.dumps(entry.as_dict(), sort_keys=True, ensure_ascii=False) + "\n"
            with open(self.path, "a", encoding="utf-8") as handle:
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())
            staged = self.head_path.with_suffix(".head.tmp")
            staged.write_text(json.dumps({"entries": entry.seq, "hash": entry.hash}), encoding="utf-8")
            os.replace(staged, self.head_path)
        return entry

    def step_lock(self) -> contextlib.AbstractContextManager[None]:
        return exclusive_lock(self.folder / "step.lock", f"take the curation step lock in {self.folder}")
