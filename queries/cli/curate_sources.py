"""The candidate release of ``pmkg curate diff`` and ``apply``: ``--source NAME=PATH[@VERSION]`` turned into
the service's candidate (:func:`queries.services.curation.candidate_release`: the current build's recipe
with that source replaced).  The one curation CLI module that imports ``loaders`` (the import contract
names it).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg.stores.port import Store

if TYPE_CHECKING:
    from queries.services.curation import CandidateRelease


def source_option(command: Any) -> Any:
    return click.option(
        "--source",
        "source",
        required=True,
        metavar="NAME=PATH[@VERSION]",
        help="The candidate release: the source's name and its files (a folder, or the one file it needs).",
    )(command)


def parse_candidate(text: str) -> tuple[str, Path, str | None]:
    from queries.cli.main import _parse_source

    name, path, version = _parse_source(text, "--source")
    if path is None:
        raise click.BadParameter(f"{text!r}: give the candidate's files as NAME=PATH", param_hint="--source")
    return name, path, version


def candidate_from_option(target: Store, text: str, allow_shrink: bool) -> CandidateRelease:
    """The candidate release ``--source NAME=PATH[@VERSION]`` names, against ``target``'s current build."""
    from loaders.registry import loaders_for_recipe
    from queries.services.curation import candidate_release

    name, path, version = parse_candidate(text)
    return candidate_release(target, name, path, loaders_for_recipe, version=version, allow_shrink=allow_shrink)


def curator_option(command: Any) -> Any:
    return click.option(
        "--curator",
        default=None,
        metavar="NAME",
        help="Who does this, for the audit log (default: PMKG_CURATOR, else $USER).",
    )(command)


def curator_name(given: str | None) -> str:
    """The curator the audit log names: ``--curator``, else ``PMKG_CURATOR``, else the login name; one line, no
    control characters."""
    import getpass
    import os

    name = given if given is not None else os.environ.get("PMKG_CURATOR", "").strip()
    if not name and given is None and _has_user():
        name = getpass.getuser()
    name = " ".join(name.split())
    if not name or not name.isprintable():
        raise click.BadParameter("give the curator's name (the audit log records who did what)", param_hint="--curator")
    return name


def _has_user() -> bool:
    import getpass

    try:
        getpass.getuser()
    except (KeyError, OSError):
        return False
    return True


def oncotree_section(target: Store, release: CandidateRelease) -> dict[str, Any] | None:
    """The OncoTree release diff (:func:`loaders.oncotree_release.diff_oncotree_releases`) between the current
    build's release and the candidate's, when the candidate is an OncoTree release."""
    name = release.source
    if name != "oncotree":
        return None
    from loaders.oncotree_release import diff_oncotree_releases
    from loaders.registry import recorded_loader
    from queries.services.curation import current_manifest

    manifest = current_manifest(target)
    info = next((s for s in manifest.sources if s.name == name), None)
    if info is None:
        return None
    old = recorded_loader(info, manifest.build_id)
    new: Any = next(loader for loader in release.sources if loader.info.name == name)
    diff = diff_oncotree_releases(old.paths["tree"], new.paths["tree"])
    section: dict[str, Any] = diff.as_json()
    return section
