"""The PGx part of the graph, read through the :class:`kg.stores.port.Store` port: genes, alleles, phenotypes.

What the PharmCAT/CPIC loader put in the graph (:mod:`loaders.pharmcat_alleles` explains the
representation): ``Allele`` and ``Phenotype`` nodes ``-[:IN_GENE]->`` their gene, each gene's
phenotypes listing the diplotypes that have them (one orientation each, so diplotypes are
compared as unordered pairs) and, for activity-score genes, each diplotype's score.
:class:`PgxGraph` reads one gene at a time, lazily, and :class:`GeneData` holds the indexes the
lookups need (allele aliases, the diplotype → phenotype table, HLA positive/negative phenotypes).
The gene's CIViC ``Variant`` nodes (germline evidence such as ``DPYD*2A``) come along too.

Read-only, and nothing here sees patient data: interpreting a patient's input is
:mod:`queries.pgx`'s job.

>>> split_diplotype("*1/*80+*28")
('*1', '*80+*28')
>>> diplotype_name(["*17", "*2"])
'*2/*17'
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.records import Node
from kg.schema import Label, RelType
from kg.stores.port import Direction, Store
from queries.genes import approved_symbol, genes_named

_PRESENCE = re.compile(r"^(?P<allele>\*\d+:\d+) (?P<state>positive|negative)$")
_PARENTHESISED = re.compile(r"^(?P<base>.*?)\s*\((?P<inner>[^()]+)\)$")


# ------------------------------------------------------------------------------ helpers


def prop_text(node: Node, key: str) -> str | None:
    value = node.props.get(key)
    return None if value is None or isinstance(value, list) else str(value)


def prop_texts(node: Node, key: str) -> list[str]:
    value = node.props.get(key)
    return [str(v) for v in value] if isinstance(value, list) else []


def name_key(text: str) -> str:
    """Case- and space-insensitive key for allele and phenotype names."""
    return re.sub(r"\s+", "", text).lower()


def lookup_keys(node: Node) -> list[str]:
    """The CPIC lookup values that select a phenotype node: its activity scores, else its name.

    (PharmCAT's tables key activity-score genes by score and the others by phenotype name.)
    """
    scores = list(dict.fromkeys(prop_texts(node, "diplotype_activity_scores"))) or prop_texts(node, "activity_scores")
    if scores:
        return scores
    phenotype = prop_text(node, "phenotype")
    return [phenotype] if phenotype else []


def natural_key(name: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key putting ``*2`` before ``*10`` (as PharmCAT names diplotypes)."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.lower()) for part in re.split(r"(\d+)", name))


def diplotype_name(alleles: Sequence[str]) -> str:
    return "/".join(sorted(alleles, key=natural_key))


def activity_score(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def split_diplotype(rest: str) -> tuple[str, ...]:
    """The allele texts of ``*1/*17`` (one allele if there is no ``/``)."""
    return tuple(part.strip() for part in rest.split("/"))


# ----------------------------------------------------------------------- the gene's data


@dataclass
class GeneData:
    """One gene's PGx nodes, read once from the store, with the indexes lookups need."""

    node: Node
    symbol: str  # as PharmCAT and CPIC spell it (the genes' ``gene`` property)
    alleles: dict[str, Node]
    phenotypes: list[Node]
    variants: list[Node] = field(default_factory=list)  # the gene's Variant nodes (CIViC's germline alleles …)

    @property
    def has_pgx(self) -> bool:
        return bool(self.alleles or self.phenotypes)

    @functools.cached_property
    def allele_names(self) -> list[str]:
        return sorted(self.alleles, key=natural_key)

    @functools.cached_property
    def scored(self) -> bool:
        """Whether CPIC looks this gene's phenotypes up by activity score."""
        return any(prop_texts(p, "diplotype_activity_scores") for p in self.phenotypes)

    @functools.cached_property
    def diplotype_index(self) -> dict[tuple[str, ...], tuple[Node, str | None, str]]:
        """Sorted allele names → (phenotype node, activity score, the diplotype as the table spells it)."""
        index: dict[tuple[str, ...], tuple[Node, str | None, str]] = {}
        for node in self.phenotypes:
            scores = prop_texts(node, "diplotype_activity_scores")
            for i, diplotype in enumerate(prop_texts(node, "diplotypes")):
                score = scores[i] if i < len(scores) else None
                index.setdefault(tuple(sorted(split_diplotype(diplotype))), (node, score, diplotype))
        return index

    @functools.cached_property
    def aliases(self) -> dict[str, str]:
        """Every way of writing an allele name (``*2A``, ``c.1905+1G>A`` …) → the name."""
        exact = {name_key(name): name for name in self.alleles}
        extra: dict[str, set[str]] = {}
        reference = next((n for n, a in self.alleles.items() if a.props.get("reference")), None)
        for name, node in self.alleles.items():
            match = _PARENTHESISED.match(name)
            if match:
                for alias in (match.group("base"), match.group("inner")):
                    if len(alias.strip()) > 1:
                        extra.setdefault(name_key(alias), set()).add(name)
            bases = prop_texts(node, "alt_alleles")
            if len(self.positions) == 1 and len(bases) == 1:  # one-position genes: the base itself (VKORC1 C/T)
                extra.setdefault(name_key(bases[0]), set()).add(name)
        if reference and "*1" not in self.alleles and any(k.startswith("*") for k in extra):
            extra.setdefault("*1", set()).add(reference)  # DPYD *1 = Reference
        named = exact | {k: next(iter(v)) for k, v in extra.items() if len(v) == 1 and k not in exact}
        starless: dict[str, set[str]] = {}  # reports drop the star: "CYP2C19 2/17", "DPYD 1/2A"
        for key, name in named.items():
            if key.startswith("*") and len(key) > 1:
                starless.setdefault(key[1:], set()).add(name)
        return named | {k: next(iter(v)) for k, v in starless.items() if len(v) == 1 and k not in named}

    @functools.cached_property
    def positions(self) -> set[int]:
        return {int(p) for node in self.alleles.values() for p in prop_texts(node, "positions_grch38")}

    @functools.cached_property
    def presence(self) -> dict[str, dict[str, Node]]:
        """HLA-style phenotypes: ``*57:01`` → {"positive": node, "negative": node}."""
        table: dict[str, dict[str, Node]] = {}
        for node in self.phenotypes:
            match = _PRESENCE.match(prop_text(node, "phenotype") or "")
            if match:
                table.setdefault(match.group("allele"), {})[match.group("state")] = node
        return table

    def resolve_allele(self, text: str) -> str | None:
        return self.aliases.get(name_key(text))

    def allele_suggestions(self, text: str) -> tuple[str, ...]:
        """Alleles that ``text`` is part of (``c.1236G>A`` of HapB3), then the names spelled most like it."""
        key = name_key(text)
        within = [name for name in self.allele_names if key in re.split(r"[,()]", name_key(name))]
        close = difflib.get_close_matches(key, list(self.aliases), n=5, cutoff=0.6)
        return tuple(dict.fromkeys([*within, *(self.aliases[c] for c in close)]))[:5]

    def phenotype_of(self, alleles: Sequence[str]) -> tuple[Node, str | None, str] | None:
        return self.diplotype_index.get(tuple(sorted(alleles)))

    def phenotype_names(self) -> list[str]:
        return sorted(prop_text(p, "phenotype") or p.name.removeprefix(f"{self.symbol} ") for p in self.phenotypes)


class PgxGraph:
    """The PGx part of a store, read lazily through the :class:`Store` port (one per query)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._genes: dict[str, GeneData] = {}

    def gene(self, node: Node) -> GeneData:
        data = self._genes.get(node.id)
        if data is None:
            linked = self.store.neighbours(node.id, RelType.IN_GENE, Direction.IN)
            alleles = {str(n.props.get("allele") or n.name): n for n in linked if n.label == Label.ALLELE}
            phenotypes = [n for n in linked if n.label == Label.PHENOTYPE]
            variants = [n for n in linked if n.label == Label.VARIANT]
            own = [str(n.props["gene"]) for n in [*alleles.values(), *phenotypes] if n.props.get("gene")]
            symbol = own[0] if own else approved_symbol(node)
            data = self._genes[node.id] = GeneData(node, symbol, alleles, phenotypes, variants)
        return data

    def resolve_gene(self, text: str) -> tuple[GeneData | None, str | None, tuple[str, ...]]:
        """``(gene, problem, suggestions)``: the gene ``text`` names (symbol, alias, previous symbol)."""
        matches = genes_named(self.store.find(text, Label.GENE), text)
        if not matches:
            return None, f"no gene is called {text!r}", ()
        if len(matches) > 1:
            with_pgx = [n for n in matches if self.gene(n).has_pgx]
            if len(with_pgx) != 1:
                names = tuple(sorted(n.name for n in matches))
                return None, f"{text!r} names several genes ({', '.join(names)}); use the approved symbol", names
            matches = with_pgx
        data = self.gene(matches[0])
        if not data.has_pgx:
            return None, f"{data.node.name} has no pharmacogenomic data in the graph (no alleles or phenotypes)", ()
        return data, None, ()

    def gene_by_symbol(self, symbol: str) -> GeneData | None:
        data, _, _ = self.resolve_gene(symbol)
        return data
