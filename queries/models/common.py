"""Parts several answers share: the build stamp every answer carries, and a source release in full (status,
and the current and candidate releases of a curation diff)."""

from __future__ import annotations

from pydantic import Field

from queries.models.base import Answer


class SourceStamp(Answer):
    """One source release the answer came from."""

    name: str = Field(description="The source's short name (civic, moalmanac, pharmcat …).")
    version: str = Field(description="The release of the source that was loaded.")
    license: str = Field(description="The source's licence (SPDX id where one exists).")


class SourceRelease(SourceStamp):
    """One source release in a build, in full: what ``pmkg status`` lists, and a curation diff's current and
    candidate releases."""

    url: str = Field(description="The source's home page.")
    checksum: str = Field(description="sha256 of the files loaded.")
    records: int = Field(description="Records loaded.")
    skipped_rows: int = Field(description="Malformed rows skipped (--skip-bad-rows).")
    origin: str = Field(
        description="Where the files were read from: 'starter' (bundled) or a path; '' when the build does not "
        "record it (made by an older pmkg).  `pmkg curate` rebuilds the other sources from here."
    )


class BuildStamp(Answer):
    """The build that answered: its content-derived id and every source release in it."""

    id: str = Field(description="The build's content-derived id.")
    sources: list[SourceStamp] = Field(description="Every source release in the build, in build order.")
