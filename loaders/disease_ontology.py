"""Human Disease Ontology (DO): every disease term, its cross-references and its is-a hierarchy.

Reads DO's own release reports and subsets (all CC0, from the DiseaseOntology GitHub repository):

* ``HumanDO.tsv`` — every current term (``id``, ``label``, ``subClassOf``), one row per
  asserted parent; parents are written by *label*, so the loader resolves them to ids
  (term labels are unique in DO).  It is the only file with the whole hierarchy.
* ``allXREFinDO.tsv`` — every term's cross-references (NCI, UMLS_CUI, MIM, MESH, ICD10CM …),
  stored as one list property per vocabulary (``ncit``, ``umls``, ``omim`` …, see
  :func:`loaders.obo.xref_props`).
* ``NCIthesaurus.obo`` and ``DO_cancer_slim.obo`` — DO's OBO subsets; they supply synonyms,
  definitions, alt ids and subset tags for the ~4,900 terms they hold (every cancer among
  them), and the root ``disease`` (DOID:4), which HumanDO.tsv names only as a parent.  Their
  ``is_a`` lines are *not* used: a subset's is_a skips terms outside the subset.

Yields one ``Disease`` node per term (``DOID:n``; EXACT synonyms, old DO ids and NCIt codes
(``NCIT:C3512``) as ``synonyms``, the other
scopes as ``related_synonyms``/``narrow_synonyms``/``broad_synonyms``) and ``SUBCLASS_OF``
child → parent.  Obsolete terms are not in HumanDO.tsv and are skipped in the subsets, so
the graph holds current terms only; merged ids stay findable through ``alt_ids``, and an obsolete
term of a subset is kept on the terms it points to: ``replaces`` on its ``replaced_by`` term,
``consider_for`` on each of its ``consider`` terms (:func:`loaders.obo.retired_term_props`), so a
query reads it as its replacement or lists the candidates.
Provenance lines are HumanDO.tsv lines (the first row of a term).

:class:`DiseaseOntologyIndex` answers "which DO terms carry NCI code C3512?" for loaders
that map other vocabularies onto DO (OncoTree, MONDO).  It must never guess: a parent label
that names no term is a bad row, not a fuzzy match.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections.abc import Iterable, Iterator, Mapping
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Self

from kg.disease_names import name_key, token_key
from kg.errors import SourceFileError
from kg.records import Edge, Node, PropValue, Record
from kg.schema import Label, RelType
from loaders.base import Loader, SourceSpec, hierarchy_cycles, read_table
from loaders.obo import (
    OboTerm,
    iter_terms,
    read_header,
    retired_term_props,
    term_node_fields,
    xref_property,
    xref_props,
)

DO_VERSION = "2026-07-31"
_RAW = "https://raw.githubusercontent.com/DiseaseOntology/HumanDiseaseOntology/main/"
STARTER_FILES = {
    "terms": "HumanDO.tsv.gz",
    "xrefs": "allXREFinDO.tsv.gz",
    "ncit_subset": "NCIthesaurus.obo.gz",
    "cancer_slim": "DO_cancer_slim.obo.gz",
}
TERMS_COLUMNS = ("id", "label", "subClassOf")
XREF_COLUMNS = ("id", "label", "xref")
_DOID = re.compile(r"^DOID:\d+$")


def _unquote(value: str) -> str:
    """DO's reports quote every field: ``"DOID:3910"`` → ``DOID:3910``."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def release_version(paths: Mapping[str, Path]) -> str | None:
    """The DO release date an OBO subset's header names: ``doid/releases/2025-12-23/subsets/…`` → ``2025-12-23``.

    >>> release_version({})
    """
    for name in ("cancer_slim", "ncit_subset"):
        path = paths.get(name)
        if path is None:
            continue
        data_version = read_header(path).data_version or ""
        found = re.search(r"(?:^|releases/)(\d{4}-\d{2}-\d{2})\b", data_version)
        if found:
            return found.group(1)
    return None


def _starter_dir() -> Traversable:
    return importlib.resources.files("loaders") / "starter" / "disease_ontology"


class DiseaseOntologyLoader(Loader):
    """Disease Ontology terms, cross-references and hierarchy."""

    spec = SourceSpec(
        name="disease_ontology",
        title="Human Disease Ontology",
        license="CC0-1.0",
        license_url="https://creativecommons.org/publicdomain/zero/1.0/",
        redistributable=True,
        homepage="https://disease-ontology.org",
        files={
            "terms": _RAW + "DOreports/HumanDO.tsv",
            "xrefs": _RAW + "DOreports/allXREFinDO.tsv",
            "ncit_subset": _RAW + "src/ontology/subsets/NCIthesaurus.obo",
            "cancer_slim": _RAW + "src/ontology/releases/subsets/DO_cancer_slim.obo",
        },
    )

    # Where the subsets' obsolete terms point, by current term (filled by ``parse``).
    _retired: Mapping[str, dict[str, list[str]]] = {}

    @classmethod
    def starter(cls, *, skip_bad_rows: bool = False) -> Self:
        """The loader over the DO release bundled with pmkg (the whole ontology, ~12,000 terms)."""
        folder = _starter_dir()
        paths = {name: Path(str(folder / file)) for name, file in STARTER_FILES.items()}
        return cls(paths, version=DO_VERSION, skip_bad_rows=skip_bad_rows)

    @classmethod
    def from_path(cls, path: Path, *, version: str | None = None, skip_bad_rows: bool = False) -> Loader:
        """A loader over a DO release folder, versioned by the release its OBO subsets name (their ``data-version``)."""
        loader = super().from_path(path, version=version, skip_bad_rows=skip_bad_rows)
        if not version:
            loader.version = release_version(loader.paths) or loader.version
        return loader

    def parse(self) -> Iterator[Record]:
        subset_terms, self._retired = self._subset_terms()
        xrefs = self._xrefs()
        terms_path = self.paths["terms"]
        label_to_id: dict[str, str] = {}
        names: dict[str, str] = {}
        parents: list[tuple[str, str, int]] = []
        for line, row in read_table(terms_path, TERMS_COLUMNS, on_bad=self.bad):
            term_id, label, parent = (_unquote(row[c]) for c in TERMS_COLUMNS)
            if not _DOID.match(term_id):
                self.bad(SourceFileError(str(terms_path), line, f"expected a DOID such as DOID:3910, got {term_id!r}",
                                         field="id"))  # fmt: skip
                continue
            if not label:
                self.bad(SourceFileError(str(terms_path), line, f"{term_id} has an empty label", field="label"))
                continue
            known = names.get(term_id)
            if known is None:
                other = label_to_id.setdefault(label, term_id)
                if other != term_id:
                    self.bad(SourceFileError(
                        str(terms_path), line, f"label {label!r} of {term_id} is already the label of {other}; "
                        "DO labels must be unique to resolve parents", field="label",
                    ))  # fmt: skip
                    continue
                names[term_id] = label
                yield self._node(term_id, label, subset_terms.get(term_id), xrefs.pop(term_id, ()), line)
            elif known != label:
                self.bad(SourceFileError(
                    str(terms_path), line, f"{term_id} is labelled {known!r} on an earlier row and {label!r} here",
                    field="label",
                ))  # fmt: skip
                continue
            if parent:
                parents.append((term_id, parent, line))
        yield from self._roots(parents, label_to_id, subset_terms, xrefs)
        edges: list[tuple[str, str]] = []
        lines: list[int] = []
        for child, parent, line in parents:
            parent_id = label_to_id.get(parent)
            if parent_id is None:
                self.bad(SourceFileError(
                    str(terms_path), line, f"parent {parent!r} of {child} is not the label of any DO term",
                    field="subClassOf",
                ))  # fmt: skip
                continue
            edges.append((child, parent_id))
            lines.append(line)
        dropped = set()
        for cycle in hierarchy_cycles(edges):
            terms = " → ".join([*(edges[i][0] for i in cycle), edges[cycle[0]][0]])
            closing = cycle[-1]
            rows = ", ".join(str(lines[i]) for i in cycle)
            self.bad(SourceFileError(
                str(terms_path), lines[closing], f"subclass cycle {terms} (rows {rows}): a term cannot be its own "
                "ancestor (with --skip-bad-rows the parent on this row, which closes the cycle, is left out)",
                field="subClassOf",
            ))  # fmt: skip
            dropped.add(closing)
        for index, (child, parent_id) in enumerate(edges):
            if index not in dropped:
                yield Edge(child, RelType.SUBCLASS_OF, parent_id, provenance=self.provenance(child, lines[index]))

    def _roots(
        self,
        parents: list[tuple[str, str, int]],
        label_to_id: dict[str, str],
        subset_terms: Mapping[str, OboTerm],
        xrefs: Mapping[str, tuple[str, ...]],
    ) -> Iterator[Node]:
        """Terms named only as parents (the root ``disease``), identified through the OBO subsets."""
        by_name = {term.name: term for term in subset_terms.values() if term.name}
        for _, parent, _ in parents:
            if parent in label_to_id or parent not in by_name:
                continue
            term = by_name[parent]
            label_to_id[parent] = term.id
            yield self._node(term.id, parent, term, xrefs.get(term.id, ()), None)

    def _node(self, term_id: str, name: str, term: OboTerm | None, xrefs: Iterable[str], line: int | None) -> Node:
        props: dict[str, PropValue] = {}
        synonyms: tuple[str, ...] = ()
        all_xrefs = list(xrefs)
        if term is not None:
            synonyms, props = term_node_fields(term, name)
            all_xrefs.extend(term.xrefs)
        props.update(xref_props(all_xrefs))
        props.update(self._retired.get(term_id, {}))
        # Old DO ids and NCIt codes find the term too (``find("NCIT:C3512")``, ``find("DOID:267")``).
        extra = [*(term.alt_ids if term is not None else ()), *(f"NCIT:{c}" for c in _as_list(props.get("ncit")))]
        synonyms = tuple(dict.fromkeys([*synonyms, *extra]))
        return Node(term_id, Label.DISEASE, name, synonyms, props, self.provenance(term_id, line))

    def _subset_terms(self) -> tuple[dict[str, OboTerm], dict[str, dict[str, list[str]]]]:
        """Current terms of the OBO subsets by id (the first subset that holds a term wins), and where their
        obsolete terms point (:func:`loaders.obo.retired_term_props`)."""
        terms: dict[str, OboTerm] = {}
        obsolete: dict[str, OboTerm] = {}
        for name in ("ncit_subset", "cancer_slim"):
            path = self.paths.get(name)
            if path is None:
                continue
            for term in iter_terms(path, on_bad=self.bad):
                if not term.id.startswith("DOID:"):
                    continue
                if term.is_obsolete:
                    obsolete.setdefault(term.id, term)
                else:
                    terms.setdefault(term.id, term)
        return terms, retired_term_props(obsolete.values())

    def _xrefs(self) -> dict[str, tuple[str, ...]]:
        grouped: dict[str, list[str]] = {}
        for _, row in read_table(self.paths["xrefs"], XREF_COLUMNS, on_bad=self.bad):
            xref = _unquote(row["xref"])
            if xref:
                grouped.setdefault(_unquote(row["id"]), []).append(xref)
        return {term_id: tuple(values) for term_id, values in grouped.items()}


class DiseaseOntologyIndex:
    """DO term names, exact synonyms and cross-references, to map other vocabularies onto DO ids.

    >>> index = DiseaseOntologyIndex.bundled()
    >>> index.name("DOID:3910"), index.by_xref("NCI", "C3512")
    ('lung adenocarcinoma', ('DOID:3910',))
    >>> index.by_name("Lung Adenocarcinoma"), index.by_name("adenocarcinoma of the lung", any_order=True)
    (('DOID:3910',), ('DOID:3910',))
    """

    def __init__(
        self,
        names: Mapping[str, str],
        xrefs: Iterable[tuple[str, str]],
        synonyms: Iterable[tuple[str, str]] = (),
        parents: Iterable[tuple[str, str]] = (),
    ) -> None:
        self._names = dict(names)
        self._parents: dict[str, list[str]] = {}
        for child, parent in parents:
            self._parents.setdefault(child, []).append(parent)
        self._by_xref: dict[tuple[str, str], list[str]] = {}
        for term_id, xref in xrefs:
            prefix, _, code = xref.partition(":")
            ids = self._by_xref.setdefault((xref_property(prefix), code.strip()), [])
            if term_id not in ids:
                ids.append(term_id)
        # Labels and exact synonyms by name key and by token key; a label outranks a synonym.
        self._by_key: dict[str, tuple[list[str], list[str]]] = {}
        self._by_tokens: dict[str, tuple[list[str], list[str]]] = {}
        entries = [(term_id, label, 0) for term_id, label in self._names.items()]
        entries += [(term_id, text, 1) for term_id, text in synonyms if term_id in self._names]
        for term_id, text, rank in entries:
            for table, key in ((self._by_key, name_key(text)), (self._by_tokens, token_key(text))):
                ids = table.setdefault(key, ([], []))[rank]
                if term_id not in ids:
                    ids.append(term_id)

    @classmethod
    def from_files(cls, terms: Path, xrefs: Path, subsets: Iterable[Path] = ()) -> Self:
        """An index over ``HumanDO.tsv``, ``allXREFinDO.tsv`` and the OBO ``subsets`` (EXACT synonyms, xrefs)."""
        names: dict[str, str] = {}
        pairs: list[tuple[str, str]] = []
        for _, row in read_table(xrefs, XREF_COLUMNS):
            term_id = _unquote(row["id"])
            names.setdefault(term_id, _unquote(row["label"]))
            pairs.append((term_id, _unquote(row["xref"])))
        parent_labels: list[tuple[str, str]] = []
        for _, row in read_table(terms, TERMS_COLUMNS):
            names[_unquote(row["id"])] = _unquote(row["label"])
            parent_labels.append((_unquote(row["id"]), _unquote(row["subClassOf"])))
        by_label = {label: term_id for term_id, label in names.items()}
        parents = [(child, by_label[label]) for child, label in parent_labels if label in by_label]
        synonyms: list[tuple[str, str]] = []
        for subset in subsets:
            for term in iter_terms(subset):
                if not term.is_obsolete and term.id.startswith("DOID:"):
                    synonyms.extend((term.id, text) for text in term.synonym_texts("EXACT"))
                    pairs.extend((term.id, xref) for xref in term.xrefs)  # the OBO's own xrefs, as the loader keeps
        return cls(names, pairs, synonyms, parents)

    @classmethod
    @functools.cache
    def bundled(cls) -> Self:
        """The index over the DO release shipped with pmkg (built once per process)."""
        folder = _starter_dir()
        with (
            importlib.resources.as_file(folder / STARTER_FILES["terms"]) as terms,
            importlib.resources.as_file(folder / STARTER_FILES["xrefs"]) as xrefs,
            importlib.resources.as_file(folder / STARTER_FILES["ncit_subset"]) as ncit_subset,
            importlib.resources.as_file(folder / STARTER_FILES["cancer_slim"]) as cancer_slim,
        ):
            return cls.from_files(terms, xrefs, (ncit_subset, cancer_slim))

    def __contains__(self, term_id: object) -> bool:
        return term_id in self._names

    def __len__(self) -> int:
        return len(self._names)

    def name(self, term_id: str) -> str | None:
        """The DO label of ``term_id`` (None if the index does not hold it)."""
        return self._names.get(term_id)

    def by_xref(self, prefix: str, code: str) -> tuple[str, ...]:
        """DO ids cross-referenced to ``prefix:code``; ``prefix`` as sources write it (NCI, NCIT, UMLS_CUI …)."""
        return tuple(self._by_xref.get((xref_property(prefix), code.strip()), ()))

    def ancestors(self, term_id: str) -> frozenset[str]:
        """Every DO term above ``term_id`` (empty if the index holds no hierarchy)."""
        found: set[str] = set()
        pending = list(self._parents.get(term_id, ()))
        while pending:
            parent = pending.pop()
            if parent not in found:
                found.add(parent)
                pending.extend(self._parents.get(parent, ()))
        return frozenset(found)

    def by_name(self, text: str, *, any_order: bool = False) -> tuple[str, ...]:
        """DO ids whose label (else an exact synonym) is ``text`` as a :func:`~kg.disease_names.name_key`.

        With ``any_order`` the words may come in any order and filler words ("of the") do not
        count (:func:`~kg.disease_names.token_key`).
        """
        table, key = (self._by_tokens, token_key(text)) if any_order else (self._by_key, name_key(text))
        labels, synonyms = table.get(key, ([], []))
        return tuple(labels or synonyms)


def _as_list(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


class MapsToDiseaseOntology(Loader):
    """A loader that maps its terms onto the Disease Ontology (OncoTree, MONDO, NCIt).

    ``do_index`` is the DO index to map onto: given, or the bundled release's by default.
    """

    def __init__(
        self,
        paths: Mapping[str, Path],
        *,
        version: str,
        skip_bad_rows: bool = False,
        do_index: DiseaseOntologyIndex | None = None,
    ) -> None:
        super().__init__(paths, version=version, skip_bad_rows=skip_bad_rows)
        self._do_index = do_index

    @property
    def do_index(self) -> DiseaseOntologyIndex:
        if self._do_index is None:
            self._do_index = DiseaseOntologyIndex.bundled()
        return self._do_index
