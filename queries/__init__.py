"""Queries: normalisation, matching, search and the CLI over the Store port."""
