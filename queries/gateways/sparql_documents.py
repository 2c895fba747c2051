"""SELECT answers written by Oxigraph in a W3C results format and cut at the row limit, in one pass.

Oxigraph writes the document (in Rust, in pieces of up to 8 KB: JSON's split rows anywhere, the other
formats' at a term's or a row's end) into a sink here that counts where rows start, stops the writer
once the row after the limit has begun, and cuts the document before that row.  The rows are found in
the bytes as they come, never by reading the document back, and no literal may fake one:

- JSON: a binding that binds something starts ``[{"`` or ``,{"`` followed by a variable's first
  character.  Inside a string every ``"`` is escaped, so those bytes can only come from a literal whose
  text ends the string right after ``[{`` or ``,{`` — and then the next byte is ``,``, ``}``, ``]`` or
  ``:``, never a name.  A binding with nothing bound (``{}``) has no such mark, and ``{}`` may sit in a
  literal too; a document holding ``{}`` anywhere is therefore read token by token, its strings skipped
  whole (Oxigraph may then write past the limit before the cut: such rows are a few bytes each).
- XML: ``<result>`` (a literal's ``<`` is written ``&lt;``).
- TSV: a line (SPARQL TSV escapes newlines and tabs inside terms).
- CSV: a line ended outside a quoted field (a quoted literal may hold CRLF).  Oxigraph's CSV lines end
  in CRLF; they are handed over ending in LF, as the CLI always wrote them.

It replaces writing TSV, reading it back and writing it again in the asked format: that round trip cost
about a fifth of the CPU time of a 9,000-row JSON or XML answer (3-8% of cookbook question 15's 543 rows).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

# A JSON binding that binds something, from its "{" (see the module docstring for why no literal fakes
# it), or "{}" anywhere; the look behind follows the literal '{' so that the search skips ahead.
_JSON_MARK = re.compile(rb'\{(?:"(?<=[\[,]\{")[^,}\]:]|\})')
# A JSON document's strings, skipped whole, and (group 1) where any binding starts, "{}" included.
_JSON_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[,](\{)', re.DOTALL)
_XML_ROW = b"<result>"  # a literal's "<" is written "&lt;"


class _RowsFull(Exception):
    """Raised by :class:`_Sink` to stop Oxigraph's writer once the row after the limit has begun."""


class _Marks:
    """Counts ``mark`` in a document handed over in pieces (a mark may straddle two pieces)."""

    exact = True  # the marks are the rows (and the header's)

    def __init__(self, mark: bytes) -> None:
        self.mark = mark
        self.tail = b""

    def count(self, piece: bytes) -> int:
        seen = self.tail + piece
        # The last bytes, too few to hold a whole mark (so none is counted twice), begin the next piece's.
        self.tail = seen[len(seen) - len(self.mark) + 1 :] if len(seen) >= len(self.mark) else seen
        return seen.count(self.mark)


class _JsonBindings:
    """Counts the bindings that bind something in a SPARQL JSON document handed over in pieces.

    ``exact`` turns false at the first "{}": an empty binding, or a literal's text (see the module docstring).
    One regular expression does both: every scan of the bytes costs about as much as another.
    """

    def __init__(self) -> None:
        self.tail = b""
        self.exact = True

    def count(self, piece: bytes) -> int:
        seen = self.tail + piece
        # A mark spans 4 bytes (the "[" or "," it looks behind at, '{"' and a name's first): the last 3 begin
        # the next piece's, and a mark found there again would lack the byte it looks behind at.
        self.tail = seen[-3:]
        found = _JSON_MARK.findall(seen)
        empty = found.count(b"{}")
        self.exact = self.exact and not empty
        return len(found) - empty


class _CsvLineEnds:
    """Counts CRLFs outside quoted fields in a CSV document handed over in pieces."""

    exact = True  # the line ends are the rows' (and the header's)

    def __init__(self) -> None:
        self.quoted = False  # whether the pieces so far end inside a quoted field
        self.tail = b""

    def count(self, piece: bytes) -> int:
        seen = self.tail + piece  # the tail is a lone CR, never a quote
        self.tail = seen[-1:] if seen.endswith(b"\r") else b""
        fields = seen.split(b'"')  # every quote opens or closes a quoted field ("" closes and reopens)
        ends = sum(part.count(b"\r\n") for part in fields[1 if self.quoted else 0 :: 2])
        self.quoted ^= len(fields) % 2 == 0
        return ends


@dataclass(frozen=True)
class _Layout:
    """How rows show in one results format.

    ``marks`` makes a counter of marks, each a row's start or end: in a whole document, ``header_marks``
    more than its rows when the counter says it is ``exact``, never more.  ``starts`` gives where a
    document's first rows start, in order; ``cut`` keeps a document up to a row's start and closes it.
    """

    marks: Callable[[], _Marks | _JsonBindings | _CsvLineEnds]
    header_marks: int
    starts: Callable[[bytes, int], list[int]]
    cut: Callable[[bytes, int], bytes]


def _json_starts(document: bytes, wanted: int) -> list[int]:
    """Where the first ``wanted`` bindings start (their "{")."""
    if b"{}" in document:  # a binding with nothing bound, or a literal holding "{}": read token by token
        found = (m.start(1) for m in _JSON_TOKEN.finditer(document) if m.group(1))
    else:
        found = (m.start() for m in _JSON_MARK.finditer(document))
    return list(itertools.islice(found, wanted))


def _split_starts(document: bytes, mark: bytes, wanted: int, *, after: bool) -> list[int]:
    """Where the first ``wanted`` rows start: at each ``mark``, or ``after`` each (then not at the very end).

    Split at C speed: a regular expression's matches, one Python object each, made a 10,000-row cut slower
    than the TSV round trip it replaced.
    """
    parts = document.split(mark, wanted if not after else wanted + 1)[:-1]
    ends = itertools.accumulate(len(part) + len(mark) for part in parts)
    starts = [end if after else end - len(mark) for end in ends]
    return [start for start in starts if start < len(document)][:wanted]


def _csv_starts(document: bytes, wanted: int) -> list[int]:
    """Where the first ``wanted`` rows start: after each line end outside a quoted field."""
    starts: list[int] = []
    end, quoted = 0, False
    for line in document.split(b"\r\n")[:-1]:
        end += len(line) + 2
        quoted ^= line.count(b'"') % 2 == 1  # a line of a quoted field's CRLF leaves it open
        if not quoted and end < len(document):
            starts.append(end)
            if len(starts) == wanted:
                break
    return starts


_LAYOUTS = {
    "json": _Layout(
        marks=_JsonBindings,
        header_marks=0,
        starts=_json_starts,
        cut=lambda document, start: document[:start].removesuffix(b",") + b"]}}",
    ),
    "xml": _Layout(
        marks=lambda: _Marks(_XML_ROW),
        header_marks=0,
        starts=lambda document, wanted: _split_starts(document, _XML_ROW, wanted, after=False),
        cut=lambda document, start: document[:start] + b"</results></sparql>",
    ),
    "tsv": _Layout(
        marks=lambda: _Marks(b"\n"),
        header_marks=1,
        starts=lambda document, wanted: _split_starts(document, b"\n", wanted, after=True),
        cut=lambda document, start: document[:start],
    ),
    "csv": _Layout(
        marks=_CsvLineEnds,
        header_marks=1,
        starts=_csv_starts,
        cut=lambda document, start: document[:start],
    ),
}


class _Sink:
    """The binary file Oxigraph writes a document into: it keeps the bytes and stops the writer at the limit."""

    def __init__(self, layout: _Layout, row_limit: int) -> None:
        self.parts: list[bytes] = []
        self.counter = layout.marks()
        self.marks = 0
        self.enough = row_limit + layout.header_marks  # past this, the row after the limit has begun
        self.full = False

    def write(self, data: bytes) -> int:
        piece = bytes(data)  # the piece that stopped the writer comes again as Oxigraph lets go: past the cut
        self.parts.append(piece)
        self.marks += self.counter.count(piece)
        if self.marks > self.enough:
            self.full = True
            raise _RowsFull
        return len(piece)

    def flush(self) -> None:
        return None


@dataclass(frozen=True)
class Written:
    """A document as handed over: at most the row limit's rows (``rows`` of them), and whether rows were cut."""

    document: bytes
    rows: int
    truncated: bool


def write_document(solutions: Any, fmt: str, row_limit: int) -> Written:
    """``solutions`` (pyoxigraph's QuerySolutions) written by Oxigraph in ``fmt``, cut after ``row_limit`` rows."""
    from pyoxigraph import QueryResultsFormat

    layout = _LAYOUTS[fmt]
    sink = _Sink(layout, row_limit)
    target = {
        "json": QueryResultsFormat.JSON,
        "xml": QueryResultsFormat.XML,
        "csv": QueryResultsFormat.CSV,
        "tsv": QueryResultsFormat.TSV,
    }[fmt]
    with suppress(_RowsFull):  # the sink stops the writer once the row after the limit has begun
        solutions.serialize(sink, format=target)
    document = b"".join(sink.parts)
    if not sink.full and sink.counter.exact:
        return _finished(document, fmt, sink.marks - layout.header_marks, False)
    starts = layout.starts(document, row_limit + 1)
    if len(starts) <= row_limit:
        return _finished(document, fmt, len(starts), False)
    return _finished(layout.cut(document, starts[row_limit]), fmt, row_limit, True)


def _finished(document: bytes, fmt: str, rows: int, truncated: bool) -> Written:
    if fmt == "csv":
        document = document.replace(b"\r\n", b"\n")
    elif fmt == "json" and truncated:  # the cut, stated where SPARQL JSON readers look for links
        head = b'{"head":{'
        link = b'"link":["urn:pmkg:truncated:%d"],' % rows
        document = head + link + document[len(head) :] if document.startswith(head) else document
    return Written(document, rows, truncated)
