"""Read-only gateways for researchers' own queries: SPARQL over the RDF view, Cypher over Neo4j.

A gateway runs text a caller wrote, so each one enforces what the graph's own services never
need: read-only checks, a time limit that holds, a row limit that is stated when it cuts.
"""
