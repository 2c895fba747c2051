"""Settings from the environment (prefix ``PMKG_``), read through a cached getter.

Nothing is read at import time.  Tests that change the environment call
``get_settings.cache_clear()``.

=========================  ==========================================  =====================
variable                   meaning                                     default
=========================  ==========================================  =====================
``PMKG_HOME``              embedded graph, caches and fetched files    the user data folder
``PMKG_STORE``             ``embedded`` or ``neo4j``                   ``embedded``
``PMKG_NEO4J_URI``         ``bolt://``, ``neo4j://``, ``neo4j+s://`` …  ``bolt://127.0.0.1:7687``
``PMKG_NEO4J_USER``        Neo4j user                                  ``neo4j``
``PMKG_NEO4J_PASSWORD``    Neo4j password (empty: no authentication)   empty
``PMKG_NEO4J_DATABASE``    Neo4j database name                         ``neo4j``
``PMKG_MAX_SHRINK``        share of a source's records a new build     ``0.5``
                           may lose before it is refused
``PMKG_MAX_SKIP_RATE``     share of a source's rows that may be        ``0.05``
                           skipped as bad (``--skip-bad-rows``)
``PMKG_KEEP_BUILDS``       builds kept for ``pmkg rollback`` and        ``3``
                           ``--build``, the current one included
``PMKG_CURATION_REQUIRE_   two-person review: ``pmkg curate apply``     no
APPROVAL``                 only stages; another curator approves
``PMKG_SPARQL_IN_MEMORY``  ``pmkg serve``'s SPARQL workers copy the    yes
                           RDF view into memory in the background
                           (about 420 MB and 5 s each for the
                           starter graph; the disk answers until the
                           copy is made; most queries 1.5-5x faster)
=========================  ==========================================  =====================

The Neo4j password never shows in a repr (logs, tracebacks, debuggers):

>>> Settings(Path("/tmp"), "neo4j", "bolt://h:7687", "neo4j", "s3cret!", "neo4j")  # doctest: +ELLIPSIS
Settings(home=PosixPath('/tmp'), store='neo4j', ..., neo4j_password='********', ...)
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, fields
from pathlib import Path

from kg.errors import ConfigError

STORE_KINDS = ("embedded", "neo4j")


@dataclass(frozen=True)
class Settings:
    home: Path
    store: str
    neo4j_uri: str
    neo4j_user: str
    neo4j_password: str
    neo4j_database: str
    max_shrink: float = 0.5
    max_skip_rate: float = 0.05
    keep_builds: int = 3
    # Two-person review: `pmkg curate apply` only stages, and another curator approves (PMKG_CURATION_REQUIRE_APPROVAL).
    curation_require_approval: bool = False
    # pmkg serve's SPARQL workers answer from a copy of the RDF view in memory (PMKG_SPARQL_IN_MEMORY).
    sparql_in_memory: bool = True

    def __repr__(self) -> str:
        shown = {f.name: getattr(self, f.name) for f in fields(self)}
        if shown["neo4j_password"]:
            shown["neo4j_password"] = "********"
        return f"Settings({', '.join(f'{name}={value!r}' for name, value in shown.items())})"

    @property
    def graph_dir(self) -> Path:
        return self.home / "graph"

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    @property
    def rdf_dir(self) -> Path:
        """Where the RDF views of builds live (one folder per build id, see :mod:`kg.stores.rdf`)."""
        return self.home / "rdf"


@functools.cache
def get_settings() -> Settings:
    env = os.environ
    home = env.get("PMKG_HOME")
    if home:
        home_path = Path(home).expanduser()
    else:
        import platformdirs

        home_path = Path(platformdirs.user_data_dir("pmkg"))
    store = env.get("PMKG_STORE", "embedded").strip().lower()
    if store not in STORE_KINDS:
        raise ConfigError(f"PMKG_STORE is {store!r}; expected one of {', '.join(STORE_KINDS)}")
    return Settings(
        home=home_path,
        store=store,
        neo4j_uri=env.get("PMKG_NEO4J_URI", "bolt://127.0.0.1:7687"),
        neo4j_user=env.get("PMKG_NEO4J_USER", "neo4j"),
        neo4j_password=env.get("PMKG_NEO4J_PASSWORD", ""),
        neo4j_database=env.get("PMKG_NEO4J_DATABASE", "neo4j"),
        max_shrink=_share(env, "PMKG_MAX_SHRINK", 0.5),
        max_skip_rate=_share(env, "PMKG_MAX_SKIP_RATE", 0.05),
        keep_builds=_keep_builds(env),
        curation_require_approval=_flag(env, "PMKG_CURATION_REQUIRE_APPROVAL"),
        sparql_in_memory=_flag(env, "PMKG_SPARQL_IN_MEMORY", default=True),
    )


def _flag(env: os._Environ[str], name: str, *, default: bool = False) -> bool:
    """A yes/no setting: 1/true/yes/on or 0/false/no/off (unset: ``default``)."""
    text = env.get(name, "").strip().lower()
    if not text:
        return default
    if text in ("0", "false", "no", "off"):
        return False
    if text in ("1", "true", "yes", "on"):
        return True
    raise ConfigError(f"{name} is {text!r}; expected yes or no (1/true/yes/on, 0/false/no/off)")


def _keep_builds(env: os._Environ[str]) -> int:
    """``PMKG_KEEP_BUILDS``: a whole number of builds, at least 1 (the current one)."""
    text = env.get("PMKG_KEEP_BUILDS", "").strip()
    if not text:
        return 3
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise ConfigError(
            f"PMKG_KEEP_BUILDS is {text!r}; expected a whole number of builds, at least 1 (the current one), e.g. 3"
        )
    return int(text)


def _share(env: os._Environ[str], name: str, default: float) -> float:
    """A setting that is a share between 0 and 1 (``0.5`` or ``50%``)."""
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text.removesuffix("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise ConfigError(f"{name} is {text!r}; expected a share between 0 and 1 (e.g. 0.5 or 50%)")
    return value
