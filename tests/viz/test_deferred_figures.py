"""Vector figure files written later (viz.deferred) from the same drawing, the PDFs through one
shared document (viz.pdf_pages): the same files as written at once, one page each, TrueType fonts."""
from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

import bibliomap
from bibliomap.analysis.descriptive import describe
from bibliomap.viz import charts, deferred
from bibliomap.viz.mapplot import map_figure

sys.path.insert(0, str(Path(__file__).parent))
from mapgen import keyword_map  # noqa: E402

FORMATS = ("png", "svg", "pdf")


@pytest.fixture(scope="module")
def scopus(corpora):
    return bibliomap.read(str(corpora / "scopus-csv" / "bibliometrix_scopus_sample.csv"))


def _draw(scopus, folder: Path) -> list[Path]:
    """Charts of a real corpus, a map in two views and a word cloud, in every format."""
    desc = describe(scopus, top=8)
    m = keyword_map(scopus)
    with charts.figure_formats(FORMATS):
        paths = charts.annual_production_chart(desc.tables["annual_production"], folder / "annual_production")
        paths += charts.bar_chart(desc.tables["most_relevant_sources"], "Source", "Articles", "Most relevant sources", folder / "sources")
        paths += charts.word_cloud(desc.keyword_cloud, folder / "wordcloud")
        paths += map_figure(m, folder / "keyword_network", view="network", figure_width=4)
        paths += map_figure(m, folder / "keyword_density", view="density", figure_width=4)
    return paths


def _page(path: Path):
    reader = PdfReader(str(path))
    assert len(reader.pages) == 1, path.name
    page = reader.pages[0]
    fonts = [f.get_object() for f in page["/Resources"]["/Font"].values()]
    return page, fonts


@pytest.fixture(scope="module")
def drawn(scopus, tmp_path_factory):
    """The same figures written at once (``now``) and deferred (``later``, before and after writing)."""
    now = tmp_path_factory.mktemp("now")
    later = tmp_path_factory.mktemp("later")
    _draw(scopus, now)
    with deferring_all():
        promised = _draw(scopus, later)
    before = {p.name for p in later.iterdir()}
    queued = deferred.pending()
    written = deferred.write_pending()
    return now, later, promised, before, queued, written


def deferring_all():
    return deferred.deferring(("svg", "pdf"))


def test_only_the_pngs_are_written_at_once_and_the_rest_later(drawn):
    now, later, promised, before, queued, written = drawn
    assert {p.suffix for p in promised} == {".png", ".svg", ".pdf"}
    assert before == {p.name for p in promised if p.suffix == ".png"}
    assert sorted(queued) == sorted(p for p in promised if p.suffix != ".png") == sorted(written)
    assert deferred.pending() == []
    assert {p.name for p in later.iterdir()} == {p.name for p in now.iterdir()} == {p.name for p in promised}


def test_later_files_are_the_files_written_at_once(drawn):
    now, later, promised, *_ = drawn
    for p in promised:
        if p.suffix in (".png", ".svg") and p.stem != "wordcloud":
            assert (later / p.name).read_bytes() == (now / p.name).read_bytes(), p.name
    for p in promised:
        if p.suffix == ".pdf":  # the shared font subset differs; the page and its text do not
            page, fonts = _page(later / p.name)
            alone, _ = _page(now / p.name)
            assert [round(float(v), 1) for v in page.mediabox] == [round(float(v), 1) for v in alone.mediabox], p.name
            assert page.extract_text().split() == alone.extract_text().split(), p.name
            assert all(f["/Subtype"] == "/Type0" for f in fonts), p.name  # TrueType (Type 42), not Type 3
            descendant = fonts[0]["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"].get_object(), p.name  # the font is embedded


def test_the_word_cloud_pdf_sets_the_words_of_the_cloud(drawn):
    _now, later, *_ = drawn
    page, _fonts = _page(later / "wordcloud.pdf")
    svg = (later / "wordcloud.svg").read_text(encoding="utf-8")
    cloud = [html.unescape(w) for w in re.findall(r">([^<]+)</text>", svg)]
    text = "".join(page.extract_text().split())  # the extractor may run neighbouring words together
    assert len(cloud) > 10 and all("".join(w.split()) in text for w in cloud)


def test_a_figure_that_fails_costs_only_itself(scopus, tmp_path):
    desc = describe(scopus, top=5)
    with charts.figure_formats(FORMATS), deferring_all():
        good = charts.annual_production_chart(desc.tables["annual_production"], tmp_path / "annual")
        good += charts.word_cloud(desc.keyword_cloud, tmp_path / "cloud")
        from matplotlib.figure import Figure

        broken = Figure()
        broken.add_subplot().plot([0, 1], [0, 1])
        assert deferred.later_figure(tmp_path / "broken.pdf", broken, {"format": "pdf", "bbox_inches": "nowhere"})
    with pytest.raises(RuntimeError, match=r"1 figure file\(s\) not written: broken.pdf"):
        deferred.write_pending()
    assert not (tmp_path / "broken.pdf").exists()
    assert all(p.is_file() for p in good)
    assert deferred.pending() == []


def test_each_thread_writes_the_files_it_queued(scopus, tmp_path):
    """Two studies in two threads of one process: each writes only the files it queued. (They take
    turns drawing: matplotlib's settings are global to the process.)"""
    import threading

    desc = describe(scopus, top=5)
    seen: dict[str, list] = {}
    a_drew, b_done = threading.Event(), threading.Event()

    def draw(name: str) -> None:
        with charts.figure_formats(FORMATS), deferring_all():
            charts.annual_production_chart(desc.tables["annual_production"], tmp_path / name)
        seen[name] = deferred.pending()

    def study_a() -> None:
        draw("a")
        a_drew.set()
        b_done.wait(60)
        seen["a written"] = deferred.write_pending()

    def study_b() -> None:
        a_drew.wait(60)
        draw("b")
        seen["b written"] = deferred.write_pending()
        b_done.set()

    threads = [threading.Thread(target=study_a), threading.Thread(target=study_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for name in ("a", "b"):
        assert [p.name for p in seen[name]] == [f"{name}.svg", f"{name}.pdf"] == [p.name for p in seen[name + " written"]]
        assert (tmp_path / f"{name}.pdf").read_bytes()[:5] == b"%PDF-"
    assert deferred.pending() == []
