"""``python -m queries.cli`` runs ``pmkg``."""

from queries.cli.main import main

main()
