"""The embedded (default) graph store."""

from kg.embedded.store import EmbeddedStore

__all__ = ["EmbeddedStore"]
