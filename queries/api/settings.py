"""The HTTP API's settings: environment variables with the ``PMKG_`` prefix (pydantic-settings).

Read through :func:`get_api_settings` (cached), never at import.  The store itself (which kind,
the Neo4j URI and credentials) is configured by :mod:`kg.settings`; this module holds only what
the server adds.  Secrets are :class:`~pydantic.SecretStr`, so no repr or log line shows them.

=============================  ==============================================  ===================
variable                       meaning                                         default
=============================  ==============================================  ===================
``PMKG_API_HOST``              address ``pmkg serve`` binds                    ``127.0.0.1``
``PMKG_API_PORT``              port ``pmkg serve`` listens on                  ``8000``
``PMKG_API_WORKERS``           uvicorn worker processes                        ``1``
``PMKG_API_OPEN_READS``        reads need no key when the server is bound to   ``true``
                               a loopback address (writes always need a role)
``PMKG_API_KEYS_FILE``         hashed API keys (``pmkg api-key create``)       ``PMKG_HOME/api-keys.json``
``PMKG_API_CORS_ORIGINS``      origins allowed by CORS (JSON list or commas);  empty (CORS off)
                               empty turns CORS off
``PMKG_API_REQUEST_TIMEOUT``   seconds a request may take before a 504         ``60``
``PMKG_API_MAX_UPLOAD_MB``     largest upload to ``/v1/annotate`` and          ``200``
                               ``/v1/pgx``, in MB (checked while streaming)
``PMKG_API_BATCH_PATIENTS``    most patients in one ``/v1/match/batch``        ``1000``
``PMKG_API_BATCH_VARIANTS``    most variants in one ``/v1/match/batch``        ``100000``
=============================  ==============================================  ===================
"""

from __future__ import annotations

import functools
import ipaddress
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from kg.errors import ConfigError


class ApiSettings(BaseSettings):
    """What ``pmkg serve`` and the app read from the environment (see the module docstring)."""

    model_config = SettingsConfigDict(env_prefix="PMKG_API_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)
    workers: int = Field(1, ge=1, le=64)
    open_reads: bool = True
    keys_file: Path | None = None
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    request_timeout: float = Field(60.0, gt=0)
    max_upload_mb: float = Field(200.0, gt=0)
    batch_patients: int = Field(1000, ge=1)
    batch_variants: int = Field(100_000, ge=1)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                import json

                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    def key_file(self, home: Path) -> Path:
        return self.keys_file if self.keys_file is not None else home / "api-keys.json"

    @property
    def loopback(self) -> bool:
        """True when the bind address only accepts connections from this machine."""
        if self.host in ("localhost", ""):
            return self.host == "localhost"
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


@functools.cache
def get_api_settings() -> ApiSettings:
    """The settings from the environment; a malformed variable is a ConfigError naming it."""
    try:
        return ApiSettings()
    except ValidationError as exc:
        problems = "; ".join(
            f"PMKG_API_{'_'.join(str(p) for p in e['loc']).upper()} {e['msg'].lower()}" for e in exc.errors()
        )
        raise ConfigError(f"bad server setting: {problems}") from None
