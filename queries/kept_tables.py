"""What matching reads of a build, worked out for the whole build once and kept beside it (the match tables).

A patient's first answer in a process used to fill the :class:`~queries.graph_view.GraphView` memos one store
call at a time: each gene's variants and classes, each variant's classes and profiles, each evidence item, its
diseases and therapies, each therapy's drugs, each disease's broader terms and mappings (MOAlmanac's example
patient: ~2,000 node reads and ~6,000 id lookups, 82 ms on an open embedded store; on Neo4j one round trip each).
What those calls return depends on the build alone, so ``pmkg build`` reads it once for the whole build with a few
bulk calls (:func:`tables_state`: every node of the labels matching reads, every edge of the relationships it
follows) and keeps it beside the build (:mod:`queries.kept_names`, ``….match-tables.marshal``).  A new process's
view reads that file on its first question and answers its memos from it (:class:`KeptTables`); the file holds
nodes and ids, in the order the store gives them (ids sorted), and how matching reads each evidence item
(:mod:`queries.evidence_readings`, worked out from the same node and links), so the answers are the same either way.
Evidence is kept as ids, each with its reading in the entry of the node it is about (one read gives a variant's
evidence and how matching reads each item: ~700 reads fewer for MOAlmanac's example patient than a section of
readings of their own): an answer decodes an evidence node only for a hit it makes (~200 of the ~750 items that
patient reaches), from its reading alone it knows which.

Each table is a section of :mod:`queries.hashed_sections`: mapped, not read, and each entry (one gene's members
with their nodes, one evidence item's diseases …) read and checked against its own CRC-32 when first asked for, so
a process pays for what its questions touch, not for the file (~40 MB for the starter with MOAlmanac, mostly
nodes).  A file of another build, layout or code, cut short or half-written is never read, and an entry or section
whose bytes are not those written is answered by the store (:class:`KeptTables` says None).  The tables hold graph
content only, never what a user typed, and this module never logs an id a patient gave.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from kg.merge import lookup_keys
from kg.records import Node, Provenance
from kg.schema import CURATED_MAPS_TO, Label, RelType
from kg.stores.port import Store
from queries.evidence_readings import EvidenceReading, NotKept, read_evidence
from queries.hashed_sections import DamagedSection, Section

# The labels whose nodes matching reads whole (a gene's members, evidence, therapies and their drugs, profiles).
NODE_LABELS = (Label.GENE, Label.VARIANT, Label.VARIANT_CLASS, Label.MOLECULAR_PROFILE, Label.EVIDENCE,
               Label.THERAPY, Label.DRUG, Label.ALLELE, Label.PHENOTYPE)  # fmt: skip
# Labels whose lookup keys (id, name, synonyms, lower-cased) the tables keep: typed variants are found there.
KEYED_LABELS = (Label.GENE, Label.VARIANT, Label.VARIANT_CLASS, Label.MOLECULAR_PROFILE)
# Each relationship section: what it answers for a node id (ids sorted, as Store.neighbour_ids gives them; the
# NODE_SECTIONS keep the nodes themselves, sorted by id, as Store.neighbours gives them).
RELATION_SECTIONS = (
    "members",  # a gene → its variants, classes and alleles (IN_GENE, incoming)
    "parents",  # a variant or class → the classes it is a member of (MEMBER_OF, outgoing)
    "class_members",  # a class → its members (MEMBER_OF, incoming)
    "profiles",  # a variant or class → the molecular profiles it is a component of (HAS_COMPONENT, incoming)
    "evidence",  # a node → the evidence about it (ABOUT, incoming, Evidence only): (id, reading) pairs, sorted
    "diseases",  # an evidence item → its diseases (IN_DISEASE, or the disease its source names: GraphView)
    "therapies",  # an evidence item → its therapies (WITH_THERAPY, outgoing)
    "drugs",  # a therapy → its drugs (HAS_COMPONENT, outgoing, Drug only)
    "broader",  # a term → its broader terms (SUBCLASS_OF, outgoing)
    "narrower",  # a term → its narrower terms (SUBCLASS_OF, incoming)
    "maps_to",  # a term → the terms it maps to (MAPS_TO, a local curator's mapping in its place)
    "mapped_from",  # a term → the terms mapping to it (as maps_to reads them)
)
NODE_SECTIONS = frozenset({"members", "class_members", "profiles", "drugs"})
# The relationship sections that may hold a gene's own entries: a gene not keyed in any of them is "bare".
_GENE_SECTIONS = ("members", "parents", "class_members", "profiles", "evidence")
# "held": one entry, HELD, of every gene keyed in a _GENE_SECTIONS section, sorted (a gene it lacks is bare:
# KeptTables.bare), read whole by a view's first gene lookup: a few hundred ids, one read instead of one per gene
SECTIONS = (*RELATION_SECTIONS, *(f"keys:{label}" for label in KEYED_LABELS), "held", "nodes")
_NO_IDS: tuple[str, ...] = ()
_NO_NODES: tuple[Node, ...] = ()
HELD = "genes"  # the key of the held section's one entry
logger = logging.getLogger(__name__)


def encode_node(node: Node) -> tuple[Any, ...]:
    """One node as the tables keep it (what marshal can write)."""
    provenance = tuple((p.source, p.version, p.license, p.record_id, p.line) for p in node.provenance)
    return (node.id, str(node.label), node.name, tuple(node.synonyms), dict(node.props), provenance)


def decode_node(kept: Any) -> Node:
    """A kept node, made as its dataclass would make it, without the frozen ``__init__``'s per-field
    ``object.__setattr__`` calls (a first answer decodes ~2,000 nodes: see :func:`_provenance`)."""
    node_id, label, name, synonyms, props, provenance = kept
    made = _new(Node)
    _NODE_ID(made, node_id)
    _NODE_LABEL(made, _LABELS[label])
    _NODE_NAME(made, name)
    _NODE_SYNONYMS(made, tuple(synonyms))
    _NODE_PROPS(made, props)
    _NODE_PROVENANCE(made, tuple(map(_provenance, provenance)))
    return made


_LABELS = {str(label): label for label in Label}


def _provenance(kept: tuple[str, str, str, str, int | None]) -> Provenance:
    """A kept provenance, made as its dataclass would make it, without the frozen ``__init__``'s per-field
    ``object.__setattr__`` calls (a node read from the tables has up to a dozen: a tenth of a first answer's reads)."""
    source, version, license_, record_id, line = kept
    made = _new(Provenance)
    _SOURCE(made, source)
    _VERSION(made, version)
    _LICENSE(made, license_)
    _RECORD_ID(made, record_id)
    _LINE(made, line)
    return made


_new = object.__new__
# The slots' own setters: what the frozen dataclass's __init__ reaches through object.__setattr__.
_SOURCE, _VERSION, _LICENSE, _RECORD_ID, _LINE = (
    getattr(Provenance, name).__set__ for name in ("source", "version", "license", "record_id", "line")
)
_NODE_ID, _NODE_LABEL, _NODE_NAME, _NODE_SYNONYMS, _NODE_PROPS, _NODE_PROVENANCE = (
    getattr(Node, name).__set__ for name in ("id", "label", "name", "synonyms", "props", "provenance")
)


def tables_state(
    store: Store, disease_nodes: Iterable[Node], disease_named: Callable[[str], tuple[str, ...]]
) -> dict[str, dict[str, Any]]:
    """The build's match tables (:data:`SECTIONS`: each a key → value table), from bulk reads of ``store``.

    ``disease_nodes`` are the build's diseases (read once by the caller for every kept file); ``disease_named``
    gives the disease a source names without an ontology id (:meth:`GraphView.disease_named`).
    """
    nodes: dict[str, Node] = {n.id: n for label in NODE_LABELS for n in store.nodes_with_label(label)}
    diseases = {n.id: n for n in disease_nodes}
    relations: dict[str, dict[str, set[str]]] = {name: {} for name in RELATION_SECTIONS}

    def add(section: str, key: str, value: str) -> None:
        relations[section].setdefault(key, set()).add(value)

    def label_of(node_id: str, keep: bool = False) -> Label | None:
        """The label of a node read above (every Evidence, profile and drug is); ``keep``: read any other node
        (one store call each: a member of another label, kept whole as the view reads members whole)."""
        node = nodes.get(node_id) or diseases.get(node_id)
        if node is None and keep and (node := store.get_node(node_id)) is not None:
            nodes[node_id] = node
        return node.label if node is not None else None

    for edge in store.edges(RelType.IN_GENE):
        label_of(edge.start, keep=True)
        add("members", edge.end, edge.start)
    for edge in store.edges(RelType.MEMBER_OF):
        label_of(edge.start, keep=True)
        add("parents", edge.start, edge.end)
        add("class_members", edge.end, edge.start)
    for edge in store.edges(RelType.HAS_COMPONENT):
        if label_of(edge.start) == Label.MOLECULAR_PROFILE:
            add("profiles", edge.end, edge.start)
        if label_of(edge.end) == Label.DRUG:
            add("drugs", edge.start, edge.end)
    for edge in store.edges(RelType.ABOUT):
        if label_of(edge.start) == Label.EVIDENCE:
            add("evidence", edge.end, edge.start)
    for edge in store.edges(RelType.IN_DISEASE):
        add("diseases", edge.start, edge.end)
    for edge in store.edges(RelType.WITH_THERAPY):
        add("therapies", edge.start, edge.end)
    for edge in store.edges(RelType.SUBCLASS_OF):
        add("broader", edge.start, edge.end)
        add("narrower", edge.end, edge.start)
    source_maps: dict[str, set[str]] = {}
    for edge in store.edges(RelType.MAPS_TO):
        source_maps.setdefault(edge.start, set()).add(edge.end)
    maps_to: dict[str, tuple[str, ...]] = {}  # in the curator's order where a curator wrote them (messages name them)
    for node_id in [*source_maps, *(d for d, n in diseases.items() if n.props.get(CURATED_MAPS_TO))]:
        maps_to[node_id] = curated_or(diseases.get(node_id) or store.get_node(node_id), source_maps.get(node_id, ()))
    for node_id, targets in source_maps.items():  # mapped_from keeps the sources' edges a curator did not replace
        for target in targets:
            if target in maps_to[node_id]:
                add("mapped_from", target, node_id)
    for evidence_id, node in nodes.items():
        if node.label == Label.EVIDENCE and evidence_id not in relations["diseases"]:
            relations["diseases"].update({evidence_id: set(named)} if (named := disease_named(evidence_id)) else {})

    tables: dict[str, dict[str, Any]] = {}
    for name, table in relations.items():
        inline = name in NODE_SECTIONS  # the nodes themselves, not their ids: one read for a gene's every member
        tables[name] = {k: tuple(encode_node(nodes[i]) if inline else i for i in sorted(v)) for k, v in table.items()}
    tables["maps_to"] = maps_to
    readings = {  # how matching reads each evidence item, kept beside its id in the evidence section
        node_id: _reading_kept(node, relations["therapies"].get(node_id, ()), relations["diseases"].get(node_id, ()))
        for node_id, node in nodes.items()
        if node.label == Label.EVIDENCE
    }
    tables["evidence"] = {k: tuple((i, readings[i]) for i in ids) for k, ids in tables["evidence"].items()}
    genes = {node_id for node_id, node in nodes.items() if node.label == Label.GENE}
    held = {node_id for name in _GENE_SECTIONS for node_id in relations[name] if node_id in genes}
    tables["held"] = {HELD: tuple(sorted(held))}
    for label in KEYED_LABELS:
        keys: dict[str, list[str]] = {}
        for node in sorted((n for n in nodes.values() if n.label == label), key=lambda n: n.id):
            for key in lookup_keys(node.id, node.name, node.synonyms):
                keys.setdefault(key, []).append(node.id)
        tables[f"keys:{label}"] = {k: tuple(v) for k, v in keys.items()}
    tables["nodes"] = {node_id: encode_node(node) for node_id, node in (diseases | nodes).items()}
    return tables


def _reading_kept(evidence: Node, therapies: Iterable[str], diseases: Iterable[str]) -> tuple[Any, ...]:
    """How matching reads ``evidence`` (its links as the view gives them: ids sorted), as the tables keep it."""
    reading = read_evidence(evidence, lambda: (tuple(sorted(therapies)), tuple(sorted(diseases))))
    return () if reading is None else reading.kept()


def curated_or(node: Node | None, source_targets: Iterable[str]) -> tuple[str, ...]:
    """The terms a term maps to: a local curator's mapping on the node replaces the sources' edges
    (loaders.local_curation)."""
    curated = node.props.get(CURATED_MAPS_TO) if node is not None else None
    if isinstance(curated, list) and curated:
        return tuple(str(c) for c in curated)
    return tuple(sorted(source_targets))


class KeptTables:
    """The match tables of one build, read in place from its kept file (:mod:`queries.hashed_sections`): each
    section opened on first use, each entry read when first asked for.  Every answer is None when the tables cannot
    give it (an entry damaged since the file was checked): the caller asks the store then."""

    def __init__(self, data: memoryview, layout: Mapping[str, Any]) -> None:
        missing = [name for name in SECTIONS if name not in layout]
        if missing:
            raise ValueError(f"lacks section(s) {', '.join(missing)}")
        self._data = data
        self._layout = layout
        self._sections: dict[str, Section | None] = {}
        self._nodes: dict[str, Node] = {}
        self._ids: dict[tuple[str, str], tuple[str, ...]] = {}  # each relationship entry read: closures walk them again
        self._held: frozenset[str] | None = None  # the held section's one entry, read on the first bare()
        self._readings: dict[str, Any] = {}  # evidence id → its kept reading, from each evidence entry read
        self._lock = threading.Lock()

    def _get(self, section: str, key: str) -> Any:
        """The entry of ``key`` in ``section``; DamagedSection when it cannot be read."""
        found = self._sections.get(section)
        if found is None:
            with self._lock:
                if section not in self._sections:
                    self._sections[section] = None  # a section that cannot be opened stays unopened
                    at, count, crc = self._layout[section]
                    self._sections[section] = Section(self._data, at, count, crc)
                found = self._sections[section]
            if found is None:
                raise DamagedSection(f"the {section} section cannot be read")
        return found.get(key)

    def ids(self, section: str, node_id: str) -> tuple[str, ...] | None:
        """What ``section`` (one of :data:`RELATION_SECTIONS` but evidence: :meth:`evidence`) holds for ``node_id``:
        ids, sorted (none: ``()``)."""
        found = self._ids.get((section, node_id))
        if found is None:
            try:
                kept = self._get(section, node_id)
            except (DamagedSection, TypeError, ValueError) as exc:
                _unreadable(exc)
                return None
            found = self._ids[section, node_id] = _NO_IDS if kept is None else kept
        return found

    def node(self, node_id: str) -> Node | None:
        """The node ``node_id`` if the tables keep it (None: ask the store)."""
        node = self._nodes.get(node_id)
        if node is None:
            try:
                kept = self._get("nodes", node_id)
                if kept is None:
                    return None
                node = self._nodes[node_id] = decode_node(kept)
            except (DamagedSection, TypeError, ValueError) as exc:
                _unreadable(exc)
                return None
        return node

    def nodes(self, section: str, node_id: str) -> tuple[Node, ...] | None:
        """The nodes ``section`` (one of :data:`NODE_SECTIONS`) holds for ``node_id``, sorted by id (none: ``()``)."""
        try:
            kept = self._get(section, node_id)
            if kept is None:
                return _NO_NODES
            cache = self._nodes
            return tuple(cache.get(k[0]) or cache.setdefault(k[0], decode_node(k)) for k in kept)
        except (DamagedSection, TypeError, ValueError, IndexError) as exc:
            _unreadable(exc)
            return None

    def evidence(self, node_id: str) -> tuple[str, ...] | None:
        """The ids of the evidence about ``node_id``, sorted (none: ``()``), each item's reading kept for
        :meth:`reading`; None when the entry cannot be read."""
        found = self._ids.get(("evidence", node_id))
        if found is None:
            try:
                kept = self._get("evidence", node_id) or ()
                ids = tuple(evidence_id for evidence_id, _ in kept)
                self._readings.update(kept)
            except (DamagedSection, TypeError, ValueError) as exc:
                _unreadable(exc)
                return None
            found = self._ids["evidence", node_id] = ids or _NO_IDS
        return found

    def reading(self, evidence_id: str) -> EvidenceReading | None:
        """How matching reads the evidence item ``evidence_id`` (None: it reads nothing of it), as the entry of a
        node it is about (:meth:`evidence`) keeps it; NotKept when the tables cannot say (no such entry read, or a
        reading that cannot be read)."""
        kept = self._readings.get(evidence_id)
        if kept is None:
            raise NotKept(evidence_id)
        try:
            return EvidenceReading.from_kept(kept) if kept else None
        except (TypeError, ValueError) as exc:
            _unreadable(exc)
            raise NotKept(evidence_id) from None

    def bare(self, gene_id: str) -> bool:
        """Whether the build stores nothing about the gene ``gene_id``: no member, evidence, profile or class edge
        (most genes a cohort names).  False when the tables cannot say (an entry they cannot read)."""
        held = self._held
        if held is None:
            try:
                kept = self._get("held", HELD)
                if kept is None:
                    raise DamagedSection("the held section has no entry of held genes")
                held = self._held = frozenset(kept)
            except (DamagedSection, TypeError, ValueError) as exc:
                _unreadable(exc)
                return False
        return gene_id not in held

    def keyed(self, label: Label, key: str) -> tuple[str, ...] | None:
        """The ids of ``label``'s nodes ``key`` (a lookup key: lower-cased) names, sorted (none: ``()``); None when
        the tables do not keep ``label``'s keys."""
        if label not in KEYED_LABELS:
            return None
        return self.ids(f"keys:{label}", key)

    def closure(self, starts: Iterable[str], section: str) -> frozenset[str] | None:
        """Ids reachable from ``starts`` in one step or more through ``section`` (``broader``: ancestors,
        ``narrower``: descendants), as :meth:`Store.ancestors` gives them; None if an entry cannot be read."""
        seen: set[str] = set()
        frontier = list(set(starts))
        while frontier:
            following = []
            for node_id in frontier:
                reached_ids = self.ids(section, node_id)
                if reached_ids is None:
                    return None
                for reached in reached_ids:
                    if reached not in seen:
                        seen.add(reached)
                        following.append(reached)
            frontier = following
        return frozenset(seen)


def _unreadable(exc: Exception) -> None:
    logger.warning("the build's kept match tables cannot be read (%s): asking the store instead", exc)
