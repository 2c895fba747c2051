"""What normalising one input gives: :class:`NormalizedVariant`, its status, and the answer for an input that fails.

Kept apart from :mod:`queries.normalize` (the steps that resolve an input) because every reader of an answer —
matching, annotation, the match answer's ``inputs`` — needs the result and none needs the steps.
Never logs or keeps what it is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kg.records import Node
from kg.variant_classes import VariantFacts
from queries.expansion import NodeMatch
from queries.models.enums import InputStatus
from queries.patient import Alteration
from queries.positions import AssemblyUse

# The statuses an input can end in: the answer's vocabulary (queries.models.enums.InputStatus), named once.
NORMALIZED, UNRECOGNIZED = InputStatus.NORMALIZED, InputStatus.UNRECOGNIZED
AMBIGUOUS, NOT_MATCHED = InputStatus.AMBIGUOUS, InputStatus.NOT_MATCHED


@dataclass(frozen=True, slots=True)
class NormalizedVariant:
    """What one input became: status, its variant (node or canonical id), and what it reaches."""

    input: str
    status: str
    message: str
    variant_id: str | None = None
    variant_name: str | None = None
    in_graph: bool = False
    genes: tuple[Node, ...] = ()
    matches: tuple[NodeMatch, ...] = ()
    suggestions: tuple[str, ...] = ()
    assembly_use: AssemblyUse | None = None  # a genomic position: the assembly given, how decided, where lifted
    facts: VariantFacts | None = None
    biomarker_value: float | None = None
    origin: str | None = None
    sample: str | None = None
    germline: bool = False

    @property
    def ok(self) -> bool:
        return self.status == NORMALIZED

    @property
    def assembly(self) -> str | None:
        """The assembly a genomic position was read on (declared or inferred), if the input was one."""
        return self.assembly_use.given if self.assembly_use is not None else None

    def variant_json(self) -> dict[str, Any] | None:
        if self.variant_id is None:
            return None
        return {"id": self.variant_id, "name": self.variant_name or self.variant_id}

    def as_json(self) -> dict[str, Any]:
        """The input's row of ``match --format json`` (``inputs.variants``)."""
        message = self.message
        if self.suggestions:
            message = f"{message}; did you mean {', '.join(self.suggestions)}?"
        answer = {"input": self.input, "status": self.status, "variant": self.variant_json(), "message": message}
        if self.assembly_use is not None:
            answer["assembly"] = self.assembly_use.as_json()
        return answer


def failed(
    alteration: Alteration, status: str, message: str, suggestions: Sequence[str] = (), **extra: Any
) -> NormalizedVariant:
    """The answer for an input that did not normalise (``status`` says how), with what may help."""
    return NormalizedVariant(
        alteration.text,
        status,
        message,
        suggestions=tuple(suggestions),
        origin=alteration.origin,
        sample=alteration.sample,
        **extra,
    )
