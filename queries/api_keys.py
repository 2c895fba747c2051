"""API keys and their roles: created once, shown once, stored only as hashes in a key file.

A key is ``pmkg_`` and 43 random URL-safe characters (256 bits).  The key file (JSON, mode 0600,
``PMKG_API_KEYS_FILE`` or ``PMKG_HOME/api-keys.json``) holds each key's name, role, creation time
and SHA-256 hash: a stolen file gives no usable key (a key this random needs no salt or slow
hash).  Roles are ordered: a ``reader`` reads, a ``curator`` also changes the graph (curation,
builds), an ``admin`` also manages keys.  The file is re-read when it changes, so a key created
or revoked while the server runs counts at once.

Used by ``pmkg api-key`` and by the HTTP API's authentication; never logs a key or a hash.

>>> Role.CURATOR.allows(Role.READER), Role.READER.allows(Role.CURATOR)
(True, False)
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from kg.errors import ConfigError, InputError

KEY_PREFIX = "pmkg_"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")


class Role(enum.StrEnum):
    READER = "reader"
    CURATOR = "curator"
    ADMIN = "admin"

    def allows(self, needed: Role) -> bool:
        """Whether this role may do what ``needed`` may."""
        order = list(Role)
        return order.index(self) >= order.index(needed)


@dataclass(frozen=True)
class ApiKey:
    name: str
    role: Role
    created: str
    digest: str

    def public(self) -> dict[str, str]:
        """What may be shown about a key: never its hash."""
        return {"name": self.name, "role": str(self.role), "created": self.created}


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class KeyFile:
    """The key file at ``path``: create, list, revoke and check keys."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._keys: list[ApiKey] = []

    def stored(self) -> list[ApiKey]:
        """Every key, re-read when the file changed."""
        with self._lock:
            try:
                stat = self.path.stat()
            except FileNotFoundError:
                self._stamp, self._keys = None, []
                return []
            stamp = (stat.st_ino, stat.st_mtime_ns)
            if stamp != self._stamp:
                self._keys = self._read()
                self._stamp = stamp
            return list(self._keys)

    def _read(self) -> list[ApiKey]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return [ApiKey(k["name"], Role(k["role"]), k["created"], k["sha256"]) for k in data["keys"]]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigError(
                f"{self.path}: the API key file cannot be read ({type(exc).__name__}); "
                "fix or remove it and create keys again with `pmkg api-key create`"
            ) from None

    def _write(self, keys: list[ApiKey]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"keys": [{**k.public(), "sha256": k.digest} for k in keys]}
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".api-keys-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=2)
            os.chmod(temporary, 0o600)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def create(self, name: str, role: Role) -> str:
        """A new key for ``name`` with ``role``; the key itself is returned once and never stored."""
        if not _NAME.match(name):
            raise InputError(
                f"key name {name!r}: use 1-100 letters, digits or . _ @ - (starting with a letter or digit)"
            )
        keys = self.stored()
        if any(k.name == name for k in keys):
            raise InputError(f"a key named {name!r} exists already; revoke it first or choose another name")
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        created = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        with self._lock:
            self._write([*keys, ApiKey(name, role, created, _digest(key))])
        return key

    def revoke(self, name: str) -> None:
        keys = self.stored()
        if not any(k.name == name for k in keys):
            raise InputError(f"no key is named {name!r}; `pmkg api-key list` shows the names")
        with self._lock:
            self._write([k for k in keys if k.name != name])

    def check(self, key: str) -> ApiKey | None:
        """The key's record, or None when no stored key has this value."""
        digest = _digest(key)
        found = None
        for stored in self.stored():
            if hmac.compare_digest(stored.digest, digest):
                found = stored
        return found
