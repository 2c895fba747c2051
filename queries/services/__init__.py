"""One service per question: each takes an open store and a typed question, and returns a typed answer.

=============  ==============================================  ============================
question       service                                         answer
=============  ==============================================  ============================
match          :func:`queries.services.match.match`            ``MatchAnswer``
annotate       :func:`queries.services.annotate.annotate`      ``AnnotateAnswer``
pgx            :func:`queries.services.pgx.pgx`                ``PgxAnswer`` / ``PgxSamplesAnswer``
search         :func:`queries.services.search.search`          ``SearchAnswer``
ancestors      :func:`queries.services.search.ancestors`       ``AncestorsAnswer``
entity lookup  :func:`queries.services.entity.entity`          ``EntityAnswer``
status         :func:`queries.services.status.status`          ``StatusAnswer`` or None
=============  ==============================================  ============================

The surfaces (``queries.cli``, ``queries.api``) open and close the store, call one service and render its
answer; they hold no logic of their own.  A service never imports click, rich, fastapi or uvicorn (import-linter
checks it), never opens or closes the store it is given, and never logs a patient's data.  Problems with the
question raise :class:`kg.errors.KGError` subclasses (``InputError``, ``NotFound``, ``NoBuild`` …).
"""
