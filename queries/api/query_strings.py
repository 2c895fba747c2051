"""One value per single-valued parameter: ``?disease=melanoma&disease=lung`` is a 422, not a guess.

A framework reading a query string or a form keeps the last of a repeated field and drops the
others without a word: ``GET /v1/match?…&disease=melanoma&disease=lung cancer`` was answered for
lung cancer alone, and ``POST /v1/annotate`` with two ``file`` parts annotated the second file and
ignored the first, each a 200 that hid half of what was asked.  :func:`one_value_each` runs before
every route (an app-wide dependency): a query parameter or form field the route reads as one value
(``disease``, ``assembly``, ``q``, ``limit``, ``query``, ``file`` …) given more than once is a
validation error naming it; those the route reads as lists (``variant``, ``type``, ``files``) repeat
as documented.

It reads the names and counts of parameters only: never a value (patient data) into a log.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import Request, params
from fastapi.exceptions import RequestValidationError

_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


@dataclass(frozen=True)
class _SingleValued:
    query: tuple[str, ...]
    form: tuple[str, ...]


# id(route) → (the route, its single-valued parameters), computed once per route (routes are unhashable; the
# route is kept beside its id so that an id reused by another app's route is not taken for it).
_KNOWN: dict[int, tuple[Any, _SingleValued]] = {}


async def one_value_each(request: Request) -> None:
    """Raise a validation error for a single-valued query parameter or form field given more than once."""
    query_string = request.scope.get("query_string")
    content_type = request.headers.get("content-type", "")
    is_form = content_type.startswith(_FORM_TYPES)
    if not query_string and not is_form:
        return  # the common case (JSON bodies, plain GETs) costs two lookups
    route = request.scope.get("route")
    if route is None:
        return
    known = _KNOWN.get(id(route))
    if known is None or known[0] is not route:
        known = _KNOWN[id(route)] = (route, _single_valued(route))
    single = known[1]
    problems = _repeated("query", single.query, request.query_params) if query_string else []
    if is_form and single.form:
        problems += _repeated("body", single.form, await request.form())  # parsed once: the route reuses it
    if problems:
        raise RequestValidationError(problems)


def _repeated(where: str, names: tuple[str, ...], given: Any) -> list[dict[str, Any]]:
    return [
        {"type": "repeated", "loc": (where, name), "msg": f"given {count} times; it takes one value"}
        for name in names
        if (count := len(given.getlist(name))) > 1
    ]


def _single_valued(route: Any) -> _SingleValued:
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return _SingleValued((), ())
    query = [field for sub in _dependants(dependant) for field in sub.query_params]
    form = [
        field
        for sub in _dependants(dependant)
        for field in sub.body_params
        if isinstance(field.field_info, params.Form)  # File is a Form
    ]
    return _SingleValued(
        tuple(field.alias for field in query if not _is_list(field.field_info.annotation)),
        tuple(field.alias for field in form if not _is_list(field.field_info.annotation)),
    )


def _dependants(dependant: Any) -> Iterator[Any]:
    """A route's dependant and its dependencies', each once."""
    yield dependant
    for sub in dependant.dependencies:
        yield from _dependants(sub)


def _is_list(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, typing.Annotated):
        return any(_is_list(arg) for arg in typing.get_args(annotation))
    return isinstance(origin, type) and issubclass(origin, Sequence | set | frozenset) and origin is not str
