"""The one exception tree of pmkg.

Every error pmkg raises on purpose derives from :class:`KGError`, so the CLI and the
HTTP API can turn each kind into a clear message (and an HTTP status) without
catching anything broader.  Messages say what was wrong, where, and what was expected.

    KGError
    ├── SchemaError            a record breaks the graph schema
    ├── ConfigError            a setting is missing or malformed
    ├── InputError             what a user typed cannot be used (an empty --disease, bytes that are not UTF-8)
    │   ├── MalformedQuery     a researcher's Cypher or SPARQL does not parse (the parser's message)
    │   ├── NotFound           nothing in the graph is called what was asked for (an entity lookup)
    │   └── AmbiguousName      a name (or a retired id) names several nodes; the candidates are listed, never guessed
    ├── QueryRefused           a researcher's query would write (SPARQL UPDATE, Cypher CREATE/MERGE/DELETE, schema)
    ├── QueryTimeout           a researcher's query ran past its time limit and was stopped
    ├── OutputError            an output file cannot be written (same file as an input, read-only or full disk)
    ├── BuildError             a build could not complete (the previous build keeps answering)
    │   ├── SourceFileError    a source file is malformed (file, line, field, expectation)
    │   └── ShrinkingBuild     a source lost too many records or skipped too many rows since its last build
    └── StoreError             a store could not do what was asked
        ├── StoreUnavailable   the store cannot be reached (Neo4j down, wrong URI)
        ├── StoreAuthError     the store refused the credentials
        ├── CorruptGraphFile   an embedded graph file is damaged or of an unknown format
        ├── NoBuild            the store holds no completed build yet
        └── UnknownBuild       a build id names no build the store keeps (the message lists the kept ones)
"""

from __future__ import annotations

import errno


class KGError(Exception):
    """Root of every error pmkg raises deliberately."""


class SchemaError(KGError):
    """A record breaks the schema; the message names the record and the rule."""


class ConfigError(KGError):
    """A setting is missing or malformed."""


class InputError(KGError):
    """What a user typed cannot be used; the message names the option and what was expected."""


class MalformedQuery(InputError):
    """A researcher's query does not parse; the message is the parser's."""


class NotFound(InputError):
    """Nothing in the graph is called what was asked for; the message says what was looked for and how.

    ``wanted`` is the text looked up; ``found_as`` (id, kind) names a node of another kind the text is the id of.
    """

    def __init__(self, message: str, *, wanted: str | None = None, found_as: tuple[str, str] | None = None) -> None:
        super().__init__(message)
        self.wanted = wanted
        self.found_as = found_as


class AmbiguousName(InputError):
    """A name names several nodes; ``candidates`` holds each one's (id, label, name), and the message lists them."""

    def __init__(self, message: str, candidates: list[tuple[str, str, str]]) -> None:
        super().__init__(message)
        self.candidates = candidates


class QueryRefused(KGError):
    """A researcher's query would change the graph; the graph changes only through builds and curation."""


class QueryTimeout(KGError):
    """A researcher's query ran past its time limit and was stopped (no partial answer is given)."""


class OutputError(KGError):
    """An output cannot be written; nothing partial is left behind."""


class BuildError(KGError):
    """A build could not complete; the previously completed build keeps answering."""


class SourceFileError(BuildError):
    """A source file is malformed at a known place."""

    def __init__(self, path: str, line: int | None, problem: str, *, field: str | None = None) -> None:
        self.path = path
        self.line = line
        self.field = field
        self.problem = problem
        where = path if line is None else f"{path}:{line}"
        if field:
            where = f"{where} (field {field!r})"
        super().__init__(f"{where}: {problem}")


class ShrinkingBuild(BuildError):
    """A source's record count fell, or its skip rate rose, beyond the allowed threshold (``--allow-shrink``)."""


class StoreError(KGError):
    """A store could not do what was asked."""


class StoreUnavailable(StoreError):
    """The store cannot be reached."""


class StoreAuthError(StoreError):
    """The store refused the credentials."""


class CorruptGraphFile(StoreError):
    """An embedded graph file is damaged, truncated or of an unknown format."""


class NoBuild(StoreError):
    """The store holds no completed build yet."""


class UnknownBuild(StoreError):
    """A build id (``--build``, ``pmkg rollback BUILD``) names no build the store keeps."""


def os_error_reason(exc: OSError) -> str:
    """An operating-system error in words, for a message that already names the file it was about."""
    what = exc.strerror or str(exc)
    if exc.errno == errno.ENOTDIR:
        what = "a regular file is in the way of a folder"
    elif exc.errno == errno.EISDIR:
        what = f"{exc.filename} is a folder, not a file"
    elif exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        what = "the disk is full or the file is too large"
    return what
