"""The curation audit log carried in graph exports, and read back from an export to verify it.

The log belongs to the store, not to a build, so an export carries the whole log as it stands:

- **RDF** (ttl, nt, nq, jsonld; the terms are declared in :mod:`kg.rdf.vocabulary`): one ``pmkg:AuditEntry`` per entry (``<https://w3id.org/pmkg/audit/entry/N>``)
  with readable properties (seq, action, curator, time, message, builds, hashes) and the entry itself as
  written (``pmkg:auditRecord``, JSON), from which its hash is recomputed; the log
  (``<https://w3id.org/pmkg/audit/>``, a ``pmkg:AuditLog``) records the head: how many entries were
  written and the last hash.  In N-Quads they sit in the named graph ``<https://w3id.org/pmkg/audit/>``.
- **GraphML, node-link JSON**: graph attributes ``pmkg_audit_log`` (the entries as JSON Lines) and
  ``pmkg_audit_head`` (JSON).
- **GEXF** has no graph attributes: a sidecar file ``<export>.audit.json`` beside it.

:func:`read_exported` finds the entries and head in any of these, for :func:`kg.curation.audit.verify`.
This module never writes the log itself and never imports a store adapter.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from kg.curation.audit import AuditEntry
from kg.errors import InputError
from kg.rdf.mapping import literal
from kg.rdf.vocabulary import RDF, XSD, audit_iri

AUDIT_GRAPH = "https://w3id.org/pmkg/audit/"
LOG_ATTRIBUTE, HEAD_ATTRIBUTE = "pmkg_audit_log", "pmkg_audit_head"
_TYPE = f"<{RDF}type>"
_RECORD, _ENTRIES, _HEAD = audit_iri("auditRecord"), audit_iri("auditEntries"), audit_iri("auditHead")
# Readable properties of an entry (the record carries every field; these are for SPARQL users).
_SHOWN = ("seq", "action", "state", "completes", "curator", "message", "tracker", "source", "before_build",
          "after_build", "previous_hash", "hash")  # fmt: skip
Head = tuple[int, str] | None


def _record(entry: AuditEntry) -> str:
    return json.dumps(entry.as_dict(), sort_keys=True, ensure_ascii=False)


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return "audit" + first.capitalize() + "".join(p.capitalize() for p in rest)


def audit_lines(entries: Sequence[AuditEntry], head: Head) -> Iterator[str]:
    """N-Triples lines of the log (see the module docstring); nothing when the log is empty."""
    if not entries and head is None:
        return
    log = f"<{AUDIT_GRAPH}>"
    yield f"{log} {_TYPE} <{audit_iri('AuditLog')}> .\n"
    count, last = head if head is not None else (len(entries), entries[-1].hash if entries else "")
    yield f"{log} <{_ENTRIES}> {literal(count)} .\n"
    yield f"{log} <{_HEAD}> {literal(last)} .\n"
    for entry in entries:
        subject = f"<{AUDIT_GRAPH}entry/{entry.seq}>"
        yield f"{subject} {_TYPE} <{audit_iri('AuditEntry')}> .\n"
        yield f"{subject} <{audit_iri('inAuditLog')}> {log} .\n"
        yield f'{subject} <{audit_iri("auditAt")}> "{entry.at}"^^<{XSD}dateTime> .\n'
        for name in _SHOWN:
            value = getattr(entry, name)
            if value not in ("", 0) or name == "seq":
                yield f"{subject} <{audit_iri(_camel(name))}> {literal(value)} .\n"
        yield f"{subject} <{_RECORD}> {literal(_record(entry))} .\n"


def graph_attributes(entries: Sequence[AuditEntry], head: Head) -> dict[str, str]:
    """The graph attributes GraphML and node-link JSON carry (empty when the log is)."""
    if not entries and head is None:
        return {}
    return {LOG_ATTRIBUTE: "".join(_record(e) + "\n" for e in entries), HEAD_ATTRIBUTE: _head_json(entries, head)}


def sidecar_path(export: Path) -> Path:
    return export.with_name(export.name + ".audit.json")


def write_sidecar(export: Path, entries: Sequence[AuditEntry], head: Head) -> Path:
    """Write ``<export>.audit.json`` (for formats without graph attributes); return its path."""
    path = sidecar_path(export)
    data = {"head": json.loads(_head_json(entries, head)), "entries": [e.as_dict() for e in entries]}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def _head_json(entries: Sequence[AuditEntry], head: Head) -> str:
    count, last = head if head is not None else (len(entries), entries[-1].hash if entries else "")
    return json.dumps({"entries": count, "hash": last})


def read_exported(path: Path) -> tuple[list[AuditEntry], Head]:
    """The audit entries and head an export carries (see the module docstring), for ``verify``.

    Raises :class:`InputError` naming the file when it cannot be read or carries no audit log.
    """
    suffix = path.suffix.lower()
    try:
        if suffix == ".gexf" or path.name.endswith(".audit.json"):
            side = path if path.name.endswith(".audit.json") else sidecar_path(path)
            data = json.loads(side.read_text(encoding="utf-8"))
            return _entries([json.dumps(e) for e in data["entries"]], path), _head(data["head"])
        if suffix == ".graphml":
            attrs = _graphml_attributes(path)
        elif suffix == ".json":
            attrs = json.loads(path.read_text(encoding="utf-8")).get("graph", {})
        else:
            return _from_rdf(path, suffix)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"{path}: cannot read its audit log ({exc})") from None
    if LOG_ATTRIBUTE not in attrs:
        raise InputError(f"{path}: carries no curation audit log (graph attribute {LOG_ATTRIBUTE})")
    return _entries(str(attrs[LOG_ATTRIBUTE]).splitlines(), path), _head(json.loads(attrs[HEAD_ATTRIBUTE]))


def _graphml_attributes(path: Path) -> dict[str, str]:
    """The graph-level data of a GraphML file, read without building the graph."""
    import xml.etree.ElementTree as ET

    ns = "{http://graphml.graphdrawing.org/xmlns}"
    keys: dict[str, str] = {}
    found: dict[str, str] = {}
    depth = 0
    for event, element in ET.iterparse(path, events=("start", "end")):
        if event == "start":
            depth += 1
            continue
        depth -= 1
        if element.tag == f"{ns}key" and element.get("for") == "graph":
            keys[element.get("id", "")] = element.get("attr.name", "")
        elif element.tag == f"{ns}data" and depth == 2 and element.get("key") in keys:  # graphml > graph > data
            found[keys[element.get("key", "")]] = element.text or ""
        if depth <= 2:
            element.clear()
    return found


def _from_rdf(path: Path, suffix: str) -> tuple[list[AuditEntry], Head]:
    from pyoxigraph import RdfFormat, parse

    formats = {".ttl": RdfFormat.TURTLE, ".nt": RdfFormat.N_TRIPLES, ".nq": RdfFormat.N_QUADS,
               ".jsonld": RdfFormat.JSON_LD}  # fmt: skip
    if suffix not in formats:
        raise InputError(f"{path}: not an export pmkg writes (.ttl .nt .nq .jsonld .graphml .json .gexf)")
    records: list[str] = []
    head: dict[str, Any] = {}
    with open(path, "rb") as handle:
        for quad in parse(handle, format=formats[suffix]):
            predicate = quad.predicate.value
            if predicate == _RECORD:
                records.append(quad.object.value)
            elif predicate == _ENTRIES and quad.subject.value == AUDIT_GRAPH:
                head["entries"] = int(quad.object.value)
            elif predicate == _HEAD and quad.subject.value == AUDIT_GRAPH:
                head["hash"] = quad.object.value
    if not head:
        raise InputError(f"{path}: carries no curation audit log (no <{AUDIT_GRAPH}> resource)")
    entries = sorted(_entries(records, path), key=lambda e: e.seq)  # RDF keeps no order
    return entries, _head(head)


def _entries(lines: Sequence[str], path: Path) -> list[AuditEntry]:
    found = []
    for number, line in enumerate((x for x in lines if x.strip()), 1):
        try:
            found.append(AuditEntry.from_dict(json.loads(line)))
        except (ValueError, TypeError, AttributeError) as exc:
            raise InputError(f"{path}: audit entry {number} is not an audit entry ({exc})") from None
    return found


def _head(data: Any) -> Head:
    return int(data["entries"]), str(data["hash"])
