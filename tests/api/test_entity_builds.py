"""Entity pages follow the build that answers: a promoted or rolled-back build changes them without a restart.

The API keeps the pages it has read for the build that gave them (``queries.api.routes.entity``); this checks
that a kept page is never served once another build answers.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.api.server import ApiServer
from tests.pmkg_cli import pmkg

REPO = Path(__file__).resolve().parents[2]


def _page(server: ApiServer) -> tuple[str, dict[str, int]]:
    with server.client() as client:
        answer = client.get("/v1/genes/BRAF")
    assert answer.status_code == 200, answer.text
    page = answer.json()
    return page["build"]["id"], page["evidence"]["by_level"]


def test_a_promoted_then_rolled_back_build_changes_the_gene_page(
    starter_home: tuple[Path, dict], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    shutil.copytree(starter_home[0], home)
    staged = pmkg(home, "build", "--source", f"civic={REPO / 'tests' / 'data' / 'civic' / '2024'}", "--stage",
                  "--allow-shrink", "--format", "json", "--no-rdf-view")  # fmt: skip
    assert staged.returncode == 0, staged.stderr
    with ApiServer(home, tmp_path / "server.log") as server:
        first_build, first_levels = _page(server)
        assert _page(server) == (first_build, first_levels)  # read twice: the kept page
        builds = pmkg(home, "builds", "--format", "json")
        staged_id = next(b["build_id"] for b in json.loads(builds.stdout) if b["build_id"] != first_build)
        assert pmkg(home, "promote", staged_id).returncode == 0
        second_build, second_levels = _page(server)
        assert pmkg(home, "rollback").returncode == 0
        third = _page(server)
    assert second_build == staged_id != first_build
    assert second_levels != first_levels, "the 2024 CIViC cut counts BRAF's evidence differently"
    assert third == (first_build, first_levels)
