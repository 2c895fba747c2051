"""One OncoTree release read whole, as release diffs and code remapping need it.

Reads the three layouts OncoTree releases come in:

* the nested tree JSON (``trees/oncotree_*.json`` of cBioPortal/oncotree, ``latest_stable.json``) and
  the API's flat list (``/api/tumorTypes``), through :class:`~loaders.oncotree.OncoTreeLoader`'s own
  reader (the same checks as a build: a bad file is refused exactly as ``pmkg build`` refuses it);
* a tab-separated table with at least ``code`` and ``name`` columns (``parent``, ``main_type`` /
  ``mainType``, ``tissue`` when present), as MOAlmanac keeps ``oncotree.2023-03-09.txt``.  Such a
  table has no ``history`` / ``precursors`` / ``revocations`` and often no parents:
  :attr:`OncoTreeRelease.has_history` and :attr:`OncoTreeRelease.has_tree` say so, so a diff says
  what it could not compare instead of reporting nothing changed.

The release's version is taken from the file name (``oncotree_20211102.json`` and
``oncotree.2021-11-02.txt`` both read as ``oncotree_2021_11_02``).  This module never maps codes
to other ontologies (:mod:`loaders.oncotree_mapping` does) and never writes the graph.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from kg.errors import SourceFileError
from kg.oncotree_diff import OncoTreeDiff, diff_releases
from kg.oncotree_release import OncoTreeRelease, ReleaseType
from loaders.base import open_text, read_table
from loaders.oncotree import OncoTreeLoader, code_list, external_references

_DATED = re.compile(r"oncotree[._-]?(\d{4})[._-]?(\d{2})[._-]?(\d{2})", re.IGNORECASE)


def release_version(path: Path) -> str:
    """The OncoTree version a file name says (``oncotree_2025_10_03``), else the file's stem.

    >>> release_version(Path("oncotree.2023-03-09.txt"))
    'oncotree_2023_03_09'
    >>> release_version(Path("latest_stable.json"))
    'latest_stable'
    """
    found = _DATED.search(path.name)
    if found:
        return "oncotree_{}_{}_{}".format(*found.groups())
    name = path.name
    for suffix in (".gz", ".json", ".txt", ".tsv"):
        name = name.removesuffix(suffix)
    return name


def read_oncotree_release(path: Path, *, version: str | None = None) -> OncoTreeRelease:
    """Read one OncoTree release (tree JSON, flat JSON or TSV) whole.

    Raises :class:`~kg.errors.SourceFileError` naming the file, line or tumour type and what was
    expected, for a file that is not an OncoTree release.
    """
    path = Path(path)
    version = version or release_version(path)
    if not path.is_file():
        raise SourceFileError(str(path), None, "no such file (expected an OncoTree release, JSON or TSV)")
    if _looks_like_json(path):
        return _read_json(path, version)
    return _read_table(path, version)


def _looks_like_json(path: Path) -> bool:
    try:
        with open_text(path) as handle:
            for line in handle:
                stripped = line.strip()
                if stripped:
                    return stripped[0] in "[{"
    except (EOFError, OSError, UnicodeDecodeError) as exc:
        raise SourceFileError(str(path), None, f"cannot read the file ({exc}); is it truncated?") from None
    raise SourceFileError(str(path), 1, "the file is empty (expected an OncoTree release, JSON or TSV)")


def _read_json(path: Path, version: str) -> OncoTreeRelease:
    loader = OncoTreeLoader({"tree": path}, version=version)
    types: dict[str, ReleaseType] = {}
    has_history = False
    for tumor in loader.tumor_types():
        raw = tumor.raw
        if tumor.code in types:
            raise SourceFileError(str(path), None, f"{tumor.where}: code {tumor.code} appears twice", field="code")
        has_history = has_history or any(key in raw for key in ("history", "precursors", "revocations"))
        references = external_references(raw)
        types[tumor.code] = ReleaseType(
            code=tumor.code,
            name=tumor.name,
            parent=tumor.parent,
            main_type=_text(raw.get("mainType")),
            tissue=_text(raw.get("tissue")),
            history=tuple(code_list(raw.get("history"))),
            precursors=tuple(code_list(raw.get("precursors"))),
            revocations=tuple(code_list(raw.get("revocations"))),
            ncit=tuple(code_list(references.get("NCI"))),
            umls=tuple(code_list(references.get("UMLS"))),
        )
    has_tree = any(t.parent is not None for t in types.values())
    return OncoTreeRelease(version, path, types, has_tree=has_tree, has_history=has_history)


def _read_table(path: Path, version: str) -> OncoTreeRelease:
    types: dict[str, ReleaseType] = {}
    has_parent = False
    for line, row in read_table(path, ("code", "name")):
        code, name = row["code"].strip(), row["name"].strip()
        if not code or " " in code:
            raise SourceFileError(str(path), line, f"expected a code such as 'LUAD', got {code!r}", field="code")
        if not name:
            raise SourceFileError(str(path), line, f"tumour type {code} has no name", field="name")
        if code in types:
            raise SourceFileError(str(path), line, f"code {code} appears twice", field="code")
        parent = (row.get("parent") or "").strip() or None
        has_parent = has_parent or "parent" in row
        types[code] = ReleaseType(
            code=code,
            name=name,
            parent=parent,
            main_type=(row.get("main_type") or row.get("mainType") or "").strip(),
            tissue=(row.get("tissue") or "").strip(),
        )
    if not types:
        raise SourceFileError(str(path), 2, "no tumour types under the header")
    return OncoTreeRelease(version, path, types, has_tree=has_parent, has_history=False)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def diff_oncotree_releases(old: Path, new: Path) -> OncoTreeDiff:
    """The changes from the OncoTree release in file ``old`` to the one in file ``new`` (:mod:`kg.oncotree_diff`).

    Raises :class:`~kg.errors.SourceFileError` for a file that is not an OncoTree release.
    """
    return diff_releases(read_oncotree_release(old), read_oncotree_release(new))
