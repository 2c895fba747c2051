"""Curation: what a new release of a source changes in the graph, computed from two real builds.

:mod:`kg.curation.terms` diffs an ontology's terms (typed changes, like OAK's), :mod:`kg.curation.effects`
finds the evidence those changes touch and how each would migrate, :mod:`kg.curation.audit` keeps the
tamper-evident audit log, and :mod:`kg.curation.export` carries that log in graph exports and reads it
back.  Nothing here reads source files or imports ``queries`` or ``loaders``: a release arrives as a
build in a store.
"""
