"""The HTML map viewer: page structure and escaping, then real behaviour in headless Chromium."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bibliomap.cli import app
from bibliomap.io import vosviewer as vv
from bibliomap.viz.viewer import script_json, viewer_html, write_viewer

sys.path.insert(0, str(Path(__file__).parent))
from mapgen import keyword_map, random_map  # noqa: E402

XSS = '<img src=x onerror="window.__xss=1;alert(1)">'
SCRIPT_BREAK = "</script><script>window.__xss=2</script>"


@pytest.fixture(scope="module")
def real_map(corpora):
    import bibliomap

    m = keyword_map(bibliomap.read(str(corpora / "scopus-csv" / "bibliometrix_scopus_sample.csv")))
    m.items["label"] = m.items["label"].astype(object)
    heaviest = int(m.items["weight<Occurrences>"].to_numpy().argmax())
    m.items.loc[heaviest, "label"] = XSS  # always labelled: the heaviest item
    m.items.loc[(heaviest + 1) % m.n_items, "label"] = SCRIPT_BREAK
    m.items["description"] = ["<b>bold?</b> " + str(v) for v in m.items["label"]]
    return m


def _embedded_data(page_html: str) -> dict:
    body = re.search(r'<script type="application/json" id="[^"]+-data">(.*?)</script>', page_html, re.S).group(1)
    return json.loads(body)


def test_page_is_self_contained_and_escaped(real_map):
    page = viewer_html(real_map, standalone=True)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"https?:", page)
    assert XSS not in page and "<img" not in page  # the label never appears as markup
    assert page.count("</script>") == 3  # only the page's own script elements end
    data = _embedded_data(page)
    assert XSS in data["label"] and SCRIPT_BREAK in data["label"]
    assert data["n"] == real_map.n_items and len(data["links"]["s"]) == real_map.n_links
    assert script_json({"a": "<&>\u2028"}) == '{"a":"\\u003c\\u0026\\u003e\\u2028"}'


def test_fragments_get_distinct_ids(real_map):
    other = random_map(30, seed=4)
    a, b = viewer_html(real_map), viewer_html(other, include_assets=False)
    ida = re.search(r'<div id="([^"]+)"', a).group(1)
    idb = re.search(r'<div id="([^"]+)"', b).group(1)
    assert ida != idb and "<html" not in a and "<style>" in a and "<style>" not in b
    assert viewer_html(other, include_assets=False) == b  # deterministic
    with pytest.raises(ValueError, match="element_id"):
        viewer_html(other, element_id='x" onclick="evil')


def test_cli_view(tmp_path, real_map):
    vv.write_json(real_map, tmp_path / "m.json")
    runner = CliRunner()
    res = runner.invoke(app, ["view", str(tmp_path / "m.json"), "--out", str(tmp_path / "m.html")])
    assert res.exit_code == 0, res.output
    assert _embedded_data((tmp_path / "m.html").read_text(encoding="utf-8"))["n"] == real_map.n_items
    vv.write_map_file(real_map, tmp_path / "map.txt")
    vv.write_network_file(real_map, tmp_path / "net.txt")
    res = runner.invoke(app, ["view", str(tmp_path / "map.txt"), "--network", str(tmp_path / "net.txt"), "--out", str(tmp_path / "v.html")])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["view", str(tmp_path / "m.json"), "--out", str(tmp_path / "r.html"), "--score", "Avg. pub. year",
                              "--min-score", "2000", "--max-score", "2030", "--max-links", "7"])
    assert res.exit_code == 0, res.output
    settings = _embedded_data((tmp_path / "r.html").read_text(encoding="utf-8"))["settings"]
    assert settings["score_range"] == {"Avg. pub. year": [2000.0, 2030.0]} and settings["max_links"] == 7
    res = runner.invoke(app, ["view", str(tmp_path / "m.json"), "--out", str(tmp_path / "r.html"), "--min-score", "3"])
    assert res.exit_code == 2 and "give both --min-score and --max-score" in res.output
    res = runner.invoke(app, ["view", str(tmp_path / "m.json"), "--out", str(tmp_path / "m.png")])
    assert res.exit_code == 2 and "use a name ending in .html" in res.output


# ---------------------------------------------------------------- in the browser

@pytest.fixture()
def open_page(browser):
    pages = []

    def _open(path: Path):
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        events = {"console": [], "dialogs": []}
        page.on("console", lambda m: events["console"].append((m.type, m.text)))
        page.on("pageerror", lambda e: events["console"].append(("pageerror", str(e))))

        def on_dialog(d):
            events["dialogs"].append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)
        page.goto(path.as_uri())
        page.wait_for_function("window.__firstPaintMs !== undefined", timeout=20_000)
        pages.append(page)
        return page, events

    yield _open
    for p in pages:
        p.close()


DRAWN = """(sel) => { const c = document.querySelector(sel); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0, sum = 0; for (let i = 0; i < d.length; i += 4) { if (d[i] < 235 || d[i+1] < 235 || d[i+2] < 235) n++; sum += d[i] + 2 * d[i+1] + 3 * d[i+2]; }
  return [n, sum, d.length / 4]; }"""


def test_viewer_renders_searches_hovers_and_escapes(tmp_path, real_map, open_page):
    page, events = open_page(write_viewer(real_map, tmp_path / "map.html", title=XSS))
    assert page.text_content("#item-count") == str(real_map.n_items)
    drawn, _, total = page.evaluate(DRAWN, "#canvas")
    assert drawn > 0.01 * total
    assert page.title().startswith(XSS)  # the title is text too
    # search finds an item by part of its label; Enter selects it and the info panel names it
    target = next(lab for lab in real_map.items["label"] if lab not in (XSS, SCRIPT_BREAK) and len(lab) > 6)
    page.fill("#search", target[1:6])
    assert target in page.locator("#search-results button").all_text_contents()
    page.fill("#search", target)
    page.press("#search", "Enter")
    assert page.locator("#info .bm-item-label").text_content() == target
    # hover the injected item: the tooltip shows the label literally
    index = real_map.items["label"].tolist().index(XSS)
    page.click("#reset-view")
    x, y = page.evaluate(f"document.querySelector('.bm-viewer').bibliomap.screenPosition({index})")
    box = page.locator("#canvas").bounding_box()
    page.mouse.move(box["x"] + x, box["y"] + y)
    page.wait_for_selector("#tooltip", state="visible")
    assert page.locator("#tooltip .bm-item-label").text_content() == XSS
    assert page.locator("#tooltip .bm-item-desc").text_content() == "<b>bold?</b> " + XSS
    assert "Strongest links" in page.text_content("#tooltip")
    page.fill("#search", "<img")
    assert page.locator("#search-results button").first.text_content() == XSS
    # nothing ran: no dialog, no flag, no element made from user text
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("document.querySelectorAll('img, b, #tooltip script').length") == 0
    assert events["dialogs"] == []
    assert [c for c in events["console"] if c[0] in ("error", "pageerror")] == []


def test_viewer_views_clusters_and_selection(tmp_path, real_map, open_page):
    page, events = open_page(write_viewer(real_map, tmp_path / "map.html"))
    api = "document.querySelector('.bm-viewer').bibliomap"
    seen = {"network": page.evaluate(DRAWN, "#canvas")}
    page.select_option("#view", "overlay")
    assert page.get_attribute(".bm-viewer", "data-view") == "overlay"
    assert page.is_visible("#score") and page.locator("#legend .bm-colorbar").count() == 1
    page.evaluate(f"{api}.draw()")
    seen["overlay"] = page.evaluate(DRAWN, "#canvas")
    page.select_option("#view", "density")
    page.wait_for_function(f"{api}.state.view === 'density'")
    page.evaluate(f"{api}.draw()")
    seen["item"] = page.evaluate(DRAWN, "#canvas")
    page.select_option("#density", "cluster")
    page.evaluate(f"{api}.draw()")
    seen["cluster"] = page.evaluate(DRAWN, "#canvas")
    assert len({v[1] for v in seen.values()}) == 4  # every view draws something different
    total = seen["item"][2]
    assert seen["item"][0] > 0.5 * total and seen["cluster"][0] > 0.5 * total  # densities fill the frame
    page.select_option("#view", "network")
    # hiding a cluster in the legend hides its items
    visible_before = page.evaluate(f"Array.from({api}.state.visible).reduce((a, b) => a + b, 0)")
    page.locator("#legend input[data-cluster='1']").uncheck()
    visible_after = page.evaluate(f"Array.from({api}.state.visible).reduce((a, b) => a + b, 0)")
    assert visible_after == visible_before - int((real_map.items["cluster"] == 1).sum())
    # clicking an item highlights it and lists its strongest links
    index = int(real_map.items["weight<Links>"].to_numpy().argmax())
    page.locator("#legend input[data-cluster='1']").check()
    assert page.evaluate(f"Array.from({api}.state.visible).reduce((a, b) => a + b, 0)") == visible_before
    page.evaluate(f"{api}.select({index})")
    x, y = page.evaluate(f"{api}.screenPosition({index})")
    box = page.locator("#canvas").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    assert page.evaluate(f"{api}.state.selected") == index
    assert page.locator("#info .bm-item-links li").count() == min(10, int(real_map.items["weight<Links>"][index]))
    # label-scaling factors: the heaviest label always shows, zooming in reveals more
    heaviest = int(real_map.items["weight<Occurrences>"].to_numpy().argmax())
    factors = page.evaluate(f"Array.from({api}.factors)")
    assert factors[heaviest] == 0
    assert sum(f <= 1 for f in factors) < sum(f <= 8 for f in factors)
    page.evaluate(f"{api}.select(-1)")
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(6):
        page.mouse.wheel(0, -400)
    page.wait_for_timeout(100)
    page.evaluate(f"{api}.draw()")
    zoom = page.evaluate(f"{api}.state.zoom")
    assert zoom > 2
    page.click("#zoom-in")
    assert page.evaluate(f"{api}.state.zoom") == pytest.approx(zoom * 1.5)
    assert [c for c in events["console"] if c[0] in ("error", "pageerror")] == []


def test_two_maps_on_one_page(tmp_path, real_map, open_page):
    other = random_map(50, seed=8)
    body = viewer_html(real_map, element_id="map-a") + viewer_html(other, element_id="map-b", include_assets=False)
    page_path = tmp_path / "report.html"
    page_path.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>r</title><link rel='icon' href='data:,'></head><body>{body}</body></html>", encoding="utf-8")
    page, events = open_page(page_path)
    assert page.text_content("#map-a-item-count") == str(real_map.n_items)
    assert page.text_content("#map-b-item-count") == "50"
    assert page.evaluate(DRAWN, "#map-b-canvas")[0] > 0
    assert [c for c in events["console"] if c[0] in ("error", "pageerror")] == []


def test_an_indonesian_viewer_writes_decimal_commas(tmp_path, real_map, open_page):
    from bibliomap.i18n import language

    assert _embedded_data(viewer_html(real_map))["decimal_mark"] == "."
    with language("id"):
        path = write_viewer(real_map, tmp_path / "peta.html")
    assert _embedded_data(path.read_text(encoding="utf-8"))["decimal_mark"] == ","
    page, events = open_page(path)
    api = "document.querySelector('.bm-viewer').bibliomap"
    index = int(real_map.items["weight<Links>"].to_numpy().argmax())
    page.evaluate(f"{api}.select({index})")
    cells = page.locator("#info .bm-item-table td").all_inner_texts()
    links = page.locator("#info .bm-item-links li").all_inner_texts()
    shown = cells + [t.rsplit(" \u2014 ", 1)[-1] for t in links]  # the link strengths after the dash
    assert [t for t in cells if re.fullmatch(r"-?\d+,\d+", t)]  # the average publication year, 2025,7
    assert not [t for t in shown if re.fullmatch(r"-?\d+\.\d+", t)]
    assert [c for c in events["console"] if c[0] in ("error", "pageerror")] == []
