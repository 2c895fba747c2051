"""The embedded (default) graph store."""

from kg.stores.embedded.store import EmbeddedStore

__all__ = ["EmbeddedStore"]
