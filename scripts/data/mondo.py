"""Rebuild the MONDO test fixture from the real MONDO file at hand (no starter is bundled).

    .venv/bin/python scripts/data/mondo.py --shared /work/shared/data

Input: ``ontologies/disease_normalization_subsets/mondo_20251104.obo`` under ``--shared``
(MONDO release 2025-11-04, CC BY 4.0; a 96-term subset that cancervariants/disease-normalization
cut for its tests).  MONDO is an optional, fetch-at-run-time source: a whole release is ~50 MB
and this subset is not a usable MONDO, so nothing goes into ``loaders/starter/``.

Output: ``tests/data/mondo/mondo.obo``: the header, the first ``[Typedef]`` and ``BFO`` stanzas
(which the loader must skip) and the real stanzas of a few MONDO terms with every MONDO
ancestor, byte for byte.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "data" / "mondo"
FIXTURE_TERMS = (
    "MONDO:0005233",  # non-small cell lung carcinoma (exactMatch DOID:3908)
    "MONDO:0004992",  # cancer (three exact DO matches)
)
_ID = re.compile(r"^id: (\S+)$", re.MULTILINE)
_IS_A = re.compile(r"^is_a: (MONDO:\d+)", re.MULTILINE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--shared", type=Path, required=True, help="the shared data folder (holds ontologies/)")
    args = parser.parse_args()
    source = args.shared / "ontologies" / "disease_normalization_subsets" / "mondo_20251104.obo"
    FIXTURES.mkdir(parents=True, exist_ok=True)
    header, *stanzas = source.read_text(encoding="utf-8").split("\n[")
    terms: dict[str, str] = {}
    extra: list[str] = []
    for stanza in stanzas:
        match = _ID.search(stanza)
        if match is None:
            continue
        if stanza.startswith("Term]"):
            terms[match.group(1)] = stanza
            if match.group(1) == "BFO:0000001":
                extra.append(stanza)
        elif stanza.startswith("Typedef]") and not any(e.startswith("Typedef]") for e in extra):
            extra.append(stanza)
    keep: set[str] = set()
    todo = list(FIXTURE_TERMS)
    while todo:
        term = todo.pop()
        if term not in keep:
            keep.add(term)
            todo.extend(_IS_A.findall(terms[term]))
    chosen = extra + [stanza for term_id, stanza in terms.items() if term_id in keep]
    out = [header + "\n"] + ["[" + s.rstrip("\n") + "\n\n" for s in chosen]
    (FIXTURES / "mondo.obo").write_text("".join(out).rstrip("\n") + "\n", encoding="utf-8")
    print(f"fixture mondo.obo: {len(keep)} MONDO terms, {len(extra)} stanzas to skip")


if __name__ == "__main__":
    main()
