"""The one gene resolver: which gene a text names (HGNC id, approved symbol, alias or previous symbol).

Every question that takes a gene as text asks here — variant normalisation (``BRAF V600E``), PGx diplotypes
(``CYP2C19 *2/*17``), entity lookup (``HER2``) — so ``MET`` is the same gene everywhere: when a text is the
approved symbol of one gene and an alias of others (``MET`` is HGNC:7029's symbol and an alias of HGNC:20709),
the gene it is the symbol of is meant.  A text that is only an alias of several genes stays ambiguous: the
caller says so and lists them, never guesses.

>>> from kg.records import Node
>>> from kg.schema import Label
>>> met = Node("HGNC:7029", Label.GENE, "MET", ("HGF receptor",), {"symbol": "MET"})
>>> mettl = Node("HGNC:20709", Label.GENE, "METTL1", ("MET",), {"symbol": "METTL1"})
>>> [g.id for g in genes_named([mettl, met], "met")]
['HGNC:7029']
"""

from __future__ import annotations

from collections.abc import Sequence

from kg.records import Node


def approved_symbol(gene: Node) -> str:
    """The gene's approved (HGNC) symbol."""
    return str(gene.props.get("symbol") or gene.name)


def genes_named(candidates: Sequence[Node], text: str) -> list[Node]:
    """Of the genes a lookup found for ``text`` (by id, symbol, alias or previous symbol), the ones it names:
    the one whose approved symbol it is, when there is one; else all of them (sorted by id)."""
    wanted = text.strip().upper()
    approved = [g for g in candidates if approved_symbol(g).upper() == wanted or g.id.upper() == wanted]
    return sorted(approved if len(approved) == 1 else candidates, key=lambda g: g.id)
