"""One star allele of a pharmacogene (``DPYD *2A``) is PGx input that asks for the diplotype.

It was read as a tumour variant: "DPYD *2A is not in this graph, and no class of DPYD it belongs to is" (a stop-loss
at codon 2), so a fluoropyrimidine carrier got no word about dosing and no prompt to give both alleles.  Real
starter graph, embedded and Neo4j.
"""

from __future__ import annotations

import pytest

from kg.stores.port import Store
from queries.matching import match_therapies
from tests.queries.matching_stores import STORE_KINDS, store_of_kind


@pytest.fixture(scope="module", params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Store:
    return store_of_kind(request)


@pytest.mark.parametrize(("allele", "gene", "typed"), [("DPYD *2A", "DPYD", "*2A"), ("TPMT *3A", "TPMT", "*3A")])
def test_one_star_allele_asks_for_the_diplotype(store: Store, allele: str, gene: str, typed: str) -> None:
    result = match_therapies(store, ["KRAS G12D", allele], "colorectal cancer")
    assert [v.input for v in result.variants] == ["KRAS G12D"]  # not read as a tumour variant
    (report,) = [i for i in result.pgx_inputs if i["input"] == allele]
    assert report["status"] == "unrecognized"
    assert f"give the diplotype, e.g. '{gene} *1/{typed}' for one copy" in report["message"]


def test_a_stop_loss_in_a_gene_without_alleles_is_still_a_tumour_variant(store: Store) -> None:
    result = match_therapies(store, ["TP53 *394Qext*?"], None)
    assert [v.input for v in result.variants] == ["TP53 *394Qext*?"]
    assert result.variants[0].ok
