"""Rebuild the OncoTree starter bundle and test fixture from the full real release.

    .venv/bin/python scripts/data/oncotree.py --shared /work/shared/data

Input: ``ontologies/oncotree/oncotree_2025_10_03.json`` under ``--shared`` (cBioPortal/oncotree
``trees/oncotree_2025_10_03.json``, CC BY 4.0).  ``latest_stable.json`` there is an older,
smaller tree (885 types against 898) and is not used.

Outputs:
- ``loaders/starter/oncotree/oncotree_2025_10_03.json.gz``: the whole release, gzipped, unmodified;
- ``tests/data/oncotree/oncotree_2025_10_03.json``: the same tree pruned to the branches of a
  few types (real node objects, children cut to those kept), in the release's compact layout;
- ``tests/data/oncotree/UNMAPPED.md``: the codes of the bundled release that reach no Disease
  Ontology term, with the count per mapping method (``--unmapped-note`` writes only this, from
  the bundled files, without ``--shared``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
STARTER = ROOT / "loaders" / "starter" / "oncotree"
FIXTURES = ROOT / "tests" / "data" / "oncotree"
RELEASE = "oncotree_2025_10_03.json"
# Types kept with their ancestors (and, for NSCLC and MEL, their direct children).
FIXTURE_CODES = (
    "LUAD",  # NCI C3512 → DOID:3910 lung adenocarcinoma
    "SKCM",  # NCI C3510 → DOID:8923 skin melanoma
    "FT",  # history: MFT
    "ACYC",  # its NCI code sits on two DO terms
    "MLNFGFR1",  # NCI and UMLS disagree; NCI wins
    "COADREAD",  # colorectal adenocarcinoma
    "OOVC",  # no external references
)
WITH_CHILDREN = ("NSCLC", "MEL")


def gzip_copy(source: Path, target: Path) -> None:
    with (
        open(source, "rb") as src,
        open(target, "wb") as raw,
        gzip.GzipFile(filename=source.name, mode="wb", fileobj=raw, mtime=0, compresslevel=9) as out,
    ):
        shutil.copyfileobj(src, out)


def prune(node: dict[str, Any], keep: set[str]) -> dict[str, Any]:
    children = {code: prune(child, keep) for code, child in node["children"].items() if code in keep}
    return {**node, "children": children}


def write_unmapped_note() -> None:
    """Write UNMAPPED.md from the bundled OncoTree and Disease Ontology, as the loader maps them."""
    from collections import Counter

    from kg.records import Edge, Node
    from kg.schema import RelType
    from loaders.oncotree import ONCOTREE_VERSION, OncoTreeLoader

    names: dict[str, str] = {}
    methods: dict[str, str] = {}
    for record in OncoTreeLoader.starter().parse():
        if isinstance(record, Node) and record.id.startswith("ONCOTREE:"):
            names[record.id.removeprefix("ONCOTREE:")] = record.name
        elif isinstance(record, Edge) and record.type == RelType.MAPS_TO:
            methods[record.start.removeprefix("ONCOTREE:")] = str(record.props["method"])
    counts = Counter(methods.values())
    unmapped = [code for code in names if code not in methods]
    lines = [
        "# OncoTree codes that reach no Disease Ontology term",
        "",
        f"OncoTree `{ONCOTREE_VERSION}` (bundled) against the bundled Disease Ontology: {len(methods)} of "
        f"{len(names)} codes map ({100 * len(methods) / len(names):.1f} %), by the methods of "
        "`loaders/oncotree_mapping.py` (" + ", ".join(f"{m} {n}" for m, n in counts.most_common()) + ").",
        "",
        f"These {len(unmapped)} have no NCIt/UMLS code in DO, no DO name, and no mapped ancestor (the root",
        "`TISSUE` and its `OTHER` branch map to nothing), so they stay unmapped; `pmkg ancestors CODE` and",
        "`pmkg match --disease CODE` say so.  `tests/regressions/test_oncotree_mapping.py` keeps this list",
        "true; rebuild it with `.venv/bin/python scripts/data/oncotree.py --unmapped-note`.",
        "",
        "| code | name |",
        "|---|---|",
        *(f"| {code} | {names[code]} |" for code in unmapped),
    ]
    (FIXTURES / "UNMAPPED.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"UNMAPPED.md: {len(unmapped)} of {len(names)} codes unmapped")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--shared", type=Path, help="the shared data folder (holds ontologies/)")
    parser.add_argument("--unmapped-note", action="store_true", help="only rewrite tests/data/oncotree/UNMAPPED.md")
    args = parser.parse_args()
    if args.unmapped_note:
        write_unmapped_note()
        return
    if args.shared is None:
        parser.error("--shared is required to rebuild the bundle and fixture")
    source = args.shared / "ontologies" / "oncotree" / RELEASE
    STARTER.mkdir(parents=True, exist_ok=True)
    FIXTURES.mkdir(parents=True, exist_ok=True)
    gzip_copy(source, STARTER / f"{RELEASE}.gz")
    print(f"starter {RELEASE}.gz: {(STARTER / f'{RELEASE}.gz').stat().st_size:,} bytes")

    tree = json.loads(source.read_text(encoding="utf-8"))
    nodes: dict[str, dict[str, Any]] = {}
    todo = list(tree.values())
    while todo:
        node = todo.pop()
        nodes[node["code"]] = node
        todo.extend(node["children"].values())
    keep: set[str] = set()
    for code in (*FIXTURE_CODES, *(c for w in WITH_CHILDREN for c in nodes[w]["children"])):
        while code and code not in keep:
            keep.add(code)
            code = nodes[code].get("parent")
    pruned = {root: prune(node, keep) for root, node in tree.items()}
    (FIXTURES / RELEASE).write_text(json.dumps(pruned, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
    print(f"fixture {RELEASE}: {len(keep)} tumour types")
    write_unmapped_note()


if __name__ == "__main__":
    main()
