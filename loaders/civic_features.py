"""CIViC features (genes, fusions, factors) and the variants a CIViC display name stands for.

CIViC names every variant with its feature: ``BRAF V600E``, ``EML4::ALK e6-e20``, ``v::ALK
Fusion``, ``TMB High``, ``MSI High``.  When a release's evidence or molecular profiles name a
variant its ``VariantSummaries`` table lacks (evidence from a newer nightly read with an older
variant table), :class:`FeatureNames` reads the display name back into a
:class:`~loaders.civic_layouts.CivicVariant` without coordinates, using CIViC's
``FeatureSummaries`` when given (2025+: Gene, Fusion and Factor features with fusion partners)
and HGNC symbols otherwise.

CIViC's factor variants that are the usual gene-less biomarkers get the names the rest of
the graph uses (:data:`loaders.civic_layouts.FACTOR_BIOMARKERS`: ``MSI High`` is ``MSI-H``, ``TMB High`` is
``TMB-high``), so ``pmkg match --variant MSI-H`` reaches CIViC's evidence.
It reads one small table and never decides what evidence is about; :mod:`loaders.civic_graph` does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import SourceFileError
from loaders.civic_layouts import FACTOR_BIOMARKERS, CivicVariant, GeneNames, read_civic_table

FEATURE_COLUMNS = ("feature_id", "feature_type", "name")


@dataclass(frozen=True)
class Feature:
    """One CIViC feature: a gene, a fusion (with its partners) or a factor."""

    feature_type: str  # Gene, Fusion, Factor
    name: str
    entrez_id: str = ""
    five_prime: str = ""
    three_prime: str = ""
    five_prime_status: str = ""
    three_prime_status: str = ""


class FeatureNames:
    """Reads CIViC display names (``feature variant``) into variants, by CIViC's features."""

    def __init__(self, genes: GeneNames) -> None:
        self._genes = genes
        self._features: dict[str, Feature] = {}

    def read(self, path: Path, on_bad: Callable[[SourceFileError], None]) -> None:
        """CIViC's ``FeatureSummaries`` (2025+); the fusion partner columns are optional."""
        for _, row in read_civic_table(path, FEATURE_COLUMNS, on_bad):
            name = row["name"].strip()
            if not name:
                continue

            def cell(*keys: str, row: dict[str, str] = row) -> str:
                return next((row[k].strip() for k in keys if row.get(k, "").strip()), "")

            self._features[name.upper()] = Feature(
                feature_type=row["feature_type"].strip() or "Gene",
                name=name,
                entrez_id=cell("entrez_id"),
                five_prime=cell("five_prime_gene_name", "5_prime_gene_name"),
                three_prime=cell("three_prime_gene_name", "3_prime_gene_name"),
                five_prime_status=cell("five_prime_partner_status", "5_prime_partner_status"),
                three_prime_status=cell("three_prime_partner_status", "3_prime_partner_status"),
            )

    def feature(self, name: str) -> Feature | None:
        """The feature called ``name``: from FeatureSummaries, else a fusion or HGNC gene by its spelling."""
        found = self._features.get(name.upper())
        if found is not None:
            return found
        if any(name.upper() == factor for factor, _ in FACTOR_BIOMARKERS):
            return Feature("Factor", name.upper())
        if "::" in name and not any(c.isspace() for c in name):
            five, _, three = name.partition("::")
            if not five or not three:
                return None
            five_status, three_status = ("multiple" if p.lower() == "v" else "known" for p in (five, three))
            return Feature(
                "Fusion", name, five_prime="" if five.lower() == "v" else five,
                three_prime="" if three.lower() == "v" else three,
                five_prime_status=five_status, three_prime_status=three_status,
            )  # fmt: skip
        symbol = self._genes.symbol(name)
        return Feature("Gene", symbol) if symbol else None

    def variant(self, display: str, vid: int = 0, line: int = 0) -> CivicVariant | None:
        """The variant CIViC calls ``display`` (``TMB High``, ``EML4::ALK e6-e20``), or None if no
        feature name starts it.  The longest feature name wins (``Methylation signature ST-EPN-ZFTA``)."""
        words = display.split()
        for cut in range(len(words) - 1, 0, -1):
            feature = self.feature(" ".join(words[:cut]))
            if feature is None:
                continue
            name = " ".join(words[cut:])
            gene = ""
            if feature.feature_type == "Gene":
                gene = self._genes.symbol(feature.name, feature.entrez_id) or feature.name.upper()
            elif feature.feature_type == "Fusion":
                gene = self._genes.symbol(feature.three_prime) or self._genes.symbol(feature.five_prime) or ""
            return CivicVariant(
                vid=vid, line=line, gene=gene, name=name, feature_type=feature.feature_type,
                feature_name=feature.name, five_prime=feature.five_prime, three_prime=feature.three_prime,
                five_prime_status=feature.five_prime_status, three_prime_status=feature.three_prime_status,
            )  # fmt: skip
        return None
