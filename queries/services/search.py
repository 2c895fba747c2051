"""The search and ancestors services: text → nodes (:class:`queries.models.SearchAnswer`), and a disease → its
broader terms (:class:`queries.models.AncestorsAnswer`).

Disease text is resolved by the one disease resolver, :func:`queries.diseases.resolve_disease`, as ``match
--disease`` resolves it.
"""

from __future__ import annotations

from kg.errors import AmbiguousName, NotFound
from kg.records import Node
from kg.schema import Label, RelType
from kg.stores.port import Store
from queries.models import AncestorRow, AncestorsAnswer, SearchAnswer, SearchHit, SearchQuery
from queries.models.match import DiseaseInput


def search(store: Store, query: SearchQuery) -> SearchAnswer:
    """Nodes whose id, name or a synonym is the text (any case), then the disease the text names as ``match
    --disease`` reads it (abbreviations, codes, spellings, misspellings: the first disease listed is the one
    ``match`` would rank in) with its equivalent terms, then diseases whose words begin with the words typed."""
    from queries.diseases import resolve_disease
    from queries.graph_view import view_for

    text = query.text
    exact = _exact(store, text, query.label)
    if query.label not in (None, Label.DISEASE) or store.current_build() is None:
        return SearchAnswer(query=text, label=query.label, hits=[_hit(n) for n in exact])
    view = view_for(store)
    try:
        found = resolve_disease(store, text, view=view)
    except AmbiguousName as exc:  # a retired code that now names several terms: list them all, pick none
        found, resolved = None, [c[0] for c in exc.candidates]
    else:
        resolved = [found.id, *sorted(found.same - {found.id})] if found is not None else []
    named = list(dict.fromkeys([*resolved, *(n.id for n in exact if n.label == Label.DISEASE)]))
    partial = [i for i in view.disease_names().search(text, query.limit) if i not in named]
    diseases = [n for n in map(view.node, [*named, *partial][: max(query.limit, len(named))]) if n is not None]
    others = [n for n in exact if n.label != Label.DISEASE]
    return SearchAnswer(query=text, label=query.label, hits=[_hit(n) for n in [*others, *diseases]])


def ancestors(store: Store, text: str) -> AncestorsAnswer:
    """The disease ``text`` names and every broader term (and term mapped onto it), nearest first.

    Raises :class:`kg.errors.NotFound`, with close names, when no disease is called ``text``.
    """
    from queries.diseases import disease_suggestions, resolve_disease
    from queries.graph_view import view_for

    view = view_for(store)
    found = resolve_disease(store, text, view=view)
    if found is None:
        close = disease_suggestions(view, text)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise NotFound(f"no disease is called {text!r}{hint}; try `pmkg search` for names, synonyms and codes")
    above = found.ancestors | (found.same - {found.id})
    depth = {a: len(store.ancestors([a], [RelType.SUBCLASS_OF])) for a in above}
    rows = []
    for ancestor_id in sorted(above, key=lambda a: (-depth[a], a)):
        node = view.node(ancestor_id)
        if node is not None:
            rows.append(AncestorRow(of=found.id, id=node.id, name=node.name, terms_above=depth[ancestor_id]))
    return AncestorsAnswer(
        disease=DiseaseInput(input=text, id=found.id, name=found.name), notes=list(found.notes), ancestors=rows
    )


def _exact(store: Store, text: str, label: Label | None) -> list[Node]:
    node = store.get_node(text)
    if node is not None and (label is None or node.label == label):
        return [node]
    return store.find(text, label)


def _hit(node: Node) -> SearchHit:
    return SearchHit(id=node.id, label=node.label, name=node.name, synonyms=list(node.synonyms))
