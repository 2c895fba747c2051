"""One value per single-valued field: ``?disease=melanoma&disease=lung`` is a 422, not a guess.

A framework reading a query string, a form or a JSON object keeps the last of a repeated field and
drops the others without a word: ``GET /v1/match?…&disease=melanoma&disease=lung cancer`` was
answered for lung cancer alone, ``POST /v1/annotate`` with two ``file`` parts annotated the second
file and ignored the first, and ``{"variants": [...], "variants": [...]}`` matched the second list
only, each a 200 that hid half of what was asked.  :func:`one_value_each` runs before every route
(an app-wide dependency): a query parameter or form field the route reads as one value (``disease``,
``assembly``, ``q``, ``limit``, ``query``, ``file`` …) given more than once, or a key given twice in
one object of a JSON body, is a validation error naming it; those the route reads as lists
(``variant``, ``type``, ``files``) repeat as documented.  A query parameter the route does not
take at all (``?disaese=melanoma``) is refused the same way on the ``/v1`` routes.

It reads the names and counts of parameters only: never a value (patient data) into a log.
"""

from __future__ import annotations

import json
import re
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
    known_query: frozenset[str] | None  # every query parameter the route reads; None: not checked


# id(route) → (the route, its single-valued parameters), computed once per route (routes are unhashable; the
# route is kept beside its id so that an id reused by another app's route is not taken for it).
_KNOWN: dict[int, tuple[Any, _SingleValued]] = {}


async def one_value_each(request: Request) -> None:
    """Raise a validation error for a single-valued query parameter or form field given more than once."""
    query_string = request.scope.get("query_string")
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        # The route has read the body already (it is kept on the request): one more parse, in C, that only
        # watches for a repeated key; a body that is not JSON is the route's own 422.
        repeated = _repeated_key(await request.body())
        if repeated is not None:
            message = "given twice in one JSON object; it takes one value"
            raise RequestValidationError([{"type": "repeated", "loc": ("body", *repeated), "msg": message}])
    is_form = content_type.startswith(_FORM_TYPES)
    if not query_string and not is_form:
        return  # the common case (JSON bodies, plain GETs) costs a few lookups
    route = request.scope.get("route")
    if route is None:
        return
    known = _KNOWN.get(id(route))
    if known is None or known[0] is not route:
        known = _KNOWN[id(route)] = (route, _single_valued(route))
    single = known[1]
    problems = _repeated("query", single.query, request.query_params) if query_string else []
    if query_string and single.known_query is not None:
        problems += _unknown(single.known_query, request.query_params)
    if is_form and single.form:
        problems += _repeated("body", single.form, await request.form())  # parsed once: the route reuses it
    if problems:
        raise RequestValidationError(problems)


_KEY = re.compile(rb'"([^"\\]*)"\s*:')  # a key's text, or a string value followed by ':' (only more candidates)


class _Repeated(dict[str, Any]):
    """A JSON object that gave ``key`` twice (made only then: the common parse builds plain dicts)."""

    key = ""


def _repeated_key(body: bytes) -> tuple[str | int, ...] | None:
    """Where a JSON object of ``body`` gives a key twice (``("patients", 3, "disease")``), or None (also when
    ``body`` is not JSON: the route says so)."""
    if not body:
        return None
    if b"\\" not in body:  # without escapes a key repeats only if its text does: most bodies stop here
        keys = _KEY.findall(body)
        if len(keys) == len(set(keys)):
            return None
    repeats: list[_Repeated] = []

    def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        found = dict(pairs)
        if len(found) == len(pairs):
            return found
        marked = _Repeated(found)
        seen: set[str] = set()
        marked.key = next(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
        repeats.append(marked)
        return marked

    try:
        value = json.loads(body, object_pairs_hook=unique_keys)
    except ValueError:
        return None
    return _path_to_repeat(value, ()) if repeats else None  # the tree is walked only when a key repeats


def _path_to_repeat(value: Any, path: tuple[str | int, ...]) -> tuple[str | int, ...] | None:
    if isinstance(value, _Repeated):
        return (*path, value.key)
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for name, child in children:
        if isinstance(child, dict | list) and (found := _path_to_repeat(child, (*path, name))):
            return found
    return None


def _repeated(where: str, names: tuple[str, ...], given: Any) -> list[dict[str, Any]]:
    return [
        {"type": "repeated", "loc": (where, name), "msg": f"given {count} times; it takes one value"}
        for name in names
        if (count := len(given.getlist(name))) > 1
    ]


def _unknown(known: frozenset[str], given: Any) -> list[dict[str, Any]]:
    takes = ", ".join(sorted(known)) or "no query parameters"
    return [
        {"type": "unknown", "loc": ("query", name), "msg": f"not a parameter of this endpoint (it takes {takes})"}
        for name in dict.fromkeys(given.keys())
        if name not in known
    ]


def _single_valued(route: Any) -> _SingleValued:
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return _SingleValued((), (), None)
    query = [field for sub in _dependants(dependant) for field in sub.query_params]
    form = [
        field
        for sub in _dependants(dependant)
        for field in sub.body_params
        if isinstance(field.field_info, params.Form)  # File is a Form
    ]
    # A misspelt parameter (?disaese=melanoma) was dropped without a word, like a repeated one: refused on the API's
    # own routes (/v1), not on the docs, the page, /health (load balancers may add their own) or /sparql (the
    # SPARQL 1.1 Protocol's default-graph-uri and named-graph-uri, which clients send).
    api = str(getattr(route, "path", "")).startswith("/v1/")
    return _SingleValued(
        tuple(field.alias for field in query if not _is_list(field.field_info.annotation)),
        tuple(field.alias for field in form if not _is_list(field.field_info.annotation)),
        frozenset(field.alias for field in query) if api else None,
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
