"""pmkg's core: the graph schema, identifiers, the Store port and its adapters, builds.

``kg`` imports neither ``loaders`` nor ``queries``.
"""
