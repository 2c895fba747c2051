"""Uploaded files as the readers want them: saved under their own name in a private folder for one request.

The readers of ``pmkg annotate`` and ``pmkg pgx`` take paths (they sniff ``.gz``, the suffix and
the header), so an upload is copied in chunks into a folder made for this request (mode 0700)
and deleted, with everything in it, when the request ends: patient files are never kept.
Messages that name a file then name it as the caller sent it, not by its temporary path.

The body-size limit is enforced while the request streams in (:mod:`queries.api.middleware`).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi import UploadFile

from kg.errors import InputError, SourceFileError

_CHUNK = 1 << 20
_SAFE = re.compile(r"[^A-Za-z0-9._+-]")


def upload_name(upload: UploadFile, fallback: str) -> str:
    """The upload's file name without any folder, reduced to safe characters (``../x y.vcf`` → ``x_y.vcf``)."""
    raw = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = _SAFE.sub("_", raw).lstrip(".")
    return name or fallback


@contextmanager
def saved_uploads(uploads: Sequence[tuple[UploadFile, str]]) -> Iterator[tuple[Path, list[Path]]]:
    """Save each ``(upload, fallback name)``; yields the folder and the paths, removes them afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="pmkg-upload-"))
    try:
        paths: list[Path] = []
        for upload, fallback in uploads:
            name = upload_name(upload, fallback)
            path = folder / name
            if path.exists():  # two uploads with one name: keep both
                path = folder / f"{len(paths)}-{name}"
            with path.open("wb") as out:
                shutil.copyfileobj(upload.file, out, _CHUNK)
            if path.stat().st_size == 0:
                raise InputError(f"{name}: the uploaded file is empty")
            paths.append(path)
        yield folder, paths
    except SourceFileError as exc:  # name the file as the caller sent it
        raise SourceFileError(
            without_folder(exc.path, folder), exc.line, without_folder(exc.problem, folder), field=exc.field
        ) from None
    except InputError as exc:
        raise InputError(without_folder(str(exc), folder)) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def without_folder(answer: Any, folder: Path) -> Any:
    """``answer`` with the private folder removed from every string (``/tmp/pmkg-upload-x/a.vcf`` → ``a.vcf``)."""
    prefix = f"{folder}/"
    if isinstance(answer, str):
        return answer.replace(prefix, "")
    if isinstance(answer, list):
        return [without_folder(item, folder) for item in answer]
    if isinstance(answer, dict):
        return {key: without_folder(value, folder) for key, value in answer.items()}
    return answer
