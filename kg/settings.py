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
=========================  ==========================================  =====================
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
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

    @property
    def graph_dir(self) -> Path:
        return self.home / "graph"

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"


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
    )
