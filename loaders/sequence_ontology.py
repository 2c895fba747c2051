"""Sequence Ontology (SO): the terms variants are typed and annotated with, and their is-a hierarchy.

Reads ``so.obo`` (OBO 1.2, CC BY 4.0) and yields one ``Consequence`` node per current term
(``SO:0001583`` missense_variant; EXACT synonyms such as ``missense`` or
``VEP:missense_variant`` as ``synonyms``, other scopes as ``related_synonyms`` …) and
``SUBCLASS_OF`` child → parent for every ``is_a``.  Every current term is loaded, not only
the ``sequence_variant`` branch, because sources type variants with terms from all over SO
(CIViC writes ``SNP``, ``wild_type``, ``deletion``, ``transcript_amplification``); the
``branch`` property names the top-level term(s) a term falls under (``sequence_variant`` for
consequences, ``sequence_feature``, ``sequence_attribute``, ``sequence_collection``).
Obsolete terms are skipped; ``relationship`` lines (part_of …) are not is-a and are not loaded.

It must never invent a parent: an ``is_a`` to a term the file does not hold (or only as
obsolete) is a bad stanza.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Iterator
from pathlib import Path
from typing import Self

from kg.errors import SourceFileError
from kg.records import Edge, Node, PropValue, Record
from kg.schema import Label, RelType
from loaders.base import Loader, SourceSpec
from loaders.obo import OboTerm, iter_terms, term_node_fields

SO_VERSION = "2024-11-18"
STARTER_FILE = "so.obo.gz"
ATTRIBUTION = (
    "Sequence Ontology (release 2024-11-18), The Sequence Ontology Consortium, "
    "https://github.com/The-Sequence-Ontology/SO-Ontologies, licensed under CC BY 4.0 "
    "(https://creativecommons.org/licenses/by/4.0/). Unmodified; bundled gzip-compressed."
)


class SequenceOntologyLoader(Loader):
    """Sequence Ontology terms as ``Consequence`` nodes with their is-a hierarchy."""

    spec = SourceSpec(
        name="sequence_ontology",
        title="Sequence Ontology",
        license="CC-BY-4.0",
        license_url="https://creativecommons.org/licenses/by/4.0/",
        redistributable=True,
        homepage="http://www.sequenceontology.org",
        files={
            "so": "https://raw.githubusercontent.com/The-Sequence-Ontology/SO-Ontologies/master/Ontology_Files/so.obo"
        },
        attribution=ATTRIBUTION,
    )

    @classmethod
    def starter(cls, *, skip_bad_rows: bool = False) -> Self:
        """The loader over the SO release bundled with pmkg."""
        folder = importlib.resources.files("loaders") / "starter" / "sequence_ontology"
        return cls({"so": Path(str(folder / STARTER_FILE))}, version=SO_VERSION, skip_bad_rows=skip_bad_rows)

    def parse(self) -> Iterator[Record]:
        path = self.paths["so"]
        # SO is small (~2,600 terms): keeping it lets every node name its top-level branch.
        terms = {t.id: t for t in iter_terms(path, on_bad=self.bad) if not t.is_obsolete and t.name}
        tops = {t.id: t.name or t.id for t in terms.values() if not t.is_a}
        branches: dict[str, frozenset[str]] = {}

        def branch(term_id: str, trail: frozenset[str] = frozenset()) -> frozenset[str]:
            if term_id in branches:
                return branches[term_id]
            if term_id in tops:
                return frozenset({tops[term_id]})
            found: set[str] = set()
            for parent in terms[term_id].is_a:
                if parent in terms and parent not in trail:
                    found |= branch(parent, trail | {term_id})
            branches[term_id] = frozenset(found)
            return branches[term_id]

        for term in terms.values():
            yield self._node(term, sorted(branch(term.id)))
        for term in terms.values():
            for parent in term.is_a:
                if parent not in terms:
                    self.bad(SourceFileError(
                        str(path), term.line, f"{term.id} is_a {parent}, which is not a current term of this file",
                        field="is_a",
                    ))  # fmt: skip
                    continue
                yield Edge(term.id, RelType.SUBCLASS_OF, parent, provenance=self.provenance(term.id, term.line))

    def _node(self, term: OboTerm, branch: list[str]) -> Node:
        name = term.name or term.id
        synonyms, fields = term_node_fields(term, name)
        props: dict[str, PropValue] = {"branch": branch} if branch else {}
        props.update(fields)
        return Node(term.id, Label.CONSEQUENCE, name, synonyms, props, self.provenance(term.id, term.line))
