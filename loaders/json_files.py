"""JSON source files read with line numbers, so a bad record is reported where it is written.

:func:`read_json_array` streams the elements of a top-level array with the line of each
element's key field; :func:`read_json` reads a whole file.  Both raise
:class:`~kg.errors.SourceFileError` with the line for invalid or truncated JSON.  Used by the
MOAlmanac loader's two layouts; they never interpret the records.

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a.json"
>>> _ = path.write_text('[\\n {"id": 1},\\n {"id": 2}\\n]')
>>> list(read_json_array(path, "id"))
[(2, {'id': 1}), (3, {'id': 2})]
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.errors import SourceFileError
from loaders.base import open_text


def read_json_array(path: Path, key: str) -> Iterator[tuple[int | None, Any]]:
    """Yield ``(line, element)`` of a JSON array file; ``line`` is where element's ``key`` is written.

    Raises SourceFileError (with the line) for invalid or truncated JSON or a non-array file.
    """
    with open_text(path) as handle:
        text = handle.read()
    decoder = json.JSONDecoder()
    position = _skip_space(text, 0)
    if position >= len(text):
        raise SourceFileError(str(path), None, "file is empty; expected a JSON array")
    if text[position] != "[":
        raise SourceFileError(str(path), _line_at(text, position), "expected a JSON array ('[') of records")
    position = _skip_space(text, position + 1)
    line, counted = 1, 0
    key_pattern = re.compile(rf'"{re.escape(key)}"\s*:')
    while True:
        if position >= len(text):
            raise SourceFileError(str(path), _line_at(text, position), "file ends inside the JSON array (truncated?)")
        if text[position] == "]":
            break
        try:
            element, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise SourceFileError(str(path), exc.lineno, f"invalid JSON: {exc.msg} (column {exc.colno})") from None
        found = key_pattern.search(text, position, end)
        anchor = found.start() if found else position
        line += text.count("\n", counted, anchor)
        counted = anchor
        yield line, element
        position = _skip_space(text, end)
        if position < len(text) and text[position] == ",":
            position = _skip_space(text, position + 1)
        elif position < len(text) and text[position] != "]":
            raise SourceFileError(str(path), _line_at(text, position), "expected ',' or ']' after a record")


def read_json(path: Path) -> Any:
    """A whole JSON file; SourceFileError with the line if it is not valid JSON."""
    with open_text(path) as handle:
        try:
            return json.load(handle)
        except json.JSONDecodeError as exc:
            raise SourceFileError(str(path), exc.lineno, f"invalid JSON: {exc.msg} (column {exc.colno})") from None


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _line_at(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1
