"""Parts several answers share: the build stamp every answer carries."""

from __future__ import annotations

from pydantic import Field

from queries.models.base import Answer


class SourceStamp(Answer):
    """One source release the answer came from."""

    name: str = Field(description="The source's short name (civic, moalmanac, pharmcat …).")
    version: str = Field(description="The release of the source that was loaded.")
    license: str = Field(description="The source's licence (SPDX id where one exists).")


class BuildStamp(Answer):
    """The build that answered: its content-derived id and every source release in it."""

    id: str = Field(description="The build's content-derived id.")
    sources: list[SourceStamp] = Field(description="Every source release in the build, in build order.")
