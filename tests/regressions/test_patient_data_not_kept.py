"""Patient data must not outlive the request that read it.

Before: the MAF reader cleaned protein changes through a module-level memo, so every spelling it had read
(``p.K117N`` of patient A) stayed in the process — a long-running API server kept every patient's variants
until it stopped.
"""

from __future__ import annotations

import sys
from pathlib import Path

from queries.inputs import open_patient_file
from queries.patient import Alteration

RARE = "p.Q1131Hfs*14"  # a spelling no other test reads


def held_by_a_module(value: str) -> list[str]:
    """Module-level containers (in pmkg's packages) that hold ``value``."""
    holders = []
    for name, module in list(sys.modules.items()):
        if not name.startswith(("queries", "kg", "loaders")):
            continue
        for attribute, held in list(vars(module).items()):
            if isinstance(held, dict | set | frozenset | list | tuple) and value in held:
                holders.append(f"{name}.{attribute}")
    return holders


def test_a_maf_read_leaves_no_protein_change_in_any_module(tmp_path: Path) -> None:
    maf = tmp_path / "cohort.maf"
    maf.write_text(f"Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\nBRCA2\tPATIENT-A\t{RARE}\n", encoding="utf-8")
    rows = [row for row in open_patient_file(maf) if isinstance(row, Alteration)]
    assert [r.protein_change for r in rows] == [RARE]
    assert held_by_a_module(RARE) == []
    assert held_by_a_module("PATIENT-A") == []
