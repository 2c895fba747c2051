"""The Neo4j adapter of the store port: :mod:`.store` (the only module that imports the driver)
and :mod:`.queries` (its read and write Cypher, kept in ``.cypher`` files)."""
