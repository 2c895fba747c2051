"""The HTTP API (FastAPI) and the clinicians' web page: a thin adapter over the query services.

``app`` builds the application, ``deps`` gives routes the store and settings, ``errors`` turns
every failure into ``application/problem+json``, ``routes/`` holds one module per question.
Routes parse, call one service and return its answer; they hold no matching logic.
"""
