"""The Neo4j store's read queries: one ``.cypher`` file each, loaded by name.

Every file opens with ``// params:`` lines naming its ``$parameters`` (values always travel
as parameters) and, where the query walks relationships, ``// fragments:`` lines naming its
``{{placeholders}}``.  A placeholder is filled only with relationship types from
:class:`kg.schema.RelType`: no other text is ever spliced into a query.  Every query
resolves the current build from the ``(:PmkgState {key: 'current'})`` pointer inside the
query itself, so a reader sees exactly one complete build.

This package only reads its own files; it never imports the driver.

>>> "$id" in query_text("get_node")
True
>>> "SUBCLASS_OF|MEMBER_OF" in render("ancestors", rels=["SUBCLASS_OF", "MEMBER_OF"])
True
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from importlib import resources

from kg.errors import SchemaError
from kg.schema import RelType

_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_REL_TYPES = frozenset(str(r) for r in RelType)


@functools.cache
def query_text(name: str) -> str:
    """The text of ``<name>.cypher`` as shipped in the package."""
    path = resources.files(__name__).joinpath(f"{name}.cypher")
    if not path.is_file():
        raise KeyError(f"no Cypher query named {name!r} in {__name__}")
    return path.read_text(encoding="utf-8")


def catalog() -> list[str]:
    """Names of every shipped query, sorted."""
    return sorted(
        p.name.removesuffix(".cypher") for p in resources.files(__name__).iterdir() if p.name.endswith(".cypher")
    )


@functools.cache
def _render(name: str, fragments: tuple[tuple[str, str], ...]) -> str:
    values = dict(fragments)
    text = query_text(name)
    missing = set(_PLACEHOLDER.findall(text)) - values.keys()
    if missing:
        raise KeyError(f"query {name!r} needs fragments {sorted(missing)}")
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def render(name: str, **rels: Sequence[str] | str) -> str:
    """The query ``name`` with each ``{{placeholder}}`` replaced by relationship types.

    A value is one type or a sequence of types (joined with ``|``); each must be a
    :class:`~kg.schema.RelType`, otherwise :class:`~kg.errors.SchemaError` is raised.
    """
    fragments = []
    for key, value in sorted(rels.items()):
        types = [value] if isinstance(value, str) else list(value)
        unknown = [t for t in types if str(t) not in _REL_TYPES]
        if unknown or not types:
            raise SchemaError(
                f"relationship types {unknown or types!r} are not in the schema; expected some of {sorted(_REL_TYPES)}"
            )
        fragments.append((key, "|".join(str(t) for t in dict.fromkeys(types))))
    return _render(name, tuple(fragments))
