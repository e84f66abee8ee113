"""The report as a paper's results section (issue 19): numbered tables and figures, every figure
embedded and loaded, tables that fit the page and expand, report.docx with the same tables and
figures, a clean print to PDF, and the research-question answers citing them. On the demo and on
two real Web of Science exports (BibTeX and plain text) merged into one study."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from bibliomap.cli import app


#: Figures a paper needs that the demo (IEEE exports: no references, no SJR) must embed.
DEMO_FIGURES = ["record_flow", "annual_production", "most_relevant_sources", "most_productive_authors", "countries",
                "most_cited_documents", "wordcloud", "term_network", "term_density", "keyword_network", "coauthorship_authors",
                "coauthorship_countries", "trend_topics", "bursts", "thematic_map", "cluster_production", "thematic_evolution"]
#: And those the Web of Science study (cited references, an SJR file) adds: quartiles and the citation-based maps.
WOS_FIGURES = DEMO_FIGURES + ["quartiles", "coupling_network", "cocitation_network", "bursts_references"]


def _sjr_of(files: list[Path], path: Path) -> Path:
    """A SCImago file (its CSV layout) ranking the eight most frequent sources of ``files`` Q1, Q2, Q3, Q4, Q1, ...
    by title, so the study has journal quartiles to report."""
    from bibliomap.io.ingest import ingest

    titles = pd.Series(ingest([str(f) for f in files]).column("source_title").to_pylist()).dropna().value_counts().index[:8]
    lines = ["Rank;Sourceid;Title;Type;Issn;SJR;SJR Best Quartile"]
    lines += [f'{i + 1};{i + 1};"{t}";journal;"";1,0;Q{i % 4 + 1}' for i, t in enumerate(titles)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def wos_study(corpora, tmp_path_factory):
    out = tmp_path_factory.mktemp("wos") / "out"
    files = [corpora / "wos-bibtex" / "wos.bib", corpora / "wos-plaintext" / "metaknowledge_savedrecs.txt"]
    sjr = _sjr_of(files, out.parent / "sjr.csv")
    res = CliRunner().invoke(app, ["study", *map(str, files), "--sjr", str(sjr), "--out", str(out), "-q"])
    assert res.exit_code == 0, res.output
    return out


@pytest.fixture(scope="module", params=["demo", "wos"])
def study(request):
    return request.getfixturevalue("demo_study" if request.param == "demo" else "wos_study")


def _open(browser, report: Path, width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    return page, errors


#: Tables whose table is wider than their box, and cells broken inside a word: a number on more than
#: one line, or (``words`` true) a heading or short-worded cell on more lines than it has words.
WRAPPING = """(words) => {
  const lines = el => { const r = document.createRange(); r.selectNodeContents(el);
    return new Set(Array.from(r.getClientRects()).filter(x => x.width > 0).map(x => Math.round(x.top))).size; };
  const shown = el => el.offsetParent !== null;
  const wide = Array.from(document.querySelectorAll('.tbl')).filter(b => shown(b)
    && b.querySelector('table').getBoundingClientRect().width > b.getBoundingClientRect().width + 1).map(b => b.id);
  const numbers = Array.from(document.querySelectorAll('table.numbered td.num')).filter(td => shown(td) && lines(td) > 1).map(td => td.textContent);
  const split = words ? Array.from(document.querySelectorAll('table.numbered th, table.numbered td:not(.long)')).filter(c => shown(c)
    && lines(c) > c.textContent.trim().split(/\\s+/).filter(Boolean).length).map(c => c.textContent) : [];
  return [wide, numbers, split]; }"""


def _numbers(html: str, word: str) -> list[int]:
    return [int(n) for n in re.findall(rf"<b>{word} (\d+)\.</b>", html)]


def test_tables_and_figures_are_numbered_in_reading_order(study):
    html = (study / "report.html").read_text(encoding="utf-8")
    tables, figures = _numbers(html, "Table"), _numbers(html, "Figure")
    assert tables == list(range(1, len(tables) + 1)) and len(tables) >= 20
    assert figures == list(range(1, len(figures) + 1)) and len(figures) >= 12
    # an article's order: data and method, production, metrics, ..., gaps, answers, appendix last
    order = [html.index(f'id="{sid}"') for sid in ("data-method", "annual-production", "main-information", "authors-sources",
                                                     "most-cited", "term-map", "trends", "themes", "gaps", "questions", "appendix")]
    assert order == sorted(order)
    appendix = html[html.index('id="appendix"'):]
    assert "Parameters of the study" in appendix and "Steps of the study and their timings" in appendix
    assert "Parameters of the study" not in html[:html.index('id="appendix"')]


def test_each_section_opens_with_its_headline_numbers(demo_study):
    html = (demo_study / "report.html").read_text(encoding="utf-8")
    section = html[html.index('id="data-method"'):html.index('id="annual-production"')]
    assert "441 records were read from 5 export files" in section
    metrics = html[html.index('id="main-information"'):html.index('id="authors-sources"')]
    lead = re.search(r'<p class="lead">(.*?)</p>', metrics).group(1)
    assert re.search(r"h-index is \d+", lead) and "(Table" in lead


def test_every_figure_embedded_and_loaded_no_overflow_show_all_and_sort(study, browser):
    page, errors = _open(browser, study / "report.html")
    figs = page.evaluate("() => Array.from(document.querySelectorAll('figure.numbered img')).map(i => [i.closest('figure').id, i.complete, i.naturalWidth])")
    assert figs and all(done and width > 0 for _, done, width in figs)
    captions = page.locator("figure.numbered figcaption").all_inner_texts()
    assert len(captions) == len(figs) and all(re.match(r"Figure \d+\. \S", c) for c in captions)
    n_tables = page.locator("table.numbered").count()
    assert n_tables == len(page.locator(".tbl .caption").all_inner_texts())
    overflow = "() => [document.documentElement.scrollWidth, Array.from(document.querySelectorAll('section')).filter(s => s.scrollWidth > s.clientWidth + 1).map(s => s.id)]"
    width, wide = page.evaluate(overflow)
    assert width <= 1280 and wide == []
    # long text wraps between words: no table wider than its box, no number or heading broken inside a word
    assert page.evaluate(WRAPPING, True) == [[], [], []]
    # the key text of a table is among the columns shown before "show all" (the gap candidates' reasons, ...)
    shown = 0
    for tid, heading in (("tab-gap-candidates", "Reason"), ("tab-stated-gaps", "Statement"), ("tab-thematic-map", "Quadrant"),
                         ("tab-emerging-declining", "Evidence"), ("tab-cluster-profiles", "Quadrant")):
        if page.locator(f"#{tid}").count():
            assert page.locator(f"#{tid} th", has_text=heading).first.is_visible(), tid
            shown += 1
    assert shown >= 4
    # show all: a long table shows 10 rows, then all of them and its secondary columns
    box = page.locator(".tbl", has=page.locator("tr.more")).first
    rows = box.locator("tbody tr")
    visible = lambda: sum(rows.nth(i).is_visible() for i in range(rows.count()))  # noqa: E731
    assert visible() == 10 < rows.count()
    box.locator("button.show-all").click()
    assert visible() == rows.count()
    box.locator("button.show-all").click()
    assert visible() == 10
    # every table expanded still fits the page
    for b in page.locator("button.show-all").all():
        b.click()
    width, wide = page.evaluate(overflow)
    assert width <= 1280 and wide == []
    # ... a wide one set smaller; its numbers still whole (headings of many columns may break)
    assert page.evaluate(WRAPPING, False)[:2] == [[], []]
    assert page.locator(".tbl.wide.expanded").count() >= 3
    # sortable: clicking a numeric column sorts the rows by it
    table = page.locator("#tab-annual-production table")
    table.locator("th").nth(1).click()
    values = [float(v) for v in table.locator("tbody tr td:nth-child(2)").all_inner_texts()]
    assert values == sorted(values) and len(values) > 3
    table.locator("th").nth(1).click()
    values = [float(v) for v in table.locator("tbody tr td:nth-child(2)").all_inner_texts()]
    assert values == sorted(values, reverse=True)
    # the table of contents stays in view while reading
    page.evaluate("() => document.getElementById('themes').scrollIntoView()")
    top, bottom, y = page.evaluate("() => { const r = document.getElementById('toc').getBoundingClientRect(); return [r.top, r.bottom, window.scrollY]; }")
    assert y > 2000 and 0 <= top < 5 and bottom > 200
    assert errors == []
    page.close()


def test_every_figure_a_paper_needs_is_embedded_as_300_dpi_png_svg_and_pdf(study, request):
    """The issue's list, figure by figure (term network, density view, co-authorship, annual
    production, top authors, top sources, quartiles when given, word cloud, trend topics, thematic
    map, evolution, ...): a numbered figure of the report, and a 300 dpi PNG, an SVG and a PDF; and
    no figure of the folder left out of the report."""
    from PIL import Image

    html = (study / "report.html").read_text(encoding="utf-8")
    expected = WOS_FIGURES if "wos" in request.node.callspec.id else DEMO_FIGURES
    for name in expected:
        fid = "fig-" + name.replace("_", "-")
        assert re.search(rf'<figure class="numbered" id="{fid}"><img src="data:image/png;base64,[^"]+" alt="Figure \d+\.', html), name
        for ext in ("png", "svg", "pdf"):
            assert (study / "figures" / f"{name}.{ext}").is_file(), (name, ext)
        assert f"{name}.png, {name}.svg, {name}.pdf" in html  # the caption names the files
    drawn = sorted(p.stem for p in (study / "figures").glob("*.png"))
    shown = sorted(k.replace("-", "_") for k in re.findall(r'<figure class="numbered" id="fig-([\w-]+)"', html))
    assert drawn == shown  # every figure written is in the report, and only those
    for stem in drawn:
        with Image.open(study / "figures" / f"{stem}.png") as im:
            assert [round(d) for d in im.info["dpi"]] == [300, 300], stem


def test_every_figure_is_also_a_pdf_and_an_svg_written_after_the_report(wos_study):
    import json

    figures = wos_study / "figures"
    drawn = {p.stem for p in figures.glob("*.png")}
    assert {"record_flow", "term_network", "annual_production", "thematic_map", "coupling_network", "cocitation_network"} <= drawn
    for stem in drawn:
        assert (figures / f"{stem}.pdf").read_bytes()[:5] == b"%PDF-", stem
        assert (figures / f"{stem}.svg").is_file(), stem
    steps = {s["name"]: s for s in json.loads((wos_study / "manifest.json").read_text())["steps"]}
    assert steps["figure_files"]["status"] == "done" and steps["figure_files"]["message"] == f"{2 * len(drawn)} files"
    manifest = json.loads((wos_study / "manifest.json").read_text())
    assert {f"figures/{stem}.pdf" for stem in drawn} <= set(manifest["outputs"])


def test_the_real_corpus_flow_diagram_and_citation_maps(wos_study):
    import json

    html = (wos_study / "report.html").read_text(encoding="utf-8")
    assert 'id="fig-record-flow"' in html and 'id="tab-sources"' in html
    totals = json.loads((wos_study / "ingest.json").read_text())["totals"]
    lead = re.search(r'id="data-method">\s*<h2>[^<]*</h2>\s*<p class="lead">(.*?)</p>', html).group(1)
    assert f"{totals['read']} records were read from 2 export files; {totals['duplicates']} duplicates" in lead
    assert "Clusters of the co-citation of references" in html or "Clusters of the bibliographic coupling" in html


def _html_counts(report: Path) -> tuple[int, int]:
    html = report.read_text(encoding="utf-8")
    return html.count('<table class="table numbered">'), html.count('<figure class="numbered"')


def test_docx_holds_the_same_tables_and_figures(study):
    import html as html_lib

    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Emu

    doc = Document(str(study / "report.docx"))
    n_tables, n_figures = _html_counts(study / "report.html")
    assert len(doc.tables) == n_tables
    assert len(doc.inline_shapes) == n_figures
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert sum(c.startswith("Table ") for c in captions) == n_tables
    assert sum(c.startswith("Figure ") for c in captions) == n_figures
    assert doc.tables[0].rows[0].cells[0].text  # a header row
    import json

    steps = json.loads((study / "manifest.json").read_text())["steps"]
    assert {s["name"]: s for s in steps}["docx"]["status"] == "done" and "report.docx" in {s["name"]: s for s in steps}["docx"]["message"]
    # every table and figure fits the text width: tables in a fixed layout of columns summing to it at most
    section = doc.sections[-1]
    text_width = section.page_width - section.left_margin - section.right_margin
    for table in doc.tables:
        grid = [int(c.get(qn("w:w"))) * 635 for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]  # twips to EMU
        assert not table.autofit and sum(grid) <= text_width
        cells = [c.width for c in table.rows[-1].cells]
        assert cells == [Emu(w) for w in grid]
    assert all(s.width <= text_width for s in doc.inline_shapes)
    # the appendix's Table A2 has every step's status and time, those after the document included
    rows = [[c.text for c in r.cells] for r in doc.tables[-1].rows[1:]]
    assert [r[1] for r in rows] == [s["status"] for s in steps]
    assert all(abs(float(r[2]) - s["seconds"]) <= 0.0051 for r, s in zip(rows, steps))
    # the HTML's notes of skipped steps are there too
    html = (study / "report.html").read_text(encoding="utf-8")
    notes = [re.sub(r"<[^>]+>", "", n) for n in re.findall(r'<div class="note[^"]*">(.*?)</div>', html, flags=re.S)]
    italic = [p.text for p in doc.paragraphs if p.runs and p.runs[0].italic]
    assert [html_lib.unescape(n) for n in notes] == italic


def test_print_to_pdf_keeps_every_figure(study, browser, tmp_path):
    """Printed in headless Chromium (A4), the report holds every figure: one image per numbered
    figure, each with its caption; no contents bar or interactive map; tables fit the page."""
    from pypdf import PdfReader

    page, errors = _open(browser, study / "report.html")
    page.emulate_media(media="print")
    assert page.locator("nav#toc").is_hidden() and page.locator(".map-block").first.is_hidden()
    # the A4 page's text width (210 mm less 2 x 14 mm margins) at 96 px per inch: nothing wider
    page.set_viewport_size({"width": round((210 - 28) / 25.4 * 96), "height": 1100})
    wide = page.evaluate("() => [document.documentElement.scrollWidth, Array.from(document.querySelectorAll('section, .tbl')).filter(s => s.scrollWidth > s.clientWidth + 1).map(s => s.id)]")
    assert wide[0] <= round((210 - 28) / 25.4 * 96) and wide[1] == []
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    page.close()
    reader = PdfReader(str(pdf))
    images = 0
    for p in reader.pages:
        xobjects = p.get("/Resources", {}).get("/XObject", {}) if p.get("/Resources") else {}
        images += sum(1 for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image")
    _, n_figures = _html_counts(study / "report.html")
    assert images == n_figures  # every figure, each once (none split across pages)
    text = re.sub(r"\s+", " ", "".join(p.extract_text() for p in reader.pages))
    for n in range(1, n_figures + 1):
        assert f"Figure {n}." in text, n
    assert 8 <= len(reader.pages) <= 80
    assert "Table 1." in text and "Table A2." in text
    assert errors == []


def test_answers_cite_numbered_tables_and_figures_and_name_clusters(demo_study):
    html = (demo_study / "report.html").read_text(encoding="utf-8")
    qa = html[html.index('id="questions"'):html.index('id="appendix"')]
    cited = set(re.findall(r"((?:Table|Figure) \d+)", qa))
    assert len(cited) >= 5
    numbered = set(re.findall(r"<b>((?:Table|Figure) \d+)\.</b>", html))
    assert cited <= numbered
    import pandas as pd

    # the clusters documents are classified into (a map cluster that holds no document's majority,
    # such as a lone term, has no profile and is not an answer's subject)
    labels = pd.read_csv(demo_study / "tables" / "cluster_profiles.csv")["label"]
    assert len(labels) >= 3
    for label in labels:
        assert f"“{label}”" in qa or f"&#34;{label}&#34;" in qa or f"“{label}" in qa


def test_answers_never_present_an_unselected_term():
    import pandas as pd

    from bibliomap.analysis.summaries import summarize

    ed = pd.DataFrame({"item": ["article", "gpu cluster"], "growth": [3.0, 2.5], "q_rise": [0.01, 0.02],
                       "status": ["emerging", "emerging"], "recent_documents": [9, 7]})
    gaps = pd.DataFrame({"rank": [1, 2], "item": ["article", "gpu cluster"], "reason": ["rare", "rare"]})
    text = " ".join(summarize({"emerging_declining": ed, "gap_candidates": gaps}, selected={"gpu cluster"})[3][1])
    assert "gpu cluster" in text and "article" not in text
    refs = {"table:emerging_declining": "Table 7", "table:gap_candidates": "Table 9"}
    text = " ".join(summarize({"emerging_declining": ed, "gap_candidates": gaps}, refs=refs)[3][1])
    assert "(Table 7)" in text and "(Table 9)" in text and "article" in text


def test_the_appendix_times_every_step_of_the_manifest(demo_study):
    """Table A2 lists every step of manifest.json in order with its status and seconds, the steps
    after the report (Word document, figure files, workbook) included."""
    import json

    html = (demo_study / "report.html").read_text(encoding="utf-8")
    table = html[html.index("<!--table:tab-steps-->"):html.index("<!--/table:tab-steps-->")]
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", r, flags=re.S) for r in re.findall(r"<tr[^>]*>(.*?)</tr>", table.split("<tbody>")[1], flags=re.S)]
    steps = json.loads((demo_study / "manifest.json").read_text())["steps"]
    assert [r[1] for r in rows] == [s["status"] for s in steps]
    assert all(abs(float(r[2]) - s["seconds"]) <= 0.0051 for r, s in zip(rows, steps))  # two decimals of the manifest's three
    names = [s["name"] for s in steps]
    assert names[-4:] == ["report", "docx", "figure_files", "workbook"]
    for title in ("Word document of the results", "Vector figure files, SVG and PDF (written in the background)", "Workbook (written in the background)"):
        assert title in table
    assert "in progress" not in table


def test_journal_quartiles_are_a_section_with_their_figure_when_given(wos_study):
    html = (wos_study / "report.html").read_text(encoding="utf-8")
    section = html[html.index('id="quartiles"'):html.index('id="countries"')]
    assert 'id="fig-quartiles"' in section and 'id="tab-quartiles"' in section and 'id="tab-quartile-matching"' in section
    assert "Documents by journal quartile (SCImago)" in section
    assert (wos_study / "figures" / "quartiles.pdf").is_file()


def test_the_rows_shown_before_show_all_follow_the_configuration(tmp_path, corpora):
    """[study] table_rows (10 by default) sets the rows a table shows before "show all" and in
    report.docx; the configuration refuses a number outside 1-500. On a real table: the authors of
    a real export."""
    from docx import Document

    import bibliomap
    from bibliomap.analysis.descriptive import describe
    from bibliomap.report.config import ConfigError, load_config
    from bibliomap.report.docx_report import write_docx
    from bibliomap.report.render import _environment, table_view
    from bibliomap.report.results import Results, Section, Table

    authors = describe(bibliomap.read(corpora / "wos-bibtex" / "wos.bib"), top=30).tables["most_productive_authors"]
    assert len(authors) == 30
    table = Table("most_productive_authors", "Table 1", "Most productive authors", authors, "tables/most_productive_authors.csv", top=4)
    html = _environment().from_string('{% from "table.html.j2" import numbered_table %}{{ numbered_table(t) }}').render(t=table_view(table))
    assert html.count('<tr class="more">') == 26 and html.count("<tr") == 31
    write_docx(Results("t", [Section("s", "S", ["A sentence."], [table])], [], []), tmp_path / "r.docx")
    assert len(Document(str(tmp_path / "r.docx")).tables[0].rows) == 1 + 4
    config = tmp_path / "study.toml"
    config.write_text("[study]\ntable_rows = 25\n")
    assert load_config(config)["study"]["table_rows"] == 25 and load_config(None)["study"]["table_rows"] == 10
    config.write_text("[study]\ntable_rows = 0\n")
    with pytest.raises(ConfigError, match=r"table_rows must be in \[1, 500\]"):
        load_config(config)
