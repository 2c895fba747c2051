"""The embedded graph's on-disk container: a versioned, checksummed file of flat arrays.

Layout (little-endian)::

    b"PMKGRAPH" | u32 format version | u32 header length | u32 header CRC-32 | u32 0
    header: JSON {"meta": {...}, "sections": {name: {dtype, offset, count, crc32}}}
    sections: raw array bytes, each aligned to 64 bytes

Opening memory-maps the file and checks magic, version, header checksum, that every
section lies inside the file, that its dtype is on an allow-list, and each section's
CRC-32; any failure raises :class:`~kg.errors.CorruptGraphFile` naming the file and the
part.  Nothing is unpickled, so a hostile file can at worst be rejected.  Writing goes to a
temporary file in the same folder, is flushed to disk, then renamed over the target, so a
crash while saving never damages the graph in use.

Reading (:func:`map_graph_file`) hands out plain typed ``memoryview`` s and never imports numpy:
importing numpy is 50-150 ms of a command's first answer (more in CPU: its BLAS starts threads),
and the store's lookups index one element at a time, which a memoryview does faster than an
ndarray.  Writing (and :func:`read_graph_file`, the ndarray form for tools and tests) imports it.
"""

from __future__ import annotations

import json
import mmap
import os
import struct
import sys
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from kg.errors import CorruptGraphFile

if TYPE_CHECKING:
    import numpy as np

MAGIC = b"PMKGRAPH"
FORMAT_VERSION = 1
_PREFIX = struct.Struct("<8sIIII")
_ALIGN = 64
# Each storable dtype, as numpy names it in the header, and the memoryview format reading it.
_IntFormat = Literal["q", "i", "I", "b", "B"]
_FORMATS: dict[str, _IntFormat] = {"<i8": "q", "<i4": "i", "<u4": "I", "|i1": "b", "|u1": "B"}
_ALLOWED_DTYPES = frozenset(_FORMATS)
_CRC_CHUNK = 64 << 20


def _crc32(buffer: memoryview) -> int:
    crc = 0
    for start in range(0, len(buffer), _CRC_CHUNK):
        crc = zlib.crc32(buffer[start : start + _CRC_CHUNK], crc)
    return crc


def bytes_of(array: np.ndarray) -> memoryview:
    """The raw bytes of a contiguous array, without copying."""
    return memoryview(array.data).cast("B")


def _typed(chunk: memoryview, dtype: str) -> memoryview[int]:
    """``chunk`` (little-endian bytes) as a sequence of ``dtype`` items, without copying where the machine is
    little-endian too."""
    fmt = _FORMATS[dtype]
    if sys.byteorder == "little" or fmt in ("b", "B"):
        return chunk.cast(fmt)
    import array

    swapped = array.array(fmt, bytes(chunk))
    swapped.byteswap()
    return memoryview(swapped)


def _pad(length: int) -> int:
    return (-length) % _ALIGN


def write_graph_file(path: Path, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
    """Write ``arrays`` and ``meta`` to ``path`` atomically (temporary file, fsync, rename)."""
    import numpy as np

    sections: dict[str, dict[str, Any]] = {}
    contiguous = {name: np.ascontiguousarray(array) for name, array in arrays.items()}
    for name, array in contiguous.items():
        dtype = array.dtype.str
        if dtype not in _ALLOWED_DTYPES:
            raise ValueError(f"section {name!r}: dtype {dtype} is not storable")
        sections[name] = {
            "dtype": dtype,
            "count": int(array.size),
            "crc32": _crc32(bytes_of(array)),
        }
    # Offsets depend on the header's length and the header holds the offsets: reserve room
    # for the header, lay the sections out after it, and grow the room until the header fits;
    # the header is then padded with spaces (valid JSON) to exactly the room reserved.
    room = 0
    while True:
        offset = _PREFIX.size + room
        offset += _pad(offset)
        for name, array in contiguous.items():
            sections[name]["offset"] = offset
            offset += array.nbytes + _pad(array.nbytes)
        header = json.dumps({"meta": meta, "sections": sections}, sort_keys=True).encode()
        if len(header) <= room:
            header = header.ljust(room)
            break
        room = len(header) + _ALIGN
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as out:
            out.write(_PREFIX.pack(MAGIC, FORMAT_VERSION, len(header), zlib.crc32(header), 0))
            out.write(header)
            position = _PREFIX.size + len(header)
            for name, array in contiguous.items():
                gap = sections[name]["offset"] - position
                out.write(b"\0" * gap)
                out.write(bytes_of(array))
                position = sections[name]["offset"] + array.nbytes
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def map_graph_file(path: Path, *, verify: bool = True) -> tuple[dict[str, Any], dict[str, memoryview[int]]]:
    """Open ``path`` read-only, memory-mapped; return its meta and its sections as typed memoryviews."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size < _PREFIX.size:
                raise CorruptGraphFile(f"{path}: file is {size} bytes, too short to be a pmkg graph")
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except OSError as exc:
        raise CorruptGraphFile(f"{path}: cannot open graph file: {exc.strerror or exc}") from None
    magic, version, header_len, header_crc, _ = _PREFIX.unpack_from(mapped, 0)
    if magic != MAGIC:
        raise CorruptGraphFile(f"{path}: not a pmkg graph file (bad magic {magic!r})")
    if version != FORMAT_VERSION:
        raise CorruptGraphFile(
            f"{path}: graph format version {version}, this pmkg reads version {FORMAT_VERSION}; "
            "rebuild with `pmkg build`"
        )
    header_end = _PREFIX.size + header_len
    if header_end > size:
        raise CorruptGraphFile(f"{path}: header runs past the end of the file (truncated?)")
    header_bytes = mapped[_PREFIX.size : header_end]
    if zlib.crc32(header_bytes) != header_crc:
        raise CorruptGraphFile(f"{path}: header checksum mismatch (file damaged)")
    try:
        header = json.loads(header_bytes)
        meta, sections = header["meta"], header["sections"]
    except (ValueError, KeyError, TypeError) as exc:
        raise CorruptGraphFile(f"{path}: header is not valid: {exc}") from None
    arrays: dict[str, memoryview[int]] = {}
    view = memoryview(mapped)
    for name, section in sections.items():
        dtype, offset, count = section.get("dtype"), section.get("offset"), section.get("count")
        if dtype not in _ALLOWED_DTYPES or not isinstance(offset, int) or not isinstance(count, int):
            raise CorruptGraphFile(f"{path}: section {name!r} has an invalid description {section!r}")
        nbytes = struct.calcsize("<" + _FORMATS[dtype]) * count
        if offset < header_end or offset + nbytes > size:
            raise CorruptGraphFile(f"{path}: section {name!r} lies outside the file (truncated?)")
        chunk = view[offset : offset + nbytes]
        if verify and _crc32(chunk) != section.get("crc32"):
            raise CorruptGraphFile(f"{path}: section {name!r} checksum mismatch (file damaged)")
        arrays[name] = _typed(chunk, dtype)
    return meta, arrays


def read_graph_file(path: Path, *, verify: bool = True) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """:func:`map_graph_file` with each section as a read-only numpy array (for tools and tests)."""
    import numpy as np

    meta, sections = map_graph_file(path, verify=verify)
    return meta, {name: np.frombuffer(view, dtype=np.dtype(view.format)) for name, view in sections.items()}
