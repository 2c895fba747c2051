"""Rebuild the NCIt test fixture from the real NCIt OWL file at hand (no starter is bundled).

    .venv/bin/python scripts/data/ncit.py --shared /work/shared/data

Input: ``ontologies/disease_normalization_subsets/ncit_25.08d.owl`` under ``--shared`` (NCI
Thesaurus 25.08d, CC BY 4.0; a 15-class subset cut by cancervariants/disease-normalization for
its tests).  NCIt is an optional, fetch-at-run-time source (a release is ~1 GB of OWL), so
nothing goes into ``loaders/starter/``.

Output: ``tests/data/ncit/Thesaurus.owl``: the document's opening and ``owl:Ontology``, then the
real ``owl:Class`` elements of a few concepts, each with the ``owl:Axiom`` elements about it,
line for line, and the closing tag.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "data" / "ncit"
FIXTURE_CODES = (
    "C2926",  # Lung Non-Small Cell Carcinoma: NCI and other-source synonyms, maps to DOID:3908
    "C8091",  # Childhood Liposarcoma: "Liposarcoma" is only CTRP's display name
    "C121567",  # Rat Neuroblastoma → C60681 → C61118 (diseases) → C61111 (a Classification)
    "C60681",
    "C61118",
    "C61111",
    "C22187",  # Experimental Organism Diagnosis: a Conceptual Entity, not a disease
)
_BLOCK_START = re.compile(r"^    <(owl:Class|owl:Axiom)\b")
_SUBJECT = re.compile(r'(?:rdf:about|annotatedSource rdf:resource)="[^"]*#(C\d+)"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--shared", type=Path, required=True, help="the shared data folder (holds ontologies/)")
    args = parser.parse_args()
    source = args.shared / "ontologies" / "disease_normalization_subsets" / "ncit_25.08d.owl"
    FIXTURES.mkdir(parents=True, exist_ok=True)
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    ontology_end = next(i for i, line in enumerate(lines) if "</owl:Ontology>" in line)
    out = [*lines[: ontology_end + 1], "\n"]
    blocks = 0
    i = ontology_end + 1
    while i < len(lines):
        match = _BLOCK_START.match(lines[i])
        if match is None:
            i += 1
            continue
        end = i
        while not lines[end].startswith(f"    </{match.group(1)}>"):
            end += 1
        block = lines[i : end + 1]
        subject = _SUBJECT.search("".join(block[:3]))
        if subject and subject.group(1) in FIXTURE_CODES:
            out.extend(block)
            blocks += 1
        i = end + 1
    out.append("</rdf:RDF>\n")
    (FIXTURES / "Thesaurus.owl").write_text("".join(out), encoding="utf-8")
    print(f"fixture Thesaurus.owl: {blocks} classes and axioms")


if __name__ == "__main__":
    main()
