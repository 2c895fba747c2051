"""The graph as RDF: the vocabulary (:mod:`.vocabulary`), records as triples (:mod:`.mapping`) and
streamed exports (:mod:`.export`).  The Oxigraph view that SPARQL reads is :mod:`kg.stores.rdf`."""
