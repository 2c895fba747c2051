"""Reading NCI Thesaurus OWL (RDF/XML in NCI's own vocabulary), shared by the NCIt disease and drug loaders.

Each concept is a top-level ``owl:Class`` whose annotations are NCI property codes (``P108``
preferred name, ``P90`` synonyms, ``P106`` semantic types …); the ``owl:Axiom`` elements that
follow a class qualify its synonyms (``P383`` term type, ``P384`` source).  The helpers here
stream top-level elements and clear each one once read; they must never load a whole release
(~1 GB) into memory.
"""

from __future__ import annotations

import gzip
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, cast
from xml.etree import ElementTree

from kg.errors import SourceFileError

NCIT = "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl#"
OWL = "http://www.w3.org/2002/07/owl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
CLASS = f"{{{OWL}}}Class"
AXIOM = f"{{{OWL}}}Axiom"
ABOUT = f"{{{RDF}}}about"
RESOURCE = f"{{{RDF}}}resource"
ATTRIBUTION = (
    "NCI Thesaurus, National Cancer Institute Enterprise Vocabulary Services, "
    "https://evs.nci.nih.gov, licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)."
)


def ncit_tag(code: str) -> str:
    """The element tag of NCI property ``code`` (``P108``)."""
    return f"{{{NCIT}}}{code}"


def owl_texts(concept: ElementTree.Element, code: str) -> list[str]:
    """The distinct non-empty texts of property ``code`` on ``concept``, in order."""
    return list(dict.fromkeys(t.strip() for e in concept.findall(ncit_tag(code)) if (t := e.text) and t.strip()))


def top_level_elements(handle: IO[bytes], path: Path) -> Iterator[ElementTree.Element]:
    """Each top-level element (classes, axioms …), cleared from memory once the caller moves on."""
    depth = 0
    root: ElementTree.Element | None = None
    try:
        for event, element in ElementTree.iterparse(handle, events=("start", "end")):
            if event == "start":
                depth += 1
                if root is None:
                    root = element
                continue
            depth -= 1
            if depth == 1:
                yield element
                if root is not None:
                    root.clear()
    except ElementTree.ParseError as exc:
        line, column = exc.position
        raise SourceFileError(
            str(path), line, f"not well-formed RDF/XML at column {column} ({exc}); is the file truncated?"
        ) from None
    except (EOFError, OSError, zipfile.BadZipFile) as exc:
        raise SourceFileError(str(path), None, f"cannot read the file ({exc}); is it truncated?") from None
    if root is None or depth != 0:
        raise SourceFileError(str(path), None, "the file holds no complete RDF/XML document; is it truncated?")


@contextmanager
def open_owl(path: Path) -> Iterator[IO[bytes]]:
    """The OWL bytes of ``path``: a ``.owl`` file, gzipped, or the ``.owl`` member of a zip."""
    try:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                members = [n for n in archive.namelist() if n.lower().endswith(".owl")]
                if len(members) != 1:
                    raise SourceFileError(str(path), None, f"expected one .owl file in the zip, found {members}")
                with archive.open(members[0]) as handle:
                    yield handle
        elif path.suffix == ".gz":
            with gzip.open(path, "rb") as gz:
                yield cast(IO[bytes], gz)
        else:
            with open(path, "rb") as handle:
                yield handle
    except zipfile.BadZipFile as exc:
        raise SourceFileError(str(path), None, f"not a readable zip archive ({exc})") from None
