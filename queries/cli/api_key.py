"""``pmkg api-key``: create, list and revoke the HTTP API's keys (:mod:`queries.api_keys`).

A new key is printed once, on stdout, and stored only as a hash; nothing here logs a key.
"""

from __future__ import annotations

import click

from queries.api_keys import KeyFile, Role
from queries.cli.support import fail_cleanly as _fail_cleanly


def _keys() -> KeyFile:
    from kg.settings import get_settings
    from queries.api.settings import get_api_settings

    return KeyFile(get_api_settings().key_file(get_settings().home))


@click.group("api-key")
def api_key() -> None:
    """Keys for the HTTP API: create (shown once), list, revoke."""


@api_key.command("create")
@click.option("--role", type=click.Choice([str(r) for r in Role]), required=True,
              help="reader: reads; curator: also changes the graph; admin: also manages keys.")  # fmt: skip
@click.option("--name", required=True, help="Who or what the key is for (letters, digits, . _ @ -).")
@_fail_cleanly
def create(role: str, name: str) -> None:
    """Create a key and print it once: it is stored only as a hash and cannot be shown again."""
    keys = _keys()
    key = keys.create(name, Role(role))
    click.echo(key)
    click.echo(f"created {role} key {name!r} in {keys.path}; send it as the X-API-Key header. "
               "It is not shown again.", err=True)  # fmt: skip


@api_key.command("list")
@_fail_cleanly
def list_keys() -> None:
    """Every key's name, role and creation time (never the key)."""
    for key in _keys().stored():
        click.echo(f"{key.name}\t{key.role}\t{key.created}")


@api_key.command("revoke")
@click.argument("name")
@_fail_cleanly
def revoke(name: str) -> None:
    """Revoke the key called NAME: requests with it are refused from now on, without a restart."""
    _keys().revoke(name)
    click.echo(f"revoked key {name!r}", err=True)
