"""PharmCAT / CPIC pharmacogenomics: star alleles, phenotypes and CPIC dosing recommendations.

Reads the JSON files PharmCAT ships (https://github.com/PharmGKB/PharmCAT, MPL-2.0; the
content is CPIC's, CC0):

* ``definition/alleles/<GENE>_translation.json`` — named (star) alleles and the GRCh38
  positions, rs ids and bases that define them → ``Allele`` nodes (:mod:`loaders.pharmcat_alleles`);
* ``phenotype/<GENE>.json`` — allele function and activity value, diplotype → phenotype
  (and activity score) → ``Phenotype`` nodes;
* ``reporter/guidelines/CPIC_<drugs>_and_<genes>.json`` — CPIC recommendations per drug and
  phenotype or activity score → ``Recommendation`` and ``Drug`` nodes (:mod:`loaders.cpic`).

Each input is a folder (searched recursively), a ``.tar.gz`` (the bundled starter, GitHub's
source archives) or a ``.zip``/``.jar``; files are recognised by name (``*_translation.json``,
``CPIC_*.json``, ``*.json`` inside a ``phenotype``/``phenotypes`` folder), and anything under a
``test`` folder is ignored.  Provenance record ids are ``<file name>#<record id>`` (the
PharmGKB accession of an allele or recommendation, the phenotype name of a phenotype) with the
line of that id in the file, and each record carries its file's own data version.

It never guesses a phenotype or an action the files do not support: an unmappable
recommendation is a bad row, not a default.  It never touches the network (``pmkg fetch``
downloads ``spec.files``).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import logging
import tarfile
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Self

import orjson

from kg.errors import SourceFileError
from kg.records import Record
from loaders.base import SourceSpec, local_version
from loaders.cpic import recommendation_records
from loaders.genes import GeneResolver, GeneResolvingLoader
from loaders.pharmcat_alleles import (
    Emitter,
    SourceJson,
    allele_records,
    phenotype_records,
    read_phenotype_table,
    single_allele_memberships,
    table_only_alleles,
)

logger = logging.getLogger(__name__)

PHARMCAT_DATA_VERSION = "2025-11-05-00-25"  # allele definitions and phenotypes (PharmCAT 3.1.x)
CPIC_GUIDELINES_VERSION = "2023-12-05-00-25"  # the last PharmCAT tree with per-guideline CPIC JSON
STARTER_FILES = {"pharmcat_data": "pharmcat-data.tar.gz", "cpic_guidelines": "cpic-guidelines.tar.gz"}
KINDS = ("phenotype", "translation", "guideline")
INPUT_KINDS = {"pharmcat_data": ("translation", "phenotype"), "cpic_guidelines": ("guideline",)}
_WHAT = {
    "translation": "allele definitions (*_translation.json)",
    "phenotype": "phenotype tables (phenotype/<GENE>.json)",
    "guideline": "CPIC guideline files (CPIC_*.json)",
}


def member_kind(relative: str) -> str | None:
    """Which PharmCAT file ``relative`` (a path inside a folder or archive) is, if any."""
    path = PurePosixPath(relative)
    if path.suffix != ".json" or any(part in ("test", "tests") for part in path.parts[:-1]):
        return None
    if path.name.endswith("_translation.json"):
        return "translation"
    if path.name.startswith("CPIC_"):
        return "guideline"
    if len(path.parts) >= 2 and path.parts[-2] in ("phenotype", "phenotypes"):
        return "phenotype"
    return None


def iter_members(path: Path) -> Iterator[tuple[str, str, bytes]]:
    """``(relative path, where, bytes)`` of every PharmCAT JSON file in a folder or archive."""
    if path.is_dir():
        for file in sorted(path.rglob("*.json")):
            relative = file.relative_to(path).as_posix()
            if member_kind(relative):
                yield relative, str(file), file.read_bytes()
        return
    try:
        if tarfile.is_tarfile(path):
            with tarfile.open(path, "r:*") as archive:
                for member in archive:
                    if member.isfile() and member_kind(member.name):
                        handle = archive.extractfile(member)
                        if handle is not None:
                            yield member.name, f"{path}!{member.name}", handle.read()
        elif zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    if member_kind(name):
                        yield name, f"{path}!{name}", archive.read(name)
        else:
            raise SourceFileError(str(path), None, "expected a folder, a .tar.gz or a .zip/.jar of PharmCAT files")
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise SourceFileError(str(path), None, f"archive is truncated or corrupt ({exc})") from None


def parse_json(where: str, relative: str, raw: bytes) -> SourceJson:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceFileError(where, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise SourceFileError(where, exc.lineno, f"not valid JSON ({exc.msg}); is the file truncated?") from None
    return SourceJson(where, PurePosixPath(relative).name, text, data)


def _starter_dir() -> Path:
    return Path(str(importlib.resources.files("loaders") / "starter" / "pharmcat"))


class PharmCatLoader(GeneResolvingLoader):
    """Star alleles, phenotypes and CPIC recommendations from PharmCAT's data files."""

    spec = SourceSpec(
        name="pharmcat",
        title="PharmCAT allele definitions and phenotypes with CPIC guideline recommendations",
        license="MPL-2.0 AND CC0-1.0",
        license_url="https://github.com/PharmGKB/PharmCAT/blob/development/LICENSE",
        redistributable=True,
        homepage="https://pharmcat.clinpgx.org/",
        files={
            # PharmCAT source archives: definitions/phenotypes of release 3.1.1 (data 2025-11-05);
            # the per-guideline CPIC JSON of the 2023-12-19 tree (data 2023-12-05).
            "pharmcat_data": "https://github.com/PharmGKB/PharmCAT/archive/refs/tags/v3.1.1.tar.gz",
            "cpic_guidelines": "https://github.com/PharmGKB/PharmCAT/archive/5cb671756393.tar.gz",
        },
        attribution=(
            "PharmCAT (PharmGKB/ClinPGx, MPL-2.0). CPIC® guideline content (cpicpgx.org, CC0 1.0): "
            "CPIC guidelines are updated; check cpicpgx.org for current recommendations."
        ),
    )

    def __init__(
        self,
        paths: Mapping[str, Path],
        *,
        version: str,
        skip_bad_rows: bool = False,
        genes: GeneResolver | None = None,
    ) -> None:
        super().__init__(paths, version=version, skip_bad_rows=skip_bad_rows, genes=genes)
        self.unresolved_genes: set[str] = set()

    @classmethod
    def starter(cls, *, skip_bad_rows: bool = False) -> Self:
        """The loader on the bundled PharmCAT data (2025-11-05) and CPIC guidelines (2023-12-05)."""
        folder = _starter_dir()
        paths = {name: folder / file for name, file in STARTER_FILES.items()}
        return cls(paths, version=f"{PHARMCAT_DATA_VERSION}; CPIC guidelines {CPIC_GUIDELINES_VERSION}",
                   skip_bad_rows=skip_bad_rows)  # fmt: skip

    @classmethod
    def from_path(cls, path: Path, *, version: str | None = None, skip_bad_rows: bool = False) -> Self:
        """A loader over a folder (PharmCAT's tree, a fetch folder) or one archive holding every file."""
        path = Path(path)
        if not path.exists():
            raise SourceFileError(str(path), None, f"no such file or folder for source {cls.spec.name!r}")
        paths = cls.locate(path) if path.is_dir() else dict.fromkeys(cls.required_files(), path)
        loader = cls(paths, version=version or "", skip_bad_rows=skip_bad_rows)
        loader.version = version or loader.data_version() or local_version(path)
        return loader

    @classmethod
    def locate(cls, folder: Path) -> dict[str, Path]:
        """The fetched archives in ``folder`` if there, else ``folder`` itself (searched recursively)."""
        found: dict[str, Path] = {}
        for logical, url in cls.spec.files.items():
            candidate = folder / url.rsplit("/", 1)[-1]
            found[logical] = candidate if candidate.is_file() else folder
        return found

    def _inputs(self) -> dict[Path, set[str]]:
        """Each distinct input and the kinds of file taken from it (a PharmCAT source archive
        holds definitions and guidelines of its own date: take from each only its part)."""
        inputs: dict[Path, set[str]] = {}
        for name in self.required_files():
            inputs.setdefault(self.paths[name], set()).update(INPUT_KINDS[name])
        return inputs

    @functools.cached_property
    def checksum(self) -> str:
        digest = hashlib.sha256()
        for path in self._inputs():
            if path.is_dir():
                for relative, _, raw in iter_members(path):
                    digest.update(relative.encode())
                    digest.update(raw)
            else:
                digest.update(path.name.encode())
                with open(path, "rb") as handle:
                    for chunk in iter(lambda: handle.read(1 << 20), b""):
                        digest.update(chunk)
        return f"sha256:{digest.hexdigest()}"

    def documents(self) -> dict[str, list[SourceJson]]:
        """Every PharmCAT file of the inputs by kind, in file-name order; SourceFileError if a kind is missing."""
        raw: dict[str, dict[str, tuple[str, str, bytes]]] = {kind: {} for kind in KINDS}
        for path, kinds in self._inputs().items():
            for relative, where, data in iter_members(path):
                kind = member_kind(relative)
                name = PurePosixPath(relative).name
                if kind not in kinds:
                    continue
                if name in raw[kind]:
                    logger.warning("pharmcat: %s appears twice; using %s, ignoring %s", name, raw[kind][name][1], where)
                    continue
                raw[kind][name] = (relative, where, data)
        for kind in KINDS:
            if not raw[kind]:
                places = ", ".join(str(p) for p, kinds in self._inputs().items() if kind in kinds)
                raise SourceFileError(places, None, f"no PharmCAT {_WHAT[kind]} found; expected PharmCAT's data "
                                      "files (a PharmCAT source archive or its folders)")  # fmt: skip
        return {
            kind: [parse_json(where, relative, data) for _, (relative, where, data) in sorted(raw[kind].items())]
            for kind in KINDS
        }

    def data_version(self) -> str:
        """``<definitions version>; CPIC guidelines <version>`` as the files state them ("" if they do not)."""
        docs = self.documents()
        defs = next((d.version for d in docs["translation"] if d.version), "")
        guidelines = next((d.version for d in docs["guideline"] if d.version), "")
        return f"{defs}; CPIC guidelines {guidelines}" if defs and guidelines else defs or guidelines

    def parse(self) -> Iterator[Record]:
        genes = self.genes
        emitter = Emitter(self.spec.name, self.spec.license, self.version, genes.resolve, genes.symbol, self.bad)
        docs = self.documents()
        for doc in docs["phenotype"]:
            table = read_phenotype_table(doc, self.bad)
            if table.gene in emitter.tables:
                raise doc.error(
                    1, f"a second phenotype file for {table.gene} (first: {emitter.tables[table.gene].doc.where})"
                )
            emitter.tables[table.gene] = table
        for table in emitter.tables.values():
            yield from phenotype_records(table, emitter)
        seen: dict[str, set[str]] = {}
        for doc in docs["translation"]:
            gene = str(doc.require(("gene",), "a PharmCAT allele definition file")["gene"])
            yield from allele_records(doc, emitter.tables.get(gene), emitter, seen.setdefault(gene, set()))
        for table in emitter.tables.values():
            yield from table_only_alleles(table, emitter, seen.setdefault(table.gene, set()))
            yield from single_allele_memberships(table, emitter)
        for doc in docs["guideline"]:
            yield from recommendation_records(doc, emitter)
        self.unresolved_genes = emitter.unresolved_genes
        if emitter.unresolved_genes:
            logger.warning("pharmcat: genes without an HGNC id (no IN_GENE): %s", sorted(emitter.unresolved_genes))
