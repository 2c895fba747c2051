"""Rebuild the Sequence Ontology starter bundle and test fixtures from the full real file.

    .venv/bin/python scripts/data/sequence_ontology.py --shared /work/shared/data

Input: ``ontologies/sequence_ontology/so.obo`` under ``--shared`` (SO release 2024-11-18, CC BY 4.0).

Outputs:
- ``loaders/starter/sequence_ontology/so.obo.gz``: the whole file, gzipped, unmodified;
- ``tests/data/sequence_ontology/so.obo``: the header and the real stanzas of a few terms
  (missense_variant, stop_gained, transcript_amplification, SNP …) and all their is-a
  ancestors, plus one obsolete term.
"""

from __future__ import annotations

import argparse
import gzip
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STARTER = ROOT / "loaders" / "starter" / "sequence_ontology"
FIXTURES = ROOT / "tests" / "data" / "sequence_ontology"
FIXTURE_TERMS = (
    "SO:0001583",  # missense_variant
    "SO:0001587",  # stop_gained
    "SO:0001889",  # transcript_amplification
    "SO:0000694",  # SNP (a sequence_feature CIViC types variants with)
    "SO:0000817",  # wild_type (a sequence_attribute)
)
OBSOLETE_TERM = "SO:1000059"  # sequence_variant_causing_missense_codon_change_in_transcript
_ID = re.compile(r"^id: (\S+)$", re.MULTILINE)
_IS_A = re.compile(r"^is_a: (\S+)", re.MULTILINE)


def gzip_copy(source: Path, target: Path) -> None:
    with (
        open(source, "rb") as src,
        open(target, "wb") as raw,
        gzip.GzipFile(filename=source.name, mode="wb", fileobj=raw, mtime=0, compresslevel=9) as out,
    ):
        shutil.copyfileobj(src, out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--shared", type=Path, required=True, help="the shared data folder (holds ontologies/)")
    args = parser.parse_args()
    source = args.shared / "ontologies" / "sequence_ontology" / "so.obo"
    STARTER.mkdir(parents=True, exist_ok=True)
    FIXTURES.mkdir(parents=True, exist_ok=True)
    gzip_copy(source, STARTER / "so.obo.gz")
    print(f"starter so.obo.gz: {(STARTER / 'so.obo.gz').stat().st_size:,} bytes")

    header, *stanzas = source.read_text(encoding="utf-8").split("\n[")
    terms: dict[str, str] = {}
    for stanza in stanzas:
        match = _ID.search(stanza)
        if stanza.startswith("Term]") and match:
            terms[match.group(1)] = stanza
    keep: set[str] = set()
    todo = [*FIXTURE_TERMS]
    while todo:
        term = todo.pop()
        if term not in keep:
            keep.add(term)
            todo.extend(_IS_A.findall(terms[term]))
    keep.add(OBSOLETE_TERM)
    out = [header + "\n"] + ["[" + terms[t].rstrip("\n") + "\n\n" for t in terms if t in keep]
    (FIXTURES / "so.obo").write_text("".join(out).rstrip("\n") + "\n", encoding="utf-8")
    print(f"fixture so.obo: {len(keep)} stanzas")


if __name__ == "__main__":
    main()
