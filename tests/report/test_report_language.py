"""--lang id: the report, report.docx and the figures in Bahasa Indonesia, through the gettext catalogue."""
from __future__ import annotations

import html as html_lib
import re

import pytest
from babel.messages.pofile import read_po
from typer.testing import CliRunner

from bibliomap.cli import app
from bibliomap.i18n import LOCALE_DIR
from bibliomap.report.results import SECTIONS


def _catalogue():
    with (LOCALE_DIR / "id" / "LC_MESSAGES" / "bibliomap.po").open("rb") as f:
        return read_po(f, locale="id")


#: Every heading and caption of the report: section headings, table and figure captions, the frame.
HEADINGS = sorted({h for _, h, _ in SECTIONS} | {c for _, _, spec in SECTIONS for _, _, c in spec}
                  | {"Data and method", "Research questions", "Appendix: parameters and timings", "Contents",
                     "Flow of records from the exports to the analysis", "Records per input file",
                     "Parameters of the study", "Steps of the study and their timings",
                     "How are the articles classified?", "What are the research trends?",
                     "Which topics are published most?", "Which topics are open for future research?"})


def test_every_heading_has_an_indonesian_translation():
    catalogue = _catalogue()
    for heading in HEADINGS:
        message = catalogue.get(heading)
        assert message is not None and message.string and message.string != heading and not message.fuzzy, heading
    assert catalogue.get("Table {n}").string == "Tabel {n}" and catalogue.get("Figure {n}").string == "Gambar {n}"
    assert catalogue.get("Citation metrics").string == "Metrik sitasi"
    assert catalogue.get("Term co-occurrence network").string == "Jaringan ko-kemunculan istilah"


def test_the_compiled_catalogue_matches_the_po():
    from bibliomap.i18n import translations

    catalogue = _catalogue()
    compiled = translations("id")
    for message in catalogue:
        if message.id:
            assert compiled.gettext(message.id) == message.string, message.id


def _shown_headings(text: str) -> list[str]:
    parts = re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", text, flags=re.S)
    parts += re.findall(r'<p class="caption">(.*?)</p>', text, flags=re.S)
    parts += re.findall(r"<figcaption>(.*?)<span", text, flags=re.S)
    parts += re.findall(r'<nav id="toc".*?</nav>', text, flags=re.S)
    return [html_lib.unescape(re.sub(r"<[^>]+>", " ", p)) for p in parts]


def test_the_indonesian_report_has_no_english_heading_left(demo_study_id):
    text = (demo_study_id / "report.html").read_text(encoding="utf-8")
    assert '<html lang="id">' in text
    shown = " | ".join(_shown_headings(text))
    for heading in HEADINGS:
        assert not re.search(rf"(?<![\w-]){re.escape(heading)}(?![\w-])", shown), heading
    assert "Tabel 1." in shown and "Gambar 1." in shown and "Data dan metode" in shown and "Produksi ilmiah tahunan" in shown
    assert "Table 1." not in text and "Figure 1." not in text
    qa = text[text.index('id="questions"'):text.index('id="appendix"')]
    assert "(Tabel" in qa and "Bagaimana artikel-artikel tersebut diklasifikasikan?" in qa


def test_indonesian_docx_and_figures(demo_study_id):
    from docx import Document

    doc = Document(str(demo_study_id / "report.docx"))
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert captions and all(c.startswith(("Tabel ", "Gambar ")) for c in captions)
    svg = (demo_study_id / "figures" / "annual_production.svg").read_text(encoding="utf-8")
    assert "Tahun" in svg and "Dokumen" in svg
    flow = (demo_study_id / "figures" / "record_flow.svg").read_text(encoding="utf-8")
    assert "Rekaman" in flow


@pytest.mark.parametrize("args, message", [(["--lang", "fr"], "--lang must be one of en, id")])
def test_an_unknown_language_is_refused(tmp_path, args, message):
    res = CliRunner().invoke(app, ["study", *args, "--out", str(tmp_path / "x")])
    assert res.exit_code != 0 and message in res.output


def test_an_unknown_language_in_the_config_is_refused(tmp_path):
    from bibliomap.report.config import ConfigError, load_config

    cfg = tmp_path / "study.toml"
    cfg.write_text('[study]\nlang = "fr"\n')
    with pytest.raises(ConfigError, match="lang must be one of en, id"):
        load_config(cfg)
