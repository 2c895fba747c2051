"""Links from a node of the graph to the source records a clinician can open: the CIViC evidence, assertion,
variant, molecular profile and therapy pages, PubMed, ClinicalTrials.gov, the CPIC guideline (through its
PharmGKB annotation), the HGNC, NCBI Gene, ClinVar, dbSNP and ClinGen Allele Registry records, and the
DOID, OncoTree, NCIt, MONDO and Sequence Ontology term pages.

Every link is built from what the graph holds (the node's id and the source ids it carries as properties),
one rule per kind of id, so the entity pages (:mod:`queries.services.entity`) and any later caller agree.
Must never fetch anything: a link is a URL pattern filled with an id, not a checked address.

    >>> [link.url for link in links_from_ids(["PMID:21639808", "DOID:3910"])]
    ['https://pubmed.ncbi.nlm.nih.gov/21639808/', 'https://disease-ontology.org/?id=DOID:3910']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import quote

from kg.records import Node
from queries.models.entity import SourceLink

_CIVIC = "https://civicdb.org/links"

# (pattern of a CURIE, what the page is, its URL from the pattern's first group); first match wins.
_BY_ID: tuple[tuple[re.Pattern[str], str, Callable[[str], str]], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), title, url)
    for pattern, title, url in (
        (r"^CIVIC\.EID:(\d+)$", "CIViC evidence item", lambda n: f"{_CIVIC}/evidence/{n}"),
        (r"^CIVIC\.AID:(\d+)$", "CIViC assertion", lambda n: f"{_CIVIC}/assertions/{n}"),
        (r"^CIVIC\.VID:(\d+)$", "CIViC variant", lambda n: f"{_CIVIC}/variants/{n}"),
        (r"^CIVIC\.MPID:(\d+)$", "CIViC molecular profile", lambda n: f"{_CIVIC}/molecular_profiles/{n}"),
        (r"^CIVIC\.TID:(\d+)$", "CIViC therapy", lambda n: f"https://civicdb.org/therapies/{n}/summary"),
        (r"^PMID:(\d+)$", "PubMed", lambda n: f"https://pubmed.ncbi.nlm.nih.gov/{n}/"),
        (r"^(NCT\d{8})$", "ClinicalTrials.gov", lambda n: f"https://clinicaltrials.gov/study/{n.upper()}"),
        (r"^(HGNC:\d+)$", "HGNC", lambda n: f"https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/{n.upper()}"),
        (r"^(DOID:\d+)$", "Disease Ontology", lambda n: f"https://disease-ontology.org/?id={n.upper()}"),
        (r"^ONCOTREE:([A-Za-z0-9_]+)$", "OncoTree",
         lambda n: f"https://oncotree.mskcc.org/?version=oncotree_latest_stable&field=CODE&search={n.upper()}"),
        (r"^NCIT:(C\d+)$", "NCI Thesaurus",
         lambda n: f"https://evsexplore.semantics.cancer.gov/evsexplore/concept/ncit/{n.upper()}"),
        (r"^MONDO:(\d+)$", "MONDO", lambda n: f"http://purl.obolibrary.org/obo/MONDO_{n}"),
        (r"^(SO:\d+)$", "Sequence Ontology",
         lambda n: f"http://www.sequenceontology.org/browser/current_release/term/{n.upper()}"),
        (r"^CLINVAR:(\d+)$", "ClinVar", lambda n: f"https://www.ncbi.nlm.nih.gov/clinvar/variation/{n}/"),
        (r"^(?:DBSNP:)?(rs\d+)$", "dbSNP", lambda n: f"https://www.ncbi.nlm.nih.gov/snp/{n.lower()}"),
        (r"^(CA\d+)$", "ClinGen Allele Registry",
         lambda n: "https://reg.clinicalgenome.org/redmine/projects/registry/genboree_registry/by_canonicalid"
         f"?canonicalid={n.upper()}"),
    )
)  # fmt: skip

# Properties that hold a source's own ids, and the CURIE each value becomes.
_ID_PROPERTIES: dict[str, Callable[[object], str]] = {
    "citation_id": str,
    "citations": lambda pmid: f"PMID:{pmid}" if str(pmid).isdigit() else str(pmid),
    "nct_ids": str,
    "civic_variant_ids": lambda n: f"CIVIC.VID:{n}",
    "civic_profile_ids": lambda n: f"CIVIC.MPID:{n}",
    "civic_therapy_id": lambda n: f"CIVIC.TID:{n}",
    "clinvar_ids": lambda n: f"CLINVAR:{n}",
    "allele_registry_id": str,
    "rsids": str,
    "ncit": lambda code: f"NCIT:{code}",
    "ncit_id": lambda code: f"NCIT:{code}",
}


def links_for(node: Node, *, in_civic: bool = False) -> list[SourceLink]:
    """The source pages of ``node``: its own id's page first, then those of the source ids it carries.

    ``in_civic``: CIViC holds evidence about the gene, so its CIViC gene page exists (CIViC answers 404 for a
    gene it does not curate).
    """
    found: list[SourceLink] = list(links_from_ids([node.id]))
    for name, curie in _ID_PROPERTIES.items():
        value = node.props.get(name)
        values = value if isinstance(value, list | tuple) else ([] if value in (None, "") else [value])
        found.extend(links_from_ids(curie(v) for v in values))
    entrez = node.props.get("entrez_id")
    if entrez:
        found.append(SourceLink(title="NCBI Gene", id=f"NCBIGene:{entrez}",
                                url=f"https://www.ncbi.nlm.nih.gov/gene/{quote(str(entrez))}"))  # fmt: skip
    symbol = node.props.get("symbol")
    if in_civic and symbol:
        found.append(SourceLink(title="CIViC gene", id=str(symbol),
                                url=f"{_CIVIC}/entrez_name/{quote(str(symbol))}"))  # fmt: skip
    guideline = node.props.get("guideline_url")
    if isinstance(guideline, str) and guideline.startswith("https://"):
        source = node.props.get("guideline_source") or "dosing"
        found.append(SourceLink(title=f"{source} guideline", id=str(node.props.get("guideline_id") or guideline),
                                url=guideline))  # fmt: skip
    return list({link.url: link for link in found}.values())


def links_from_ids(ids: Iterable[str]) -> Iterator[SourceLink]:
    """A link for each id pmkg knows a page for; other ids are passed over."""
    for raw in ids:
        text = str(raw).strip()
        for pattern, title, url in _BY_ID:
            found = pattern.match(text)
            if found:
                yield SourceLink(title=title, id=text, url=url(quote(found.group(1), safe=":")))
                break
