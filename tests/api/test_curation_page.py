"""The curators' part of the web page in a real headless browser against a real server: with a curator key, upload
a candidate Disease Ontology release (the real 2025-12-23 cut), watch its job, read the HTML report (the same
rendering as `pmkg curate diff --format html`) and compare it with the job's JSON; a reader key is told why not.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.browser import ARTIFACTS, needs_chromium
from tests.api.server import ApiServer
from tests.api.test_auth import create_key
from tests.pmkg_cli import REPO

DO_2025_12 = REPO / "tests" / "data" / "curation" / "do-2025-12-23"

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def curation_server(
    starter_home: tuple[Path, dict[str, object]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ApiServer, dict[str, str]]]:
    home = tmp_path_factory.mktemp("curation-page-home")
    shutil.copytree(starter_home[0], home, dirs_exist_ok=True)
    keys = {"curator": create_key(home, "curator", "curation-team"), "reader": create_key(home, "reader", "lab")}
    with ApiServer(home, tmp_path_factory.mktemp("curation-page-log") / "server.log") as server:
        yield server, keys


def _page(browser: Any, server: ApiServer, key: str) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    page.goto(server.url + "/")
    page.locator("#build-line", has_text=re.compile(r"^Build ")).wait_for()
    page.get_by_text("API key", exact=True).click()
    page.get_by_label("Key for a server that needs one (kept in this tab only)").fill(key)
    page.get_by_label("Key for a server that needs one (kept in this tab only)").dispatch_event("change")
    page.get_by_text("Curators: diff a candidate release").click()
    page.get_by_label("Source the release replaces").fill("disease_ontology")
    page.get_by_label("The release's files").set_input_files(sorted(str(p) for p in DO_2025_12.iterdir()))
    page.get_by_label("Accept a release that lost most of the source's records").check()
    return page


def test_a_curator_diffs_a_release_and_reads_the_html_report(browser: Any, curation_server: Any) -> None:
    server, keys = curation_server
    page = _page(browser, server, keys["curator"])
    page.get_by_role("button", name="Diff the release").click()
    status = page.locator("#curation-status")
    status.filter(has_text=re.compile(r"done: candidate build")).wait_for(timeout=240_000)
    report = page.locator("#curation-report")
    report.get_by_role("heading", name="Curation diff: disease_ontology").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)  # the viewport only: the whole report is thousands of rows long
    report.get_by_role("heading", name="Curation diff: disease_ontology").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "curation-report.png"))

    job_id = re.search(r"Job (\S+) done", status.inner_text()).group(1)  # type: ignore[union-attr]
    job = httpx.get(f"{server.url}/v1/curation/jobs/{job_id}", headers={"X-API-Key": keys["curator"]}).json()
    result = job["result"]
    impact = result["impact"]
    assert f"{impact['changed_queries']} of {impact['queries']} patient queries change" in status.inner_text()
    headings = report.get_by_role("heading", level=2).all_inner_texts()
    assert any(h.startswith("Term changes") for h in headings)
    assert any(h.startswith("Impact on answers") for h in headings)
    # The page shows every row of the report: the term table has one row per term change of the JSON.
    terms_table = report.locator("h2:has-text('Term changes') + p + div table")
    assert terms_table.locator("tbody tr").count() == len(result["terms"]["changes"])
    first = result["terms"]["changes"][0]
    assert first["term_id"] in terms_table.locator("tbody tr").first.inner_text()
    impact_rows = report.locator("h2:has-text('Impact on answers') + p + div table tbody tr")
    assert impact_rows.count() == len(impact["changes"])
    # Nothing came from anywhere but the server (no CDN), and the report is the server's HTML rendering.
    assert all(url.startswith(server.url) for url in page.requested)
    html = httpx.get(f"{server.url}/v1/curation/jobs/{job_id}/report.html", headers={"X-API-Key": keys["curator"]})
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    assert "<h1>Curation diff: disease_ontology</h1>" in html.text
    page.context.close()


def test_a_reader_key_is_told_the_curator_role_is_needed(browser: Any, curation_server: Any) -> None:
    server, keys = curation_server
    page = _page(browser, server, keys["reader"])
    page.get_by_role("button", name="Diff the release").click()
    status = page.locator("#curation-status.error")
    status.wait_for()
    assert status.inner_text() == "the key 'lab' has the reader role; this needs curator"
    assert page.locator("#curation-report").inner_text() == ""
    page.context.close()


def test_the_report_of_an_unknown_job_is_a_clear_404(curation_server: Any) -> None:
    server, keys = curation_server
    with httpx.Client(base_url=server.url, headers={"X-API-Key": keys["curator"]}) as client:
        missing = client.get("/v1/curation/jobs/nope/report.html")
    assert missing.status_code == 404
    assert "no curation job 'nope'" in missing.json()["detail"]
