"""End to end: the study report of a real corpus opens in headless Chromium, complete and without errors."""
from __future__ import annotations


import pytest

DRAWN = """(c) => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0; for (let i = 0; i < d.length; i += 4) { if (d[i] < 235 || d[i+1] < 235 || d[i+2] < 235) n++; } return [n, d.length / 4]; }"""

SECTIONS = ["data-method", "fig-record-flow", "main-information", "annual-production", "most-cited", "authors-sources",
            "countries", "keywords", "term-map", "terms", "coauthorship", "trends", "themes", "questions"]


@pytest.fixture(scope="module")
def page_of(demo_study, browser):
    """The demo report opened in the shared headless Chromium (one playwright per process: a second
    sync_playwright inside the first one's loop is refused)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    failed: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto((demo_study / "report.html").as_uri())
    page.wait_for_load_state("load")
    page.wait_for_timeout(1500)
    yield page, errors, failed
    page.close()


def test_every_section_is_present(page_of):
    page, _, _ = page_of
    for sid in SECTIONS:
        assert page.locator(f"#{sid}").count() == 1, sid


def test_every_image_loaded(page_of):
    page, _, failed = page_of
    sizes = page.evaluate("() => Array.from(document.images).map(i => [i.complete, i.naturalWidth])")
    assert len(sizes) >= 8
    assert all(done and width > 0 for done, width in sizes)
    assert failed == []


def test_every_map_canvas_is_drawn(page_of):
    page, _, _ = page_of
    viewers = page.locator(".bm-viewer")
    assert viewers.count() >= 3  # term map, keyword map, co-authorship maps
    for i in range(viewers.count()):
        viewers.nth(i).scroll_into_view_if_needed()
        page.wait_for_timeout(200)
        canvas = viewers.nth(i).locator("canvas").first
        drawn, total = canvas.evaluate(DRAWN)
        assert drawn > 0.005 * total, f"map {i} is blank"


def test_no_console_errors(page_of):
    _, errors, _ = page_of
    assert errors == []


def test_the_indonesian_map_viewer_shows_its_controls_in_indonesian(demo_study_id, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto((demo_study_id / "report.html").as_uri())
    page.wait_for_load_state("load")
    viewer = page.locator(".bm-viewer").first
    viewer.scroll_into_view_if_needed()
    bar = viewer.locator(".bm-toolbar").inner_text()
    assert "Tampilan" in bar and "Ukuran" in bar  # the View and Size controls
    assert "butir" in bar and "tautan" in bar and "View" not in bar and "items" not in bar
    assert viewer.locator("input[type=search]").get_attribute("placeholder") == "Cari butir"
    options = viewer.locator("select").first.locator("option").all_inner_texts()
    assert options == ["Jaringan", "Overlay", "Densitas"]
    assert "Klaster" in viewer.locator(".bm-legend").inner_text()
    assert "Arahkan kursor" in viewer.locator(".bm-info").inner_text()
    assert errors == []
    page.close()


def test_an_indonesian_table_sorts_decimal_commas_as_numbers(demo_study_id, browser):
    """The report writes 0,3286 in Indonesian; sorting must read it as a number, not as 3286."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((demo_study_id / "report.html").as_uri())
    page.wait_for_load_state("load")
    table = page.locator("#annual-production table.numbered").first
    headers = table.locator("thead th").all_inner_texts()
    col = headers.index("Rata-rata sitasi per tahun")  # mean citations per year: 0,09091 ... 8,326
    table.locator("thead th").nth(col).click()  # ascending
    values = [float(t.replace(".", "").replace(",", ".")) for t in table.locator("tbody tr").evaluate_all(
        f"rows => rows.map(r => r.cells[{col}].textContent.trim())")]
    assert any(v % 1 for v in values) and values == sorted(values)
    assert errors == []
    page.close()
