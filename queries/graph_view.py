"""A read-only view of one build of the graph, with the lookups matching repeats memoised.

Normalisation and matching ask the same small questions again and again (which classes
does BRAF have, which diseases and therapies does CIVIC.EID:95 name, what does ONCOTREE:MEL
map to).  A build never changes once committed, so :func:`view_for` keeps one
:class:`GraphView` per build (a few of the latest, whichever store object asks) and answers repeats
from memory; a new build gets a new view.  It must never hold on to store objects or views of
builds nobody asks about any more (a server or a loop of commands would grow without end).  Only
graph content is kept (nodes, edges, and the gene symbols that name genes): a lookup that finds
nothing is not remembered, and inputs, patients and results never are.  Every question goes through
the :class:`~kg.stores.port.Store` port, so both stores give the same answers.

Over a store that is not in this process (Neo4j), each lookup of typed text is a network round trip, and
lookups that find nothing (a cohort's genes the graph does not know, the positions of its novel variants)
were asked again for every row.  So such a view keeps the lookup keys of the small labels
(:data:`INDEXED_LABELS`) in memory, read once per build with :meth:`Store.nodes_with_label`, and answers
those lookups itself, exactly as :meth:`Store.find` would (:func:`kg.merge.lookup_keys`): graph content,
never the text asked.  Genes, the one large label, are not read whole: after the first gene lookup that misses,
the view reads which gene ids each gene lookup key names from a file kept beside the build
(:func:`queries.kept_names.kept_gene_keys`, written by ``pmkg build``) and reads a named gene itself only the first
time it is named (:attr:`GraphView.node`); a build without that file reads every gene once instead (~1.4 s for
~19,000 genes over Bolt) and keeps the file for the next process.  Diseases are found in the build's disease
names, which the view keeps anyway.

A build kept by ``pmkg build`` also has its match tables (:mod:`queries.kept_tables`): what every memo below reads
from the store, worked out for the whole build once.  A view reads them on its first question
(:meth:`GraphView.tables`) and fills its memos from them; a memo the tables cannot fill (no file, a file that cannot be
trusted, an entry damaged since) asks the store as before, with the same answer.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from kg.errors import NoBuild, SchemaError
from kg.merge import lookup_keys
from kg.records import Node
from kg.schema import CURATED_MAPS_TO, Label, RelType, prefix_of
from kg.stores.port import BuildManifest, Capability, Direction, Store
from kg.variant_classes import ClassRule, acts_by_loss
from kg.variants import AMINO_ACIDS, parse_protein_change
from queries.disease_index import DiseaseNames
from queries.evidence_readings import EvidenceReading, NotKept

if TYPE_CHECKING:
    from queries.kept_tables import KeptTables

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
_MEMO_SIZE = 50_000
# Labels whose lookup keys a view of an out-of-process store keeps in memory (see the module docstring): the
# variant labels (a few thousand nodes, read on first use) and genes (~20,000, read after the first miss).
INDEXED_LABELS = frozenset({Label.GENE, Label.VARIANT, Label.VARIANT_CLASS, Label.MOLECULAR_PROFILE})


class _Memo(Generic[K, V]):
    """A bounded memo of graph content: emptied when full (simple beats LRU here).

    Memos keyed by what a user typed (``positive_only``) keep only answers that name something
    in the graph: a lookup that found nothing, such as a patient's novel variant, is never
    remembered.  Memos keyed by ids of nodes in the graph keep every answer.

    A memo holds its view weakly (``compute`` is the view's method, called with the view): a view and its memos
    then make no reference cycle, so a view nobody asks about any more is freed at once with everything it read
    (a first answer's ~20,000 objects), not left for the cyclic collector to walk again inside a later answer.
    """

    def __init__(
        self,
        compute: Callable[[GraphView, K], V],
        view: GraphView,
        size: int = _MEMO_SIZE,
        *,
        positive_only: bool = False,
    ) -> None:
        self._compute = compute
        self._view = weakref.ref(view)
        self._size = size
        self._positive_only = positive_only
        self._values: dict[K, V] = {}

    def remember(self, key: K, value: V) -> None:
        """Keep ``value`` as the answer for ``key``, read along with another answer (one store call for many)."""
        if len(self._values) >= self._size:
            self._values.clear()
        self._values[key] = value

    def __call__(self, key: K) -> V:
        try:
            return self._values[key]
        except KeyError:
            value = self._compute(_alive(self._view), key)
            if value or not self._positive_only:
                if len(self._values) >= self._size:
                    self._values.clear()
                self._values[key] = value
            return value


def _alive(view: weakref.ref[GraphView]) -> GraphView:
    """The view a memo belongs to (reached only through it, so alive while it is used)."""
    found = view()
    if found is None:
        raise ReferenceError("a graph view's memo was used after its view was dropped")
    return found


def _store_now(view: GraphView) -> Callable[[], Store]:
    """The store that reads ``view``'s build when its disease names are first read (maybe long after they were made):
    the view's own (the store object that asked last), or, the view dropped, the one the names were made through if
    it is still open somewhere.  Held weakly, as the view's memos hold it (:class:`_Memo`): no reference cycle, and the
    names keep no store object alive."""
    viewed, opened = weakref.ref(view), weakref.ref(view.store)

    def store_now() -> Store:
        found = viewed()
        store = found.store if found is not None else opened()
        if store is None:
            raise ReferenceError("disease names read after their view and store were dropped")
        return store

    return store_now


@dataclass(frozen=True)
class ClassEntry:
    """A stored VariantClass and the rule its properties describe."""

    node: Node
    rule: ClassRule


@dataclass(frozen=True)
class TherapyInfo:
    node: Node
    drugs: tuple[Node, ...]

    @functools.cached_property
    def drug_ids(self) -> frozenset[str]:
        """Its drugs' identities, as ranking compares them (kept with the therapy: the same for every patient)."""
        return frozenset(d.id for d in self.drugs)


@dataclass(frozen=True)
class EvidenceLinks:
    """What one Evidence names besides its subject: diseases and therapies."""

    diseases: tuple[str, ...]
    therapies: tuple[str, ...]


@dataclass(frozen=True)
class KnownResidues:
    """A gene's residues as the graph names them: position → residue → names of the variants and
    classes that say so (sources numbering on other isoforms may give one position two residues)."""

    by_position: dict[int, dict[str, tuple[str, ...]]]
    last_position: int  # the furthest position any of them names (0 if none)


# What every per-gene memo answers for a gene the build stores nothing about (GraphView._remember_bare): one shared
# object each, not hundreds per first answer (each a container the collector walks).  Read only, as every memo's
# answers are.
_NO_INDEX: dict[str, Node] = {}
_NO_RESIDUES = KnownResidues({}, 0)
_NO_LOSS = acts_by_loss(())


class GraphView:
    """Memoised domain lookups over one build of a store."""

    def __init__(self, store: Store, manifest: BuildManifest) -> None:
        self.store = store
        self.manifest = manifest
        self._evidence: dict[str, tuple[str, ...]] = {}  # keyed by ids of nodes in the graph only
        self.node: _Memo[str, Node | None] = _Memo(GraphView._node, self, positive_only=True)
        self.genes: _Memo[str, list[Node]] = _Memo(GraphView._genes, self, positive_only=True)
        self.parents = _Memo(GraphView._parents, self)
        self.classes_of_gene = _Memo(GraphView._classes_of_gene, self)
        self.acts_by_loss: _Memo[str, bool] = _Memo(GraphView._acts_by_loss, self)
        self.members_of_gene = _Memo(GraphView._members_of_gene, self)
        self.class_members = _Memo(GraphView._class_members, self)
        self.gene_index = _Memo(GraphView._gene_index, self)
        self.reference_residues = _Memo(GraphView._reference_residues, self)
        self.profiles_with = _Memo(GraphView._profiles_with, self)
        self.evidence_links = _Memo(GraphView._evidence_links, self)
        self.therapy = _Memo(GraphView._therapy, self)
        self.maps_to: _Memo[str, tuple[str, ...]] = _Memo(GraphView._maps_to, self)
        self.mapped_from: _Memo[str, tuple[str, ...]] = _Memo(GraphView._mapped_from, self)
        self.broader: _Memo[str, tuple[str, ...]] = _Memo(GraphView._broader, self)
        self.disease_ancestors: _Memo[frozenset[str], frozenset[str]] = _Memo(GraphView._ancestors, self, size=1_000)
        self.disease_descendants: _Memo[frozenset[str], frozenset[str]] = _Memo(
            GraphView._descendants, self, size=1_000
        )
        self._disease_names: DiseaseNames | None = None
        self._disease_memos: dict[frozenset[str], dict[Hashable, Any]] = {}
        self._derived: dict[str, dict[str, Any]] = {}
        self._lookups: dict[Label, dict[str, tuple[Node, ...]]] = {}  # label → lookup key → nodes, sorted by id
        self._lookups_lock = threading.Lock()
        self._gene_ids: Mapping[str, tuple[str, ...]] | None = None  # gene lookup key → gene ids (kept file)
        self._tables: KeptTables | None = None
        self._tables_read = False

    def tables(self) -> KeptTables | None:
        """The build's match tables (:mod:`queries.kept_tables`), read on first use; None: ask the store."""
        if not self._tables_read:
            from queries.kept_names import kept_tables

            with self._lookups_lock:
                if not self._tables_read:
                    self._tables = kept_tables(self.store, self.manifest)
                    self._tables_read = True
        return self._tables

    @property
    def build_id(self) -> str:
        return self.manifest.build_id

    # ------------------------------------------------------------------ lookups

    def disease_names(self) -> DiseaseNames:
        """Every disease name of this build by normalised key and word (built on first use)."""
        if self._disease_names is None:
            from queries.kept_names import disease_names  # kept beside the build after the first process

            self._disease_names = disease_names(self.store, self.manifest, _store_now(self))
        return self._disease_names

    def disease_memo(self, same: frozenset[str]) -> dict[Hashable, Any]:
        """Answers that follow from the graph and a patient's disease terms ``same`` alone (how near each evidence
        disease is: :class:`queries.diseases.DiseaseMatch`), kept for every question about those terms."""
        memo = self._disease_memos.get(same)
        if memo is None:
            if len(self._disease_memos) >= 1_000:
                self._disease_memos.clear()
            memo = self._disease_memos[same] = {}
        return memo

    def derived(self, kind: str) -> dict[Any, Any]:
        """A memo of ``kind`` (the caller's name for it) of what follows from graph content alone, keyed by a node's
        id (or a tuple of ids and fixed words), kept per build: how matching reads an evidence item, say, which is the
        same for every patient.  Never keyed by, nor holding, anything a user typed."""
        memo = self._derived.get(kind)
        if memo is None or len(memo) >= _MEMO_SIZE:
            memo = self._derived[kind] = {}
        return memo

    def find(self, text: str, label: Label | None = None) -> list[Node]:
        """Not memoised: the keys are what a user typed.  Diseases of an out-of-process store are found in the
        build's disease names (:meth:`DiseaseNames.found_by`, graph content), not by a round trip per question."""
        if label == Label.DISEASE and Capability.IN_PROCESS not in self.store.capabilities:
            found = (self.node(i) for i in self.disease_names().found_by(text))
            return [n for n in found if n is not None and n.label == Label.DISEASE]
        return self.store.find(text, label)

    def find_many(self, texts: Iterable[str], label: Label | None = None) -> dict[str, list[Node]]:
        """:meth:`find` of many texts in one store call (none for the :data:`INDEXED_LABELS` of an out-of-process
        store); not memoised either."""
        if label is not None and self._kept_keys((label,)):
            return self._find_kept(texts, (label,))
        return self.store.find_many(texts, label)

    def find_any(self, keys: Iterable[str], labels: Iterable[Label]) -> list[Node]:
        """Nodes of ``labels`` any of ``keys`` names (id, name or synonym: :meth:`Store.find` finds ids too), each
        once, sorted by id; one store call for all the keys (none when the view keeps the labels' keys)."""
        wanted = frozenset(labels)
        if (tables := self.tables()) is not None and (kept := self._find_in_tables(tables, keys, wanted)) is not None:
            return kept
        if self._kept_keys(wanted):
            named = self._find_kept(keys, tuple(sorted(wanted))).values()
        else:
            named = self.store.find_many(keys).values()
        found = {n.id: n for nodes in named for n in nodes if n.label in wanted}
        return [found[k] for k in sorted(found)]

    @staticmethod
    def _find_in_tables(tables: KeptTables, keys: Iterable[str], labels: Iterable[Label]) -> list[Node] | None:
        """:meth:`find_any` from the build's match tables, or None when they cannot say (a label they do not key)."""
        ids: set[str] = set()
        for key in keys:
            if text := key.strip().lower():
                for label in labels:
                    named = tables.keyed(label, text)
                    if named is None:
                        return None
                    ids.update(named)
        found = [tables.node(i) for i in sorted(ids)]
        return None if None in found else found  # type: ignore[return-value]

    def _kept_keys(self, labels: Iterable[Label]) -> bool:
        """Whether lookups of ``labels`` are answered from the view's own keys (not asking the store)."""
        if Capability.IN_PROCESS in self.store.capabilities:
            return False  # the store's own lookup is a hash probe in this process: nothing to save
        wanted = set(labels)
        if not wanted or not wanted <= INDEXED_LABELS:
            return False
        # Genes are read once a gene lookup has missed (_genes): a patient whose genes are all known never waits.
        return Label.GENE not in wanted or Label.GENE in self._lookups or self._gene_ids is not None

    def _keys_of(self, label: Label) -> dict[str, tuple[Node, ...]]:
        """Every lookup key of ``label``'s nodes → those nodes (sorted by id), read from the store once."""
        keys = self._lookups.get(label)
        if keys is None:
            with self._lookups_lock:
                keys = self._lookups.get(label)
                if keys is None:
                    found: dict[str, list[Node]] = {}
                    for node in self.store.nodes_with_label(label):  # sorted by id
                        for key in lookup_keys(node.id, node.name, node.synonyms):
                            found.setdefault(key, []).append(node)
                    keys = self._lookups[label] = {k: tuple(v) for k, v in found.items()}
        return keys

    def _find_kept(self, texts: Iterable[str], labels: Iterable[Label]) -> dict[str, list[Node]]:
        """:meth:`Store.find_many` over the kept keys of ``labels``: texts that find nothing left out."""
        wanted = set(labels)
        gene_ids = self._gene_ids if Label.GENE in wanted and Label.GENE not in self._lookups else None
        indexes = [self._keys_of(label) for label in wanted if label != Label.GENE or gene_ids is None]
        found: dict[str, list[Node]] = {}
        for text in texts:
            key = text.strip().lower()
            nodes = {n.id: n for index in indexes for n in index.get(key, ())} if key else {}
            if gene_ids is not None and key:
                named = (self.node(i) for i in gene_ids.get(key, ()))  # each gene read from the store once
                nodes.update((n.id, n) for n in named if n is not None)
            if nodes:
                found[text] = [nodes[i] for i in sorted(nodes)]
        return found

    def evidence_ids(self, node_ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """The ids of the evidence about each of ``node_ids`` (graph nodes), in the order :meth:`Store.evidence_for`
        gives them, memoised per node; ids without evidence left out.  Each evidence node is read by
        :attr:`node` when asked for (from the kept tables, a first answer decodes only the evidence it makes hits
        of); those the store gives here are remembered, not asked for again."""
        ids = list(dict.fromkeys(node_ids))
        missing = [i for i in ids if i not in self._evidence]
        if missing:
            tables = self.tables()
            kept = {i: tables.evidence(i) for i in missing} if tables is not None else {}
            asked = [i for i in missing if kept.get(i) is None]
            found = {i: tuple(n.id for n in nodes) for i, nodes in self._evidence_from_store(asked).items()}
            found.update((i, evidence) for i, evidence in kept.items() if evidence)
            if len(self._evidence) + len(missing) > _MEMO_SIZE:
                self._evidence.clear()
            for node_id in missing:
                self._evidence[node_id] = found.get(node_id, ())
        return {i: self._evidence[i] for i in ids if self._evidence.get(i)}

    def _evidence_from_store(self, node_ids: list[str]) -> dict[str, list[Node]]:
        """:meth:`Store.evidence_for` of ``node_ids``, its nodes remembered by :attr:`node` (one call for them all)."""
        if not node_ids:
            return {}
        found = self.store.evidence_for(node_ids)
        for nodes in found.values():
            for node in nodes:
                self.node.remember(node.id, node)
        return found

    def kept_reading(self, evidence_id: str) -> EvidenceReading | None:
        """How matching reads the evidence item ``evidence_id``, as the build's match tables keep it
        (:mod:`queries.evidence_readings`); NotKept when they cannot say (no tables, or an entry they cannot read)."""
        tables = self.tables()
        if tables is None:
            raise NotKept(evidence_id)
        return tables.reading(evidence_id)

    def _node(self, node_id: str) -> Node | None:
        if prefix_of(node_id) is None:  # every node id is a CURIE: typed text that is none costs no store call
            return None
        tables = self.tables()
        node = tables.node(node_id) if tables is not None else None
        return node if node is not None else self.store.get_node(node_id)

    def _genes(self, text: str) -> list[Node]:
        if (tables := self.tables()) is not None and (kept := self._find_in_tables(tables, (text,), (Label.GENE,))):
            for gene in kept:
                if tables.bare(gene.id):
                    self._remember_bare(gene.id)
            return kept
        if self._kept_keys((Label.GENE,)):
            return self._find_kept((text,), (Label.GENE,)).get(text, [])
        found = self.store.find(text, Label.GENE)
        if not found and Capability.IN_PROCESS not in self.store.capabilities:
            self._read_gene_keys()  # a miss: from now on gene lookups are answered here (module docstring)
        return found

    def _remember_bare(self, gene_id: str) -> None:
        """Answer every per-gene memo of a gene the build stores nothing about (:meth:`KeptTables.bare`) at once, as
        reading it would: on a new view, a cohort's hundreds of such genes each cost seven memo misses and their
        table reads, a tenth of a first answer, for answers that are all empty."""
        self.members_of_gene.remember(gene_id, ())
        self.gene_index.remember(gene_id, _NO_INDEX)
        self.reference_residues.remember(gene_id, _NO_RESIDUES)
        self.classes_of_gene.remember(gene_id, ())
        self.acts_by_loss.remember(gene_id, _NO_LOSS)
        self.profiles_with.remember(gene_id, ())
        self.parents.remember(gene_id, ())
        self.class_members.remember(gene_id, ())
        if len(self._evidence) >= _MEMO_SIZE:
            self._evidence.clear()
        self._evidence[gene_id] = ()

    def _read_gene_keys(self) -> None:
        """Which genes each gene lookup key of the build names: kept beside it, else read from every gene (then
        kept for the next process)."""
        from queries.kept_names import keep_gene_keys, kept_gene_keys

        with self._lookups_lock:
            if self._gene_ids is not None:
                return
            kept = kept_gene_keys(self.store, self.manifest)
        if kept is None:
            genes = self._keys_of(Label.GENE)  # every gene read: its lookups are answered from memory now
            keep_gene_keys(self.store, self.manifest, {key: [n.id for n in nodes] for key, nodes in genes.items()})
        else:
            self._gene_ids = kept

    def _maps_to(self, node_id: str) -> tuple[str, ...]:
        if (tables := self.tables()) is not None and (kept := tables.ids("maps_to", node_id)) is not None:
            return kept
        curated = self._curated_maps(node_id)
        if curated is not None:  # a local curator's mapping replaces the sources' (loaders.local_curation)
            return curated
        return tuple(self.store.neighbour_ids(node_id, RelType.MAPS_TO))

    def _mapped_from(self, node_id: str) -> tuple[str, ...]:
        if (tables := self.tables()) is not None and (kept := tables.ids("mapped_from", node_id)) is not None:
            return kept
        sources = self.store.neighbour_ids(node_id, RelType.MAPS_TO, Direction.IN)
        return tuple(s for s in sources if node_id in (self._curated_maps(s) or (node_id,)))

    def _curated_maps(self, node_id: str) -> tuple[str, ...] | None:
        node = self.node(node_id)
        curated = node.props.get(CURATED_MAPS_TO) if node is not None else None
        return tuple(str(c) for c in curated) if isinstance(curated, list) and curated else None

    def _broader(self, node_id: str) -> tuple[str, ...]:
        if (tables := self.tables()) is not None and (kept := tables.ids("broader", node_id)) is not None:
            return kept
        return tuple(self.store.neighbour_ids(node_id, RelType.SUBCLASS_OF))

    def _ancestors(self, ids: frozenset[str]) -> frozenset[str]:
        if (tables := self.tables()) is not None and (kept := tables.closure(ids, "broader")) is not None:
            return kept
        return frozenset(self.store.ancestors(ids, [RelType.SUBCLASS_OF]))

    def _descendants(self, ids: frozenset[str]) -> frozenset[str]:
        if (tables := self.tables()) is not None and (kept := tables.closure(ids, "narrower")) is not None:
            return kept
        return frozenset(self.store.descendants(ids, [RelType.SUBCLASS_OF]))

    def _parents(self, node_id: str) -> tuple[str, ...]:
        if (tables := self.tables()) is not None and (kept := tables.ids("parents", node_id)) is not None:
            return kept
        return tuple(self.store.neighbour_ids(node_id, RelType.MEMBER_OF))

    def _members_of_gene(self, gene_id: str) -> tuple[Node, ...]:
        if (tables := self.tables()) is not None and (kept := tables.nodes("members", gene_id)) is not None:
            return kept
        return tuple(self.store.neighbours(gene_id, RelType.IN_GENE, Direction.IN))

    def _class_members(self, class_id: str) -> tuple[Node, ...]:
        tables = self.tables()
        if tables is not None and (kept := tables.nodes("class_members", class_id)) is not None:
            return kept
        return tuple(self.store.neighbours(class_id, RelType.MEMBER_OF, Direction.IN))

    def _gene_index(self, gene_id: str) -> dict[str, Node]:
        """A gene's variants and classes by lower-cased id, name and synonym (what ``find`` would match)."""
        index: dict[str, Node] = {}
        for node in self.members_of_gene(gene_id):
            for key in (node.id, node.name, *node.synonyms):
                index.setdefault(key.lower(), node)
        return index

    def in_gene(self, gene_id: str, key: str) -> Node | None:
        """The variant or class of the gene that ``key`` names (id, name or synonym), without a store call."""
        return self.gene_index(gene_id).get(key.lower())

    def _reference_residues(self, gene_id: str) -> KnownResidues:
        """Residue at each protein position of the gene, as its stored variants and codon classes name it."""
        found: dict[int, dict[str, list[str]]] = {}
        for node in self.members_of_gene(gene_id):
            for position, residue in _residues_named(node):
                found.setdefault(position, {}).setdefault(residue, []).append(node.name)
        by_position = {p: {r: tuple(sorted(set(n))) for r, n in by.items()} for p, by in found.items()}
        return KnownResidues(by_position, max(by_position, default=0))

    def _classes_of_gene(self, gene_id: str) -> tuple[ClassEntry, ...]:
        entries = []
        for node in self.members_of_gene(gene_id):
            if node.label != Label.VARIANT_CLASS:
                continue
            try:
                entries.append(ClassEntry(node, ClassRule.from_props(node.props)))
            except SchemaError:
                continue  # a class whose node carries no rule is reached through stored edges only
        return tuple(entries)

    def _acts_by_loss(self, gene_id: str) -> bool:
        """Whether evidence is written against a loss-kind class of the gene (see kg.variant_classes)."""
        entries = self.classes_of_gene(gene_id)
        with_evidence = self.evidence_ids(e.node.id for e in entries)
        return acts_by_loss(e.rule for e in entries if e.node.id in with_evidence)

    def _profiles_with(self, node_id: str) -> tuple[Node, ...]:
        if (tables := self.tables()) is not None and (kept := tables.nodes("profiles", node_id)) is not None:
            return kept
        found = self.store.neighbours(node_id, RelType.HAS_COMPONENT, Direction.IN)
        return tuple(n for n in found if n.label == Label.MOLECULAR_PROFILE)

    def _evidence_links(self, evidence_id: str) -> EvidenceLinks:
        if (tables := self.tables()) is not None:
            diseases, therapies = tables.ids("diseases", evidence_id), tables.ids("therapies", evidence_id)
            if diseases is not None and therapies is not None:
                return EvidenceLinks(diseases, therapies)
        diseases = tuple(self.store.neighbour_ids(evidence_id, RelType.IN_DISEASE))
        if not diseases:
            diseases = self.disease_named(evidence_id)
        therapies = tuple(self.store.neighbour_ids(evidence_id, RelType.WITH_THERAPY))
        return EvidenceLinks(diseases, therapies)

    def disease_named(self, evidence_id: str) -> tuple[str, ...]:
        """The disease a source names without an ontology id (CIViC 2026's "Glioma" for vorasidenib), read as the
        build's disease of that name (DO first, then OncoTree); none when the build has no such name."""
        node = self.node(evidence_id)
        name = node.props.get("disease_name") if node is not None else None
        if not isinstance(name, str) or not name.strip():
            return ()
        return tuple(self.disease_names().lookup(name)[:1])

    def _therapy(self, therapy_id: str) -> TherapyInfo | None:
        tables = self.tables()
        node = tables.node(therapy_id) if tables is not None else None
        kept = tables.nodes("drugs", therapy_id) if tables is not None and node is not None else None
        if kept is not None:
            components: Iterable[Node] = kept
        else:
            node = self.store.get_node(therapy_id)
            components = self.store.neighbours(therapy_id, RelType.HAS_COMPONENT) if node is not None else ()
        if node is None:
            return None
        # The build gives each substance one Drug (kg.drug_identity), so a therapy's drugs are its components.
        drugs = {d.id: d for d in components if d.label == Label.DRUG}
        return TherapyInfo(node, tuple(sorted(drugs.values(), key=lambda d: d.name.lower())))


def _residues_named(node: Node) -> list[tuple[int, str]]:
    """The (position, reference residue) pairs a stored variant's protein change or a codon class states."""
    if node.label == Label.VARIANT:
        text = node.props.get("protein_change")
        if not isinstance(text, str):
            return []
        try:
            change = parse_protein_change(text)
        except SchemaError:
            return []
        pairs = [(change.start, change.ref)]
        if change.end_ref and change.end != change.start:
            pairs.append((change.end, change.end_ref))
        return [(p, r) for p, r in pairs if r in AMINO_ACIDS and r != "X"]
    if node.label == Label.VARIANT_CLASS and node.props.get("class_type") in ("codon", "allele_set"):
        positions, residues = node.props.get("positions"), node.props.get("reference_residues")
        if isinstance(positions, list) and isinstance(residues, list) and len(positions) == len(residues):
            stated = zip(positions, residues, strict=True)
            return [(p, str(r)) for p, r in stated if isinstance(p, int) and str(r) in AMINO_ACIDS]
    return []


_LOCK = threading.Lock()
# Views of the builds asked about most recently, keyed by the build (not by the store object: a command line
# run, a test or a server may open a new store object per question; see :func:`view_for`).
_KEEP_VIEWS = 2  # the current build and one other (the one before a promote, or one asked for by --build)
_VIEWS: OrderedDict[tuple[str, ...], GraphView] = OrderedDict()


def build_key(store: Store, manifest: BuildManifest) -> tuple[str, ...]:
    """What tells one build's content from another's: the kind of store and the build's id and times."""
    return (type(store).__qualname__, manifest.build_id, manifest.started_at, manifest.finished_at)


def view_for(store: Store, manifest: BuildManifest | None = None) -> GraphView:
    """The view of ``store``'s current build (a new one after each build); NoBuild if it has none.
    ``manifest`` is that build's, when the caller has just read it (saves a round trip on Neo4j).

    Views are kept per build, at most ``_KEEP_VIEWS`` of them, the least recently asked for dropped first;
    a store object asking again for a build already in view answers through that view (it becomes the
    store the view reads from), so opening a store per question neither starts cold nor keeps old
    stores alive.
    """
    if manifest is None:
        manifest = store.current_build()
    if manifest is None:
        raise NoBuild("the store holds no graph yet: run `pmkg build` first")
    key = build_key(store, manifest)
    with _LOCK:
        view = _VIEWS.get(key)
        if view is None:
            view = _VIEWS[key] = GraphView(store, manifest)
            while len(_VIEWS) > _KEEP_VIEWS:
                _VIEWS.popitem(last=False)
        else:
            view.store = store
            _VIEWS.move_to_end(key)
        return view


def forget_views() -> None:
    """Drop every view of this process: the next question starts cold (benchmarks, tests)."""
    with _LOCK:
        _VIEWS.clear()
