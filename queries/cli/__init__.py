"""The ``pmkg`` command line: argument parsing and rendering only, over the query services.

:mod:`queries.cli.main` is the command group (``pmkg = queries.cli.main:main``); each
command with weight of its own has a module here (``match``, ``annotate``, ``pgx``) imported
only when that command runs, and :mod:`queries.cli.support` holds what they share.  This
package never holds matching, annotation or PGx logic: it parses, calls a service, renders.
"""
