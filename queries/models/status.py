"""The answer of ``pmkg status`` (and ``GET /v1/status``): the current build, its sources and counts.

Must never import click, rich or fastapi.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from queries.models.base import Answer


class SourceRelease(Answer):
    """One source release in the build."""

    name: str = Field(description="The source's short name.")
    version: str = Field(description="The release loaded.")
    license: str = Field(description="Its licence (SPDX id where one exists).")
    url: str = Field(description="The source's home page.")
    checksum: str = Field(description="sha256 of the files loaded.")
    records: int = Field(description="Records loaded.")
    skipped_rows: int = Field(description="Malformed rows skipped (--skip-bad-rows).")
    origin: str = Field(
        description="Where the files were read from: 'starter' (bundled) or a path; '' when the build does not "
        "record it (made by an older pmkg).  `pmkg curate` rebuilds the other sources from here."
    )


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
