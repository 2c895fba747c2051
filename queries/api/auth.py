"""Who may call what: API keys with roles (:mod:`queries.api_keys`), sent as ``X-API-Key: pmkg_…``.

* Reads (match, search, entity pages …) are open without a key when the server is bound to a loopback
  address and ``PMKG_API_OPEN_READS`` is true (the default); otherwise they need a key of any role.
* Writes (curation, builds, keys) always need a key whose role allows them: 401 without a key or
  with an unknown one, 403 with a key of too small a role.

Never logs a key.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader
from starlette.concurrency import run_in_threadpool

from queries.api.deps import SettingsDep
from queries.api.errors import ApiProblem
from queries.api_keys import ApiKey, KeyFile, Role

HEADER = "X-API-Key"
_scheme = APIKeyHeader(name=HEADER, auto_error=False, description="An API key made by `pmkg api-key create`")


def key_file(request: Request) -> KeyFile:
    keys: KeyFile = request.app.state.key_file
    return keys


def _caller(request: Request, given: str | None) -> ApiKey | None:
    if not given:
        return None
    found = key_file(request).check(given.strip())
    if found is None:
        raise ApiProblem(
            401,
            f"the {HEADER} header holds no valid key; ask an admin for one (`pmkg api-key create`)",
            slug="unauthorized",
            headers={"WWW-Authenticate": HEADER},
        )
    return found


def require(role: Role) -> Any:
    """A dependency: the caller's key must allow ``role`` (reads may be open, see the module docstring)."""

    async def check(
        request: Request, settings: SettingsDep, given: Annotated[str | None, Security(_scheme)] = None
    ) -> ApiKey | None:
        # async: an open read costs no worker-thread hop; a key given is checked against the key file in a thread
        caller = await run_in_threadpool(_caller, request, given) if given else None
        if caller is None:
            if role == Role.READER and settings.open_reads and settings.loopback:
                return None
            raise ApiProblem(
                401,
                f"this needs an API key with the {role} role in the {HEADER} header",
                slug="unauthorized",
                headers={"WWW-Authenticate": HEADER},
            )
        if not caller.role.allows(role):
            raise ApiProblem(
                403, f"the key {caller.name!r} has the {caller.role} role; this needs {role}", slug="forbidden"
            )
        return caller

    return Depends(check)


READ = require(Role.READER)
CURATE = require(Role.CURATOR)
ADMINISTER = require(Role.ADMIN)
