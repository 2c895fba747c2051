"""The answer of ``pmkg status`` (and ``GET /v1/status``): the current build, its sources and counts.

Must never import click, rich or fastapi.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from queries.models.base import Answer
from queries.models.common import SourceRelease


class StatusAnswer(Answer):
    """The current build: its id, when it was made, its sources and how many nodes of each label it holds."""

    build_id: str = Field(description="The build's content-derived id.")
    started_at: str = Field(description="When the build started (ISO 8601, UTC).")
    finished_at: str = Field(description="When the build finished (ISO 8601, UTC).")
    schema_version: int = Field(description="The graph schema's version.")
    pmkg_version: str = Field(description="The pmkg version that made the build.")
    sources: list[SourceRelease] = Field(description="Every source release, in build order.")
    counts: dict[str, int] = Field(description="Nodes per label.")
    drug_identity: dict[str, Any] = Field(
        description="How the sources' drug records became Drug nodes: per source, per rule, and therapies."
    )
