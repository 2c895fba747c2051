"""The typed answers (queries.models): the JSON they write, the schema they publish, the help made from them."""

from __future__ import annotations

import enum
import json
import re
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from kg.schema import PGX_ACTIONS
from queries.models import (
    AncestorRow,
    AnnotateAnswer,
    AssemblyUse,
    MatchAnswer,
    PgxAnswer,
    PgxCaution,
    SearchHit,
    StatusAnswer,
    VariantInput,
)
from queries.models.enums import CautionAction, PgxAction
from queries.models.shape import _unwrap

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "data" / "golden"
HELP = {
    "match": MatchAnswer,
    "pgx": PgxAnswer,
    "annotate": AnnotateAnswer,
    "status": StatusAnswer,
    "search": SearchHit,
    "ancestors": AncestorRow,
}


def keys_and_enums(model: type[BaseModel]) -> tuple[set[str], set[str]]:
    """Every key of the model's tree (nested ones too) and every enum value it uses."""
    keys: set[str] = set()
    values: set[str] = set()
    for name, info in model.model_fields.items():
        keys.add(name)
        inner, _, _ = _unwrap(info.annotation)
        if isinstance(inner, type) and issubclass(inner, enum.Enum):
            values |= {str(m.value) for m in inner}
        elif isinstance(inner, type) and issubclass(inner, BaseModel):
            more_keys, more_values = keys_and_enums(inner)
            keys |= more_keys
            values |= more_values
    return keys, values


@pytest.mark.parametrize(("command", "model"), HELP.items())
def test_help_shows_every_key_and_enum_value_of_the_answer(command: str, model: type[BaseModel]) -> None:
    done = subprocess.run([sys.executable, "-m", "queries.cli", command, "--help"], cwd=REPO, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    shape = done.stdout.split("--format json prints", 1)[1]
    words = set(re.split(r"[\s\[\]{}?:,|]+", shape.replace("{KEY}", " ")))
    keys, values = keys_and_enums(model)
    assert keys - words == set()
    assert {v for v in values if " " not in v} - words == set()
    for value in (v for v in values if " " in v):  # "reduced sensitivity", "adverse response"
        assert value in " ".join(shape.split())


def test_pgx_actions_are_the_graphs_own_vocabulary() -> None:
    assert {str(a) for a in PgxAction} == set(PGX_ACTIONS)
    assert {str(a) for a in CautionAction} - {"adverse response"} <= set(PGX_ACTIONS) - {"standard_dose"}


def test_a_key_the_model_does_not_know_is_refused() -> None:
    answer = json.loads((GOLDEN / "match_braf_v600e_melanoma.json").read_text(encoding="utf-8"))
    answer["therapies"][0]["therapy_name"] = "typo"
    with pytest.raises(ValidationError, match="therapy_name"):
        MatchAnswer.model_validate(answer)


def test_a_value_outside_the_vocabulary_is_refused() -> None:
    answer = json.loads((GOLDEN / "match_braf_v600e_melanoma.json").read_text(encoding="utf-8"))
    answer["therapies"][0]["significance"] = "sensitive"
    with pytest.raises(ValidationError, match="significance"):
        MatchAnswer.model_validate(answer)


def test_keys_that_apply_only_sometimes_appear_only_when_given() -> None:
    typed = VariantInput(input="BRAF V600E", status="normalized", variant=None, message="")  # type: ignore[arg-type]
    assert "assembly" not in typed.model_dump(mode="json")
    genomic = VariantInput(input="7-140753336-A-T", status="normalized", variant=None, message="",  # type: ignore[arg-type]
                           assembly=AssemblyUse(given="GRCh37", how="inferred", lifted_to=None,  # type: ignore[arg-type]
                                                lifted_position=None))  # fmt: skip
    assert genomic.model_dump(mode="json")["assembly"]["how"] == "inferred"
    cpic = {"drug": "x", "on_therapy_list": False, "therapies": [], "cancer_care": False, "source": "CPIC",
            "action": "avoid", "gene": "g", "genotype": "g", "strength": None, "population": None, "text": "t",
            "id": "i", "url": None, "missing_genes": []}  # fmt: skip
    assert "variant" not in PgxCaution.model_validate(cpic).model_dump(mode="json")
    civic = cpic | {"source": "CIViC", "action": "adverse response", "variant": None, "disease": None, "citation": None}
    assert PgxCaution.model_validate(civic).model_dump(mode="json")["variant"] is None  # given, though null


@pytest.mark.parametrize("model", [MatchAnswer, PgxAnswer, AnnotateAnswer, StatusAnswer, SearchHit, AncestorRow])
def test_every_field_of_every_answer_is_described_in_its_schema(model: type[BaseModel]) -> None:
    """The models are the HTTP API's response schemas: OpenAPI readers see what each field means."""
    schema = model.model_json_schema(mode="serialization")
    parts = [schema, *schema.get("$defs", {}).values()]
    undescribed = [
        f"{part.get('title')}.{name}"
        for part in parts
        for name, field in part.get("properties", {}).items()
        if not field.get("description")
    ]
    assert undescribed == []


def test_the_answers_json_is_what_the_golden_files_hold() -> None:
    """Dumping a validated golden answer gives back its bytes (the models lose and add nothing)."""
    for path in sorted(GOLDEN.glob("match_*.json")) + sorted(GOLDEN.glob("pgx_*.json")):
        text = path.read_text(encoding="utf-8")
        model = MatchAnswer if path.name.startswith("match") else PgxAnswer
        dumped = model.model_validate(json.loads(text)).model_dump(mode="json")
        assert json.dumps(dumped, indent=2, ensure_ascii=False) + "\n" == text, path.name


def test_optional_union_shapes_are_understood() -> None:
    inner, marks, nullable = _unwrap(typing.Optional[list[str]])  # noqa: UP045 - the old spelling on purpose
    assert (inner, marks, nullable) == (str, "[]", True)
