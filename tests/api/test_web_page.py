"""The web page in a real headless browser (Debian's chromium driven by playwright), against a real server.

Type in the search box and choose with the keyboard, match a patient, read the rendered rows and compare them
with the API's answer, upload a file; at 1280 px and at a phone's width.  Screenshots go to test-artifacts/
(gitignored) for people to look at.  Skipped, with the reason, only when chromium cannot be found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.browser import ARTIFACTS, needs_chromium
from tests.api.server import ApiServer
from tests.pmkg_cli import REPO

MAF = REPO / "tests" / "data" / "inputs" / "oncokb" / "example_maf.txt"

pytestmark = needs_chromium


@pytest.fixture
def page(browser: Any, api: ApiServer) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    requested: list[str] = []
    opened.on("request", lambda request: requested.append(request.url))
    opened.requested = requested
    opened.goto(api.url + "/")
    opened.locator("#build-line", has_text=re.compile(r"^Build ")).wait_for()
    yield opened
    context.close()


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def choose_by_keyboard(page: Any, field: str, typed: str, wanted: str) -> None:
    """Type into a combobox, arrow down to the suggestion named ``wanted`` and press Enter."""
    box = page.get_by_label(field, exact=True)
    box.fill("")
    box.type(typed, delay=20)
    # Under load a keystroke can come after the page's debounce: wait for the suggestions of the whole text.
    listbox = f"#{box.get_attribute('aria-controls')}"
    page.locator(f"{listbox}[aria-busy=false]").wait_for(state="attached")
    options = page.locator(listbox).get_by_role("option")
    options.first.wait_for()
    names = [text.split("\n")[0] for text in options.all_inner_texts()]
    assert wanted in names, names
    for _ in range(names.index(wanted) + 1):
        box.press("ArrowDown")
    box.press("Enter")


def test_search_match_and_read_the_ranked_rows(page: Any, api: ApiServer) -> None:
    choose_by_keyboard(page, "Gene, variant, disease or drug", "braf v600", "BRAF V600E")
    assert page.get_by_label("Variants, one a line").input_value() == "BRAF V600E"
    choose_by_keyboard(page, "Diagnosis", "melan", "melanoma")
    assert page.get_by_label("Diagnosis", exact=True).input_value() == "melanoma"
    page.get_by_role("button", name="Find therapies").focus()
    page.keyboard.press("Enter")
    table = page.get_by_role("table", name="Therapies, ranked (resistance beside the therapy it concerns)")
    table.wait_for()
    shot(page, "match-1280")

    with api.client() as client:
        answer = client.post("/v1/match", json={"variants": ["BRAF V600E"], "disease": "melanoma"}).json()
    rows = table.locator("tbody tr")
    assert rows.count() == len(answer["therapies"])
    shown = [rows.nth(i).locator("td").nth(1).inner_text() for i in range(rows.count())]
    assert shown == [t["therapy"] for t in answer["therapies"]]
    first = rows.nth(0).locator("td")
    assert first.nth(2).inner_text().startswith(str(answer["therapies"][0]["tier"]))
    assert first.nth(4).inner_text() == answer["therapies"][0]["variant_match"]
    evidence = first.nth(7).get_by_role("link").first
    assert evidence.get_attribute("href").startswith(("https://civicdb.org/links/", "https://pubmed.ncbi.nlm.nih.gov/"))
    assert f"Build {answer['build']['id']}: " in page.locator(".stamp").inner_text()
    assert "civic 01-Aug-2021" in page.locator(".stamp").inner_text() or "civic " in page.locator(".stamp").inner_text()
    assert all(url.startswith(api.url) for url in page.requested), "every asset and call is served by pmkg"


def test_pgx_panel_and_unrecognised_input(page: Any) -> None:
    page.get_by_label("Variants, one a line").fill("KRAS G12D\nCYP2C19 *2/*2\nnot a variant")
    page.get_by_label("Diagnosis", exact=True).fill("colorectal cancer")
    page.get_by_label("Diagnosis", exact=True).press("Escape")  # close the suggestions, as a keyboard user does
    page.get_by_role("button", name="Find therapies").click()
    page.get_by_role("table", name="How each input was read").wait_for()
    inputs = page.get_by_role("table", name="How each input was read").locator("tbody tr")
    statuses = {inputs.nth(i).locator("td").nth(0).inner_text(): inputs.nth(i).locator("td").nth(1).inner_text()
                for i in range(inputs.count())}  # fmt: skip
    assert statuses["not a variant"] == "unrecognized"
    assert statuses["CYP2C19 *2/*2"] == "normalized"
    cautions = page.get_by_role("table", name="Pharmacogenomic cautions (whether or not the drug matched)")
    assert cautions.locator("tbody tr").count() > 0
    assert "clopidogrel" in cautions.inner_text()


def test_upload_a_maf_and_read_the_rows(page: Any, api: ApiServer) -> None:
    page.get_by_label("Patient file (VCF, .vcf.gz or MAF)").set_input_files(str(MAF))
    page.get_by_role("button", name="Annotate the file").click()
    table = page.get_by_role("table", name="Variants")
    table.wait_for()
    with api.client() as client:
        answer = client.post("/v1/annotate", files={"file": (MAF.name, MAF.read_bytes())}).json()
    rows = table.locator("tbody tr")
    assert rows.count() == len(answer["variants"])
    shown = [(rows.nth(i).locator("td").nth(0).inner_text(), rows.nth(i).locator("td").nth(1).inner_text())
             for i in range(rows.count())]  # fmt: skip
    assert shown == [(row["sample"], row["input"]) for row in answer["variants"]]
    assert "TCGA-05-4417-01" in table.inner_text()
    assert f"Build {answer['build']['id']}: " in page.locator(".stamp").inner_text()
    shot(page, "upload-1280")


def test_a_phone_width_keeps_the_page_usable(page: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_label("Variants, one a line").fill("EGFR L858R\nEGFR T790M")
    page.get_by_label("Diagnosis", exact=True).fill("LUAD")
    page.get_by_label("Diagnosis", exact=True).press("Escape")
    page.get_by_role("button", name="Find therapies").click()
    page.get_by_role("table", name="Therapies, ranked (resistance beside the therapy it concerns)").wait_for()
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], "the page itself does not scroll sideways (tables scroll in their box)"
    shot(page, "match-390")


def test_every_field_has_a_label(page: Any) -> None:
    unlabelled = page.evaluate(
        """[...document.querySelectorAll('input, textarea, select')]
             .filter((e) => !e.labels || e.labels.length === 0).map((e) => e.id)"""
    )
    assert unlabelled == []


def test_choosing_a_search_hit_shows_its_entity_page_and_links_lead_on(page: Any, api: ApiServer) -> None:
    choose_by_keyboard(page, "Gene, variant, disease or drug", "ERBB2", "ERBB2")
    view = page.get_by_role("region", name="ERBB2")
    view.wait_for()
    with api.client() as client:
        answer = client.get("/v1/genes/HGNC:3430").json()
    assert "Gene · HGNC:3430" in view.inner_text()
    assert view.get_by_role("table", name=f"Evidence: {answer['evidence']['total']} items, by level").count() == 1
    hgnc = view.get_by_role("link", name="HGNC HGNC:3430")
    assert hgnc.get_attribute("href") == "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/HGNC:3430"
    assert page.url.endswith("#/genes/HGNC%3A3430")
    shot(page, "entity-gene-1280")

    # A neighbour opens its own page: the gene's first listed variant.
    in_gene = next(g for g in answer["neighbours"] if g["relation"] == "IN_GENE" and g["direction"] == "in")
    first = in_gene["nodes"][0]
    view.get_by_role("link", name=first["name"], exact=True).first.click()
    page.get_by_role("region", name=first["name"]).wait_for()
    assert f"· {first['id']}" in page.get_by_role("region", name=first["name"]).inner_text()


def test_a_disease_page_lists_broader_terms_and_a_result_row_opens_its_therapy(page: Any, api: ApiServer) -> None:
    page.goto(api.url + "/#/diseases/DOID%3A3910")
    view = page.get_by_role("region", name="lung adenocarcinoma")
    view.wait_for()
    broader = view.get_by_role("region", name="Broader terms")
    assert "lung non-small cell carcinoma" in broader.inner_text()
    broader.get_by_role("link", name="lung non-small cell carcinoma").click()
    page.get_by_role("region", name="lung non-small cell carcinoma").wait_for()
    assert "lung adenocarcinoma" in page.get_by_role("region", name="Narrower terms").inner_text()

    page.get_by_label("Variants, one a line").fill("BRAF V600E")
    page.get_by_label("Diagnosis", exact=True).fill("melanoma")
    page.get_by_label("Diagnosis", exact=True).press("Escape")
    page.get_by_role("button", name="Find therapies").click()
    table = page.get_by_role("table", name="Therapies, ranked (resistance beside the therapy it concerns)")
    table.wait_for()
    therapy = table.locator("tbody tr").first.locator("td").nth(1)
    name = therapy.inner_text()
    therapy.get_by_role("link").click()
    page.get_by_role("region", name=name).wait_for()
    assert "Therapy · PMKG:therapy/" in page.get_by_role("region", name=name).inner_text()
    shot(page, "entity-therapy-1280")
