"""The cookbook's questions answered a third way: through the store port, as the query layer does.

Each function takes a :class:`~kg.stores.port.Store` and returns the answer as a set of tuples
of text, in the column order of the question's ``.cypher`` and ``.rq`` files.  Written only with
port operations (``get_node``, ``neighbours``, ``nodes_with_label``, ``descendants``, ``edges``),
so that a difference from Cypher or SPARQL points at one of the three surfaces.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from kg.records import Node
from kg.schema import Label, RelType
from kg.stores.port import Direction, Store

Answer = set[tuple[str, ...]]
IN = Direction.IN
OUT = Direction.OUT


def _out(store: Store, node_id: str, rel: RelType) -> list[Node]:
    return store.neighbours(node_id, rel, OUT)


def _in(store: Store, node_id: str, rel: RelType) -> list[Node]:
    return store.neighbours(node_id, rel, IN)


def _subtree(store: Store, *roots: str) -> set[str]:
    return set(roots) | store.descendants(roots, (RelType.SUBCLASS_OF,))


def _drugs_named(store: Store, name: str) -> list[Node]:
    return [d for d in store.nodes_with_label(Label.DRUG) if d.name.lower() == name]


def _genes_of(store: Store, evidence_id: str) -> dict[str, Node]:
    """The genes of what an evidence item is about, by id."""
    return {g.id: g for x in _out(store, evidence_id, RelType.ABOUT) for g in _out(store, x.id, RelType.IN_GENE)}


def q01(store: Store) -> Answer:
    diseases = _subtree(store, "DOID:1909", "DOID:8923")
    out: Answer = set()
    for e in _in(store, "PMKG:variant/BRAF:V600E", RelType.ABOUT):
        if e.props.get("level") != "A" and e.props.get("amp_level") != "A":
            continue
        if {d.id for d in _out(store, e.id, RelType.IN_DISEASE)} & diseases:
            out |= {(t.id, t.name) for t in _out(store, e.id, RelType.WITH_THERAPY)}
    return out


def q02(store: Store) -> Answer:
    out: Answer = set()
    for drug in _drugs_named(store, "osimertinib"):
        for therapy in _in(store, drug.id, RelType.HAS_COMPONENT):
            for e in _in(store, therapy.id, RelType.WITH_THERAPY):
                if e.props.get("significance") == "resistance":
                    out |= {(str(g.props["symbol"]),) for g in _genes_of(store, e.id).values()}
    return out


def q03(store: Store) -> Answer:
    out: Answer = set()
    for disease_id in _subtree(store, "DOID:3908"):
        for e in _in(store, disease_id, RelType.IN_DISEASE):
            if e.props.get("tier") == 1 and _out(store, e.id, RelType.WITH_THERAPY):
                node = store.get_node(disease_id)
                assert node is not None
                out.add((node.id, node.name))
    return out


def q04(store: Store) -> Answer:
    out: Answer = set()
    for variant in store.nodes_with_label(Label.VARIANT):
        diseases = {d.id for e in _in(store, variant.id, RelType.ABOUT) for d in _out(store, e.id, RelType.IN_DISEASE)}
        if len(diseases) > 3:
            out.add((variant.id, str(len(diseases))))
    return out


def q05(store: Store) -> Answer:
    out: Answer = set()
    for phenotype in store.nodes_with_label(Label.PHENOTYPE):
        if phenotype.props.get("gene") != "CYP2C19" or phenotype.props.get("phenotype") != "Poor Metabolizer":
            continue
        for r in _in(store, phenotype.id, RelType.ABOUT):
            single_gene = r.props.get("lookup_genes") == ["CYP2C19"]
            if r.label == Label.RECOMMENDATION and r.props.get("action") == "avoid" and single_gene:
                out |= {(d.name,) for d in _out(store, r.id, RelType.FOR_DRUG)}
    return out


def _about(store: Store, significance: str) -> dict[tuple[str, str, str], int]:
    found: dict[tuple[str, str, str], int] = defaultdict(int)
    for e in store.nodes_with_label(Label.EVIDENCE):
        if e.props.get("significance") != significance or e.props.get("direction") != "supports":
            continue
        for v in _out(store, e.id, RelType.ABOUT):
            for d in _out(store, e.id, RelType.IN_DISEASE):
                for t in _out(store, e.id, RelType.WITH_THERAPY):
                    found[(v.id, d.id, t.id)] += 1
    return found


def q06(store: Store) -> Answer:
    return set(_about(store, "sensitivity")) & set(_about(store, "resistance"))


def q07(store: Store) -> Answer:
    out: Answer = set()
    for edge in store.edges(RelType.TARGETS):
        drug, gene = store.get_node(edge.start), store.get_node(edge.end)
        assert drug is not None
        assert gene is not None
        for therapy in _in(store, drug.id, RelType.HAS_COMPONENT):
            for e in _in(store, therapy.id, RelType.WITH_THERAPY):
                if e.props.get("tier") == 1 and gene.id in _genes_of(store, e.id):
                    out.add((drug.name, str(gene.props["symbol"])))
    return out


def q08(store: Store) -> Answer:
    return {(e.start, str(e.props["method"])) for e in store.edges(RelType.MAPS_TO) if e.end == "DOID:3910"}


def q09(store: Store) -> Answer:
    out: Answer = set()
    for disease_id in _subtree(store, "DOID:1909"):
        count = len({e.id for e in _in(store, disease_id, RelType.IN_DISEASE)})
        if count:
            out.add((disease_id, str(count)))
    return out


def q10(store: Store) -> Answer:
    return {
        (a.id, a.name)
        for a in store.nodes_with_label(Label.ALLELE)
        if a.props.get("gene") == "DPYD" and a.props.get("function") == "No function"
    }


def q11(store: Store) -> Answer:
    out: Answer = set()
    for drug in _drugs_named(store, "trametinib"):
        for therapy in _in(store, drug.id, RelType.HAS_COMPONENT):
            out |= {(therapy.name, o.name) for o in _out(store, therapy.id, RelType.HAS_COMPONENT) if o.id != drug.id}
    return out


def q12(store: Store) -> Answer:
    classes = store.ancestors(["PMKG:variant/BRAF:V600E"], (RelType.MEMBER_OF,))
    nodes = (store.get_node(c) for c in classes)
    return {(n.id, n.name) for n in nodes if n is not None}


def q13(store: Store) -> Answer:
    by_level: dict[str, set[str]] = defaultdict(set)
    for gene in (g for g in store.find("KRAS", Label.GENE) if g.props.get("symbol") == "KRAS"):
        for x in _in(store, gene.id, RelType.IN_GENE):
            for e in _in(store, x.id, RelType.ABOUT):
                if e.label == Label.EVIDENCE and e.props.get("level") is not None:
                    by_level[str(e.props["level"])].add(e.id)
    return {(level, str(len(ids))) for level, ids in by_level.items()}


def q14(store: Store) -> Answer:
    out: Answer = set()
    for r in store.nodes_with_label(Label.RECOMMENDATION):
        for drug in _out(store, r.id, RelType.FOR_DRUG):
            if any(_in(store, t.id, RelType.WITH_THERAPY) for t in _in(store, drug.id, RelType.HAS_COMPONENT)):
                out.add((drug.name,))
    return out


def q15(store: Store) -> Answer:
    profiles = {p.id for p in store.nodes_with_label(Label.MOLECULAR_PROFILE)}
    return {(e.start, e.end) for e in store.edges(RelType.HAS_COMPONENT) if e.start in profiles}


QUESTIONS: dict[str, Callable[[Store], Answer]] = {f"{n:02d}": fn for n, fn in enumerate(
    (q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15), start=1)}  # fmt: skip


def answer_set(rows: Iterable[Iterable[object]]) -> Answer:
    """Rows as a set of tuples of text (numbers as their decimal text), for comparing surfaces."""
    return {tuple(str(v) for v in row) for row in rows}
