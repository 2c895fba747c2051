"""Download source releases into the cache: network, timeouts, checksums, versions.

Kept apart from parsing (which is offline and pure).  A download goes to a temporary file,
is checksummed, then renamed into place, so an interrupted fetch never leaves a half file
where a loader would read it.  Every network call has a timeout; being offline gives a
:class:`~kg.errors.SourceFileError` saying which URL failed and how to provide the file by hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import urllib.error
import urllib.request
from pathlib import Path

from kg.errors import SourceFileError
from loaders.base import SourceSpec

logger = logging.getLogger(__name__)

TIMEOUT_S = 60
_CHUNK = 1 << 20


def fetch_url(url: str, target: Path, *, timeout: float = TIMEOUT_S) -> str:
    """Download ``url`` to ``target`` atomically; return the SHA-256 of what was written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    digest = hashlib.sha256()
    request = urllib.request.Request(url, headers={"User-Agent": "pmkg (+https://github.com/pmkg)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response, open(tmp, "wb") as out:
            for chunk in iter(lambda: response.read(_CHUNK), b""):
                digest.update(chunk)
                out.write(chunk)
        os.replace(tmp, target)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SourceFileError(
            url,
            None,
            f"download failed ({reason}); are you offline? Download it yourself and pass "
            f"`pmkg build --add NAME={target.parent}`",
        ) from None
    finally:
        tmp.unlink(missing_ok=True)
    return digest.hexdigest()


def fetch_source(spec: SourceSpec, cache_dir: Path, *, timeout: float = TIMEOUT_S) -> Path:
    """Fetch every file of ``spec`` into ``cache_dir/<name>/`` and record what was fetched."""
    folder = cache_dir / spec.name
    fetched = {}
    for logical, url in spec.files.items():
        target = folder / url.rsplit("/", 1)[-1]
        logger.info("fetching %s %s from %s", spec.name, logical, url)
        fetched[logical] = {"url": url, "file": target.name, "sha256": fetch_url(url, target, timeout=timeout)}
    stamp = dt.datetime.now(dt.UTC).date().isoformat()
    (folder / "FETCHED.json").write_text(
        json.dumps({"source": spec.name, "retrieved": stamp, "files": fetched}, indent=2)
    )
    return folder
