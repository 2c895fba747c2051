"""Cut the MOAlmanac test fixtures from the real release, and check the example patient's coverage.

    .venv/bin/python scripts/data/moalmanac.py --shared /work/shared/data [--coverage]

MOAlmanac (vanallenlab/moalmanac-db, GPL-2.0 with a research-use-only disclaimer) may not be
bundled with pmkg, so there is no starter data: this script only writes small test fixtures.

Inputs (from ``--shared``): ``moalmanac/molecular-oncology-almanac.json`` (flat layout),
``moalmanac/referenced/*.json`` (normalised layout) and, for ``--coverage``,
``moalmanac/algorithm_example/example_output/example_output.actionable.txt``.

Outputs under ``tests/data/moalmanac/``:
- ``molecular-oncology-almanac.json``: :data:`FLAT_IDS`, real assertions verbatim;
- ``referenced/*.json``: :data:`STATEMENT_IDS` and every row of the other tables they refer to
  (mappings and contributions are not read by the loader and are left out);
- ``actionable.txt``: the example patient's ``actionable.txt`` rows (MOAlmanac algorithm output).

``--coverage`` builds the graph from the full flat file and reports, for every therapy and
prognosis the example patient's ``actionable.txt`` lists, the Evidence that states it and
whether the patient's feature reaches it through its variant and classes or only through
its gene (MOAlmanac's "Investigate Actionability" matches).
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kg.records import Node  # noqa: E402
from kg.schema import Label, RelType  # noqa: E402
from kg.variant_classes import ClassRule, VariantFacts, classify  # noqa: E402
from kg.variants import biomarker_id, copy_number_id, fusion_id, parse_protein_change, variant_id  # noqa: E402
from loaders.moalmanac import MoalmanacLoader  # noqa: E402

FIXTURES = ROOT / "tests" / "data" / "moalmanac"
# Flat assertions kept: seven FDA approvals the referenced layout also states (see PAIRS), then a
# resistance, a prognosis, a codon class, a gene-level consequence class, a copy number, an
# MSI-H "no benefit", a mutational signature and one deprecated assertion.
FLAT_IDS = (8, 10, 145, 768, 966, 973, 1014, 156, 157, 375, 556, 704, 770, 777, 58)
# Referenced statements kept: the seven counterparts, an AND profile, an AND NOT profile, a
# withdrawn statement.
PAIRS = ((8, 32), (10, 90), (145, 95), (768, 373), (966, 147), (973, 558), (1014, 1540))
STATEMENT_IDS = (32, 90, 95, 373, 147, 558, 1540, 0, 50, 698)
TABLES = ("about", "agents", "biomarkers", "codings", "diseases", "documents", "genes", "indications",
          "propositions", "statements", "strengths", "therapies", "therapy_groups", "urls")  # fmt: skip
README = """# MOAlmanac test fixtures

Small cuts of the Molecular Oncology Almanac database (vanallenlab/moalmanac-db, commit
7815662ba908, 2026-05-15), **for testing only**: real records, verbatim, in the real layouts.

- `molecular-oncology-almanac.json` — {flat} assertions of the flat layout (ids {flat_ids});
- `referenced/` — {statements} statements of the normalised layout and the rows of the other
  tables they refer to (ids {statement_ids}); `mappings.json`/`contributions.json` are left out;
- `actionable.txt` — the example patient's `example_output.actionable.txt` from
  vanallenlab/moalmanac (commit 5dcc132a831d), the MOAlmanac algorithm's own output.

Licence: GPL-2.0, with the Dana-Farber Cancer Institute / Broad Institute disclaimer: for
research use only, diagnostic and clinical use prohibited (see the moalmanac-db README and
LICENSE). These files are not part of the pmkg package and must not be redistributed with it;
pmkg's MOAlmanac loader reads releases users fetch themselves.

Rebuild with `.venv/bin/python scripts/data/moalmanac.py --shared /work/shared/data`.
"""


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def cut_flat(shared: Path) -> None:
    records = json.loads((shared / "moalmanac" / "molecular-oncology-almanac.json").read_text(encoding="utf-8"))
    by_id = {r["assertion_id"]: r for r in records}
    write_json(FIXTURES / "molecular-oncology-almanac.json", [by_id[i] for i in FLAT_IDS])


def cut_referenced(shared: Path) -> None:
    folder = shared / "moalmanac" / "referenced"
    tables = {name: json.loads((folder / f"{name}.json").read_text(encoding="utf-8")) for name in TABLES}
    index = {name: {row["id"]: row for row in rows} for name, rows in tables.items() if isinstance(rows, list)}
    keep: dict[str, set[Any]] = collections.defaultdict(set)
    keep["statements"] = set(STATEMENT_IDS)
    keep["strengths"] = {index["statements"][s]["strength_id"] for s in STATEMENT_IDS}
    for sid in STATEMENT_IDS:
        statement = index["statements"][sid]
        keep["propositions"].add(statement["proposition_id"])
        keep["documents"].update(statement["reportedIn"])
        if statement.get("indication_id"):
            keep["indications"].add(statement["indication_id"])
    for pid in keep["propositions"]:
        proposition = index["propositions"][pid]
        keep["biomarkers"].update(proposition["biomarkers"])
        keep["diseases"].add(proposition["conditionQualifier_id"])
        if proposition["therapy_id"] is not None:
            keep["therapies"].add(proposition["therapy_id"])
        if proposition["therapy_group_id"] is not None:
            keep["therapy_groups"].add(proposition["therapy_group_id"])
            keep["therapies"].update(index["therapy_groups"][proposition["therapy_group_id"]]["therapies"])
    for bid in keep["biomarkers"]:
        keep["genes"].update(index["biomarkers"][bid].get("genes") or [])
    for did in keep["documents"]:
        keep["agents"].add(index["documents"][did]["agent_id"])
        keep["urls"].update(index["documents"][did].get("urls") or [])
    for table in ("diseases", "therapies", "genes", "strengths"):
        keep["codings"].update(index[table][i]["primary_coding_id"] for i in keep[table])
    keep["agents"].add("vanallenlab")
    for name in TABLES:
        rows = tables[name]
        out = rows if name == "about" else [r for r in rows if r["id"] in keep[name]]
        write_json(FIXTURES / "referenced" / f"{name}.json", out)


def copy_actionable(shared: Path) -> None:
    source = shared / "moalmanac" / "algorithm_example" / "example_output" / "example_output.actionable.txt"
    (FIXTURES / "actionable.txt").write_bytes(source.read_bytes())


# ---------------------------------------------------------------------- coverage

CONSEQUENCES = {"Missense": "missense_variant", "Nonsense": "stop_gained", "Frameshift": "frameshift_variant"}
# Drugs the example output (an older MOAlmanac release) names differently from today's release.
RENAMED = {"5-fluorouracil": "fluorouracil", "dostarlimab-gxly": "dostarlimab"}


class Graph:
    """The records of one loader, indexed for the coverage check."""

    def __init__(self, loader: MoalmanacLoader) -> None:
        self.nodes: dict[str, Node] = {}
        self.out: dict[tuple[str, RelType], list[str]] = collections.defaultdict(list)
        self.about: dict[str, list[str]] = collections.defaultdict(list)
        for record in loader.parse():
            if isinstance(record, Node):
                self.nodes.setdefault(record.id, record)
            else:
                self.out[(record.start, record.type)].append(record.end)
                if record.type == RelType.ABOUT:
                    self.about[record.end].append(record.start)
        self.catalog = [ClassRule.from_props(n.props) for n in self.nodes.values() if n.label == Label.VARIANT_CLASS]

    def reach(self, ids: list[str]) -> set[str]:
        seen, todo = set(ids), list(ids)
        while todo:
            for end in self.out.get((todo.pop(), RelType.MEMBER_OF), []):
                if end not in seen:
                    seen.add(end)
                    todo.append(end)
        return seen

    def evidence(self, ids: set[str]) -> set[str]:
        return {e for i in ids for e in self.about.get(i, [])}

    def gene_evidence(self, symbol: str) -> set[str]:
        genes = {n.id for n in self.nodes.values() if n.label == Label.GENE and n.name == symbol}
        targets = {s for (s, rel), ends in self.out.items() if rel == RelType.IN_GENE and genes & set(ends)}
        return self.evidence(targets)

    def therapies(self, evidence_id: str) -> set[str]:
        return {_drugs(self.nodes[t].name) for t in self.out.get((evidence_id, RelType.WITH_THERAPY), [])}


def _drugs(name: str) -> str:
    return " + ".join(sorted(RENAMED.get(p.strip().lower(), p.strip().lower()) for p in name.split("+")))


def patient_ids(graph: Graph, row: dict[str, str]) -> tuple[list[str], str]:
    """The nodes the patient's feature normalises to, and the classes the rules put it in."""
    kind, gene, alteration_type, alteration = (
        row["feature_type"],
        row["feature"],
        row["alteration_type"],
        row["alteration"],
    )
    if kind in ("Somatic Variant", "Germline Variant"):
        change = parse_protein_change(alteration).text
        facts = VariantFacts(gene, protein_change=change, consequences=(CONSEQUENCES.get(alteration_type, ""),))
        return [variant_id(gene, change), *(r.id for r in classify(facts, graph.catalog))], gene
    if kind == "Copy Number":
        facts = VariantFacts(gene, copy_number=alteration_type.lower())
        return [copy_number_id(gene, alteration_type), *(r.id for r in classify(facts, graph.catalog))], gene
    if kind == "Rearrangement":
        five, three = alteration.split("--")
        facts = VariantFacts(five, fusion=(five, three))
        return [fusion_id(five, three), *(r.id for r in classify(facts, graph.catalog))], five
    if kind == "Microsatellite Stability":
        return [biomarker_id("MSI-H")], ""
    if kind == "Mutational Signature":
        return [biomarker_id(gene)], ""
    if kind == "Aneuploidy":
        return [biomarker_id("whole-genome-doubling")], ""
    return [], ""


def coverage(shared: Path) -> None:
    folder = shared / "moalmanac"
    graph = Graph(MoalmanacLoader.from_path(folder / "molecular-oncology-almanac.json"))
    actionable = folder / "algorithm_example" / "example_output" / "example_output.actionable.txt"
    with open(actionable, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    counts: collections.Counter[str] = collections.Counter()
    for row in rows:
        for kind in ("sensitive", "resistance", "prognostic"):
            level = row[f"{kind}_predictive_implication"]
            if not level:
                continue
            ids, gene = patient_ids(graph, row)
            therapy = row.get(f"{kind}_therapy_name", "")
            code = row[f"{kind}_oncotree_code"]

            def states_it(evidence_id: str, kind: str = kind, level: str = level, code: str = code,
                          therapy: str = therapy) -> bool:  # fmt: skip
                props = graph.nodes[evidence_id].props
                if props.get("level") != level or (code and props.get("oncotree_code") != code):
                    return False
                if kind == "prognostic":
                    return props["evidence_type"] == "prognostic"
                wanted = "resistance" if kind == "resistance" else "sensitivity"
                direction_ok = props["significance"] == wanted or (
                    kind == "resistance" and props.get("direction") == "does not support"
                )
                return direction_ok and _drugs(therapy) in graph.therapies(evidence_id)

            hits = sorted(e for e in graph.evidence(graph.reach(ids)) if states_it(e))
            how = "variant or class"
            if not hits and gene:
                hits, how = sorted(e for e in graph.gene_evidence(gene) if states_it(e)), "same gene only"
            if not hits:
                how = "NOT FOUND"
            counts[how] += 1
            feature = row["feature_display"] or row["feature"]
            print(f"{feature:32} {kind:10} {therapy or '(prognosis)':32} {level:17} {code:8} {how:17} {hits[:3]}")
    total = sum(counts.values())
    print(f"{total} actionable statements: " + ", ".join(f"{n} reached via {k}" for k, n in counts.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, required=True, help="the shared data folder (holds moalmanac/)")
    parser.add_argument("--coverage", action="store_true", help="also report the example patient's coverage")
    args = parser.parse_args()
    cut_flat(args.shared)
    cut_referenced(args.shared)
    copy_actionable(args.shared)
    (FIXTURES / "README.md").write_text(
        README.format(
            flat=len(FLAT_IDS),
            flat_ids=", ".join(map(str, FLAT_IDS)),
            statements=len(STATEMENT_IDS),
            statement_ids=", ".join(map(str, STATEMENT_IDS)),
        ),
        encoding="utf-8",
    )
    print(f"wrote {FIXTURES}")
    if args.coverage:
        coverage(args.shared)


if __name__ == "__main__":
    main()
