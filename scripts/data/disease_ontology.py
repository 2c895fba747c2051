"""Rebuild the Disease Ontology starter bundle and test fixtures from the full real files.

    .venv/bin/python scripts/data/disease_ontology.py --shared /work/shared/data

Inputs (``ontologies/disease_ontology/`` under ``--shared``; DO release 2026-07-31, CC0 1.0):
``HumanDO.tsv``, ``allXREFinDO.tsv``, ``NCIthesaurus.obo``, ``DO_cancer_slim.obo``.

Outputs:
- ``loaders/starter/disease_ontology/``: the four files whole, gzipped (about 1.2 MB);
- ``tests/data/disease_ontology/``: real rows and stanzas for a few diseases and every one of
  their ancestors (lung adenocarcinoma, skin melanoma, Behcet's disease with two parents …),
  so the hierarchy in the fixtures is closed under is-a.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STARTER = ROOT / "loaders" / "starter" / "disease_ontology"
FIXTURES = ROOT / "tests" / "data" / "disease_ontology"
FILES = ("HumanDO.tsv", "allXREFinDO.tsv", "NCIthesaurus.obo", "DO_cancer_slim.obo")
# Diseases the fixtures keep (with all their ancestors): the tests' examples and the
# MAPS_TO targets of the OncoTree fixture.
FIXTURE_TERMS = (
    "DOID:3910",  # lung adenocarcinoma
    "DOID:8923",  # skin melanoma (DO files it under skin cancer only)
    "DOID:1909",  # melanoma (OncoTree MEL maps here)
    "DOID:13241",  # Behcet's disease (two parents)
    "DOID:0050861",  # colorectal adenocarcinoma
    "DOID:0080191",  # obsolete in the cancer slim
)


def gzip_copy(source: Path, target: Path) -> None:
    with (
        open(source, "rb") as src,
        open(target, "wb") as raw,
        gzip.GzipFile(filename=source.name, mode="wb", fileobj=raw, mtime=0, compresslevel=9) as out,
    ):
        shutil.copyfileobj(src, out)


def unquote(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


def closure(rows: list[list[str]], seeds: tuple[str, ...]) -> set[str]:
    """``seeds`` and every ancestor of them in HumanDO.tsv (parents are labels there)."""
    by_label = {unquote(r[1]): unquote(r[0]) for r in rows}
    by_label["disease"] = "DOID:4"
    parents: dict[str, set[str]] = {}
    for r in rows:
        parent = unquote(r[2])
        if parent:
            parents.setdefault(unquote(r[0]), set()).add(by_label[parent])
    keep: set[str] = set()
    todo = list(seeds)
    while todo:
        term = todo.pop()
        if term not in keep:
            keep.add(term)
            todo.extend(parents.get(term, ()))
    return keep


def cut_table(source: Path, target: Path, keep: set[str]) -> int:
    with open(source, encoding="utf-8", newline="") as handle:
        lines = handle.readlines()
    kept = [lines[0]] + [line for line in lines[1:] if unquote(line.split("\t", 1)[0]) in keep]
    target.write_text("".join(kept), encoding="utf-8")
    return len(kept) - 1


def cut_obo(source: Path, target: Path, keep: set[str]) -> int:
    """The header and the [Term] stanzas of ``keep``, byte for byte."""
    text = source.read_text(encoding="utf-8")
    header, *stanzas = text.split("\n[")
    out = [header + "\n"]
    count = 0
    for stanza in stanzas:
        first = stanza.split("\n", 2)
        if stanza.startswith("Term]") and len(first) > 1 and first[1].removeprefix("id: ") in keep:
            out.append("[" + stanza.rstrip("\n") + "\n\n")
            count += 1
    target.write_text("".join(out).rstrip("\n") + "\n", encoding="utf-8")
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--shared", type=Path, required=True, help="the shared data folder (holds ontologies/)")
    args = parser.parse_args()
    source = args.shared / "ontologies" / "disease_ontology"
    STARTER.mkdir(parents=True, exist_ok=True)
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        gzip_copy(source / name, STARTER / f"{name}.gz")
        print(f"starter {name}.gz: {(STARTER / f'{name}.gz').stat().st_size:,} bytes")
    with open(source / "HumanDO.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
    keep = closure(rows, FIXTURE_TERMS[:-1]) | {FIXTURE_TERMS[-1]}
    print(f"fixture HumanDO.tsv: {cut_table(source / 'HumanDO.tsv', FIXTURES / 'HumanDO.tsv', keep)} rows")
    print(f"fixture allXREFinDO.tsv: {cut_table(source / 'allXREFinDO.tsv', FIXTURES / 'allXREFinDO.tsv', keep)} rows")
    for name in ("NCIthesaurus.obo", "DO_cancer_slim.obo"):
        print(f"fixture {name}: {cut_obo(source / name, FIXTURES / name, keep)} stanzas")


if __name__ == "__main__":
    main()
