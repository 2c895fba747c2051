"""Cut three consecutive Disease Ontology releases to the same terms, for the curation tests.

    .venv/bin/python scripts/data/curation.py --shared /work/shared/data

Inputs (CC0 1.0): ``ontologies/disease_ontology_releases/v2025-06-27`` and ``v2025-12-23``, and the
2026-07-31 release in ``ontologies/disease_ontology`` (the one the starter bundles), each with
``HumanDO.tsv``, ``allXREFinDO.tsv``, ``NCIthesaurus.obo`` and ``DO_cancer_slim.obo``.

Outputs: ``tests/data/curation/do-<release>/`` — the rows and stanzas of the same terms in every
release: :data:`SEEDS`, every descendant of breast cancer (DOID:1612, which the 2026 release
reorganises by hormone receptor status), and every ancestor of those in each release (so each cut is
closed under is-a and loads as a release).  Because the three cuts keep the same terms, a diff between
two of them shows only real changes between the releases, found by hand and named in the tests.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "tests" / "data" / "curation"
RELEASES = {
    "2025-06-27": "ontologies/disease_ontology_releases/v2025-06-27",
    "2025-12-23": "ontologies/disease_ontology_releases/v2025-12-23",
    "2026-07-31": "ontologies/disease_ontology",
}
SUBTREES = ("DOID:1612",)  # breast cancer
SEEDS = (
    "DOID:0080191",  # PTEN hamartoma tumor syndrome: merged into DOID:0050657 in 2025-12-23 (alt_id)
    "DOID:0050657",  # Bannayan-Riley-Ruvalcaba syndrome, renamed Cowden syndrome 1 in 2025-12-23
    "DOID:5709",  # mixed-type liposarcoma: merged into DOID:5363 in 2025-12-23
    "DOID:5363",  # myxoid liposarcoma
    "DOID:13515",  # tuberous sclerosis: moved from syndrome to hamartoma syndrome in 2025-12-23
    "DOID:0070656",  # hamartoma syndrome: created in 2025-12-23
    "DOID:0061095",  # immunodeficiency 130: gone from 2025-12-23 without an obsolete record
)


def _cutter() -> object:
    spec = importlib.util.spec_from_file_location("do_cut", Path(__file__).with_name("disease_ontology.py"))
    if spec is None or spec.loader is None:
        raise SystemExit("scripts/data/disease_ontology.py is missing")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(folder: Path) -> list[list[str]]:
    with open(folder / "HumanDO.tsv", encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]


def descendants(rows: list[list[str]], roots: tuple[str, ...], unquote: object) -> set[str]:
    ids = {unquote(r[1]): unquote(r[0]) for r in rows}  # type: ignore[operator]
    children: dict[str, set[str]] = {}
    for r in rows:
        parent = ids.get(unquote(r[2]))  # type: ignore[operator]
        if parent:
            children.setdefault(parent, set()).add(unquote(r[0]))  # type: ignore[operator]
    found, todo = set(), list(roots)
    while todo:
        term = todo.pop()
        if term not in found:
            found.add(term)
            todo.extend(children.get(term, ()))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--shared", type=Path, required=True, help="the shared data folder (holds ontologies/)")
    args = parser.parse_args()
    cut = _cutter()
    folders = {release: args.shared / path for release, path in RELEASES.items()}
    seeds = set(SEEDS)
    for folder in folders.values():
        seeds |= descendants(_rows(folder), SUBTREES, cut.unquote)  # type: ignore[attr-defined]
    present = set().union(*({cut.unquote(r[0]) for r in _rows(f)} for f in folders.values()))  # type: ignore[attr-defined]
    # Every term some cut keeps, so that no term of one cut is missing from another only because it was
    # an ancestor of a seed in one release and not in the next.
    for folder in folders.values():
        rows = _rows(folder)
        seeds |= cut.closure(rows, tuple(sorted(seeds & {cut.unquote(r[0]) for r in rows})))  # type: ignore[attr-defined]
    for release, folder in folders.items():
        rows = _rows(folder)
        ids = {cut.unquote(r[0]) for r in rows}  # type: ignore[attr-defined]
        keep = cut.closure(rows, tuple(sorted(seeds & ids)))  # type: ignore[attr-defined]
        # Keep a stanza for every seed the release still mentions (an alt_id or an obsolete term).
        keep_obo = keep | (seeds & present)
        out = TARGET / f"do-{release}"
        out.mkdir(parents=True, exist_ok=True)
        print(release, "HumanDO.tsv", cut.cut_table(folder / "HumanDO.tsv", out / "HumanDO.tsv", keep))  # type: ignore[attr-defined]
        print(release, "allXREFinDO.tsv", cut.cut_table(folder / "allXREFinDO.tsv", out / "allXREFinDO.tsv", keep))  # type: ignore[attr-defined]
        for name in ("NCIthesaurus.obo", "DO_cancer_slim.obo"):
            print(release, name, cut.cut_obo(folder / name, out / name, keep_obo))  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
