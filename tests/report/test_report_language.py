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


def _tables(text: str) -> list[tuple[list[str], list[list[str]]]]:
    """(header, rows) of every numbered table of a report, as shown (all rows the report holds)."""
    out = []
    for table in re.findall(r'<table class="table numbered">(.*?)</table>', text, flags=re.S):
        header = [html_lib.unescape(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", table, flags=re.S)]
        rows = [[html_lib.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r, flags=re.S)]
                for r in re.findall(r"<tr[^>]*>(.*?)</tr>", table.split("<tbody>", 1)[1], flags=re.S)]
        out.append((header, rows))
    return out


def test_generated_table_values_are_in_indonesian(demo_study, demo_study_id):
    """Quadrant, status, kind, zone, metric and main-information labels and the generated reasons and
    evidence are shown through the catalogue; terms and titles stay as in the data."""
    from bibliomap.i18n import language
    from bibliomap.report.columns import column_label
    from bibliomap.report.values import GENERATED, LABELS, SENTENCES, translate_value

    english = set(LABELS)
    templates = [re.compile("".join(re.escape(p) if i % 2 == 0 else ".+?" for i, p in enumerate(re.split(r"\{(\w+)\}", t))) + r"\Z")
                 for t in SENTENCES]
    with language("id"):
        generated = {column_label(c): c for c in GENERATED}
    en_tables = _tables((demo_study / "report.html").read_text(encoding="utf-8"))
    id_tables = _tables((demo_study_id / "report.html").read_text(encoding="utf-8"))
    assert len(en_tables) == len(id_tables)
    checked = 0
    for (_h, en_rows), (header, id_rows) in zip(en_tables, id_tables):
        for k, name in enumerate(header):
            if name not in generated:
                continue
            sep = GENERATED[generated[name]] or None
            for en_row, id_row in zip(en_rows, id_rows):
                parts = id_row[k].split(sep) if sep else [id_row[k]]
                for part in parts:
                    left = part in english and translate_value(part) == part or any(t.match(part) for t in templates)
                    assert not left or part in ("AWCR", "AWCRpA", "Keywords Plus (ID)"), (name, part)
                checked += en_row[k] != id_row[k]
    assert checked >= 40  # quadrants, statuses, kinds, reasons, evidence, zones, metrics, main information
    shown = " ".join(c for _h, rows in id_tables for row in rows for c in row)
    for word in ("tema penggerak", "stabil", "Zona 1", "Rentang waktu", "Indeks-h"):
        assert word in shown, word
    text = (demo_study_id / "report.html").read_text(encoding="utf-8")
    qa = text[text.index('id="questions"'):text.index('id="appendix"')]
    # where the answers quote gap candidates' reasons, they quote them translated (the demo's growing
    # candidates no longer pass the FDR test, so whether any is quoted depends on the data; the
    # translation of reasons is checked on its own below)
    assert "rare (" not in qa and "bridges clusters" not in qa
    notes = " ".join(re.findall(r'<div class="note[^"]*">(.*?)</div>', text, flags=re.S))
    assert "hanya 0% rekaman yang memiliki referensi" in notes and "records" not in notes
    # the terms of the thematic map's table stay as in the data
    terms = {c for h, rows in en_tables for row in rows for name, c in zip(h, row) if name == "Label"}
    assert terms and terms <= {c for _h, rows in id_tables for row in rows for c in row}


def test_the_map_viewers_speak_indonesian(demo_study_id):
    from bibliomap.i18n import translations
    from bibliomap.viz.viewer import MEASURES, UI_TEXT

    text = (demo_study_id / "report.html").read_text(encoding="utf-8")
    payloads = re.findall(r'<script type="application/json" id="map-[\w-]+-data">(.*?)</script>', text, flags=re.S)
    assert len(payloads) >= 3
    import json

    catalogue = translations("id")
    for payload in payloads:
        data = json.loads(payload)
        assert data["text"] == {m: catalogue.gettext(m) for m in UI_TEXT}
        assert data["text"]["Search items"] == "Cari butir" and data["text"]["Reset view"] == "Atur ulang tampilan"
        names = {**data["weights"], **data["scores"]}
        assert data["names"] and all(data["names"][n] == catalogue.gettext(n) != n for n in names if n in MEASURES)
        assert all(c["label"] for c in data["clusters"])


def test_every_message_of_the_code_has_a_translation():
    """The catalogue is complete: every message marked in the code and templates is translated
    (scripts/build_catalogues.py --check, which extracts them with Babel)."""
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "scripts" / "build_catalogues.py"
    res = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_step_messages_and_gap_reasons_are_shown_in_indonesian():
    from bibliomap.i18n import language
    from bibliomap.report.values import cell_text, translate_value

    with language("id"):
        assert translate_value("only 0% of the records have references, too few for citation, coupling and co-citation maps") == (
            "hanya 0% rekaman yang memiliki referensi, terlalu sedikit untuk peta sitasi, kopling, dan ko-sitasi")
        assert translate_value("the Author keyword co-occurrence network has 1 items and 0 links: nothing to map").startswith(
            "jaringan Ko-kemunculan kata kunci penulis memiliki 1 butir")
        reason = ("rare (13 documents) and growing: 10.2% of the documents of the last 3 years against 2.0% before (x5.2, "
                  "Fisher q=0.009 over the 57 rare items); "
                  "bridges clusters (betweenness 0.074, top 10%) from cluster 4, a weakly developed theme (density 3.1)")
        shown = cell_text(reason, "reason")
        # numbers in the Indonesian way: a decimal comma
        assert shown.startswith("jarang (13 dokumen) dan bertumbuh: 10,2% dari dokumen 3 tahun terakhir")
        assert "(x5,2, Fisher q=0,009 atas 57 butir yang jarang); menjembatani" in shown and "(densitas 3,1)" in shown
        assert cell_text("rare and growing + bridge", "kind") == "jarang dan bertumbuh + jembatan"
        assert cell_text("bridge", "item") == "bridge"  # a term of the data stays as it is
        assert cell_text(True, "selected") == "ya"
    assert cell_text(reason, "reason") == reason  # English: as the analysis wrote it


def test_a_cell_of_several_generated_sentences_is_translated_sentence_by_sentence():
    from bibliomap.i18n import language
    from bibliomap.report.values import translate_value

    both = ("rare (13 documents) and growing: 10.2% of the documents of the last 3 years against 2.0% before "
            "(x5.2, Fisher q=0.009 over the 57 rare items); bridges clusters (betweenness 0.036, top 10%) from cluster 2, a weakly "
            "developed theme (density 5.1)")
    with language("id"):
        shown = translate_value(both)
        assert shown.startswith("jarang (13 dokumen)") and "; menjembatani klaster" in shown
        assert "(x5,2, Fisher q=0,009 atas 57 butir yang jarang)" in shown  # the family of the test, translated too
        assert translate_value("implementation; processor; parallelism") == "implementation; processor; parallelism"


def _english_of(catalogue, where: str = "") -> tuple[set[str], list[re.Pattern[str]]]:
    """The catalogue's English messages that Indonesian translates differently (those used in files
    under ``where`` only, when given): whole messages (a heading, a label) and, for the sentences
    among them, a pattern that finds one inside a text with its fields filled in."""
    whole, sentences = set(), []
    for m in catalogue:
        if not m.id or not m.string or m.string == m.id or (where and not any(f.startswith(where) for f, _n in m.locations)):
            continue
        whole.add(m.id)
        parts = re.split(r"\{[^}]*\}", m.id)
        if sum(len(p.strip()) for p in parts) >= 20 and " " in m.id:
            sentences.append(re.compile("(?<![\\w-])" + ".+?".join(re.escape(p) for p in parts)))
    return whole, sentences


def _english_left(texts: list[str], catalogue, where: str = "") -> list[str]:
    whole, sentences = _english_of(catalogue, where)
    return [t for t in texts if t in whole or any(p.search(t) for p in sentences)]


def _report_texts(text: str) -> list[str]:
    """What the report itself says, not the data: headings, the table of contents, captions (without
    the files they name), lead sentences, notes, answers, column headings, table feet, buttons."""
    parts = re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", text, flags=re.S)
    parts += re.findall(r'<p class="(?:lead|caption|tbl-foot)">(.*?)</p>', text, flags=re.S)
    parts += re.findall(r"<figcaption>(.*?)<span", text, flags=re.S)
    parts += re.findall(r'<div class="note[^"]*">(.*?)</div>', text, flags=re.S)
    parts += re.findall(r"<li><a [^>]*>(.*?)</a></li>", text, flags=re.S)
    parts += re.findall(r"<th[^>]*>(.*?)</th>", text, flags=re.S)
    parts += re.findall(r'data-(?:more|less)="([^"]*)"', text)
    qa = text[text.index('id="questions"'):text.index('id="appendix"')]
    parts += re.findall(r"<p>(.*?)</p>", qa, flags=re.S)
    parts += re.findall(r"<footer>(.*?)</footer>", text, flags=re.S)
    out = []
    for p in parts:
        shown = html_lib.unescape(re.sub(r"<[^>]+>", " ", p)).strip()
        out += [shown, re.sub(r"^(?:Tabel|Gambar) A?\d+\.\s*", "", shown)]
    return out


def test_the_indonesian_report_says_nothing_in_english_checked_against_the_catalogue(demo_study_id):
    """No heading, caption, label or generated sentence of the Indonesian report is one of the
    catalogue's English messages (sentences found inside longer text, their fields filled in)."""
    catalogue = _catalogue()
    text = (demo_study_id / "report.html").read_text(encoding="utf-8")
    texts = _report_texts(text)
    assert len(texts) > 300
    assert _english_left(texts, catalogue) == []
    # a heading left in English would be found: the check is not vacuous
    assert _english_left(["Term co-occurrence network", "No item reaches the minimum frequency"], catalogue) == [
        "Term co-occurrence network", "No item reaches the minimum frequency"]
    assert "Studi bibliometrik" in text and "makalah konferensi" in text  # the default title; bibliomap's document types


def test_the_indonesian_docx_says_nothing_in_english_checked_against_the_catalogue(demo_study_id):
    from docx import Document

    catalogue = _catalogue()
    doc = Document(str(demo_study_id / "report.docx"))
    texts = [p.text for p in doc.paragraphs if p.text]
    texts += [re.sub(r"^(?:Tabel|Gambar) A?\d+\.\s*", "", p.text) for p in doc.paragraphs if p.style.name == "Caption"]
    texts += [c.text for t in doc.tables for c in t.rows[0].cells]  # column headings
    assert _english_left(texts, catalogue) == []
    assert doc.paragraphs[0].text == "Studi bibliometrik"
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    for heading in HEADINGS:
        assert heading not in headings, heading


def _svg_texts(path) -> list[str]:
    svg = path.read_text(encoding="utf-8")
    return [html_lib.unescape(re.sub(r"<[^>]+>", "", t)).strip() for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)]


def test_the_indonesian_figures_say_nothing_in_english_checked_against_the_catalogue(demo_study_id, tmp_path):
    """Titles, axis labels, legends and annotations of every figure (the flow diagram's boxes
    included) against the English messages of the figure code; terms and titles stay as in the data."""
    from bibliomap.i18n import language
    from bibliomap.viz.charts import quartile_chart

    catalogue = _catalogue()
    figures = sorted((demo_study_id / "figures").glob("*.svg"))
    assert len(figures) >= 17
    for svg in figures:
        assert _english_left(_svg_texts(svg), catalogue, where="viz/") == [], svg.name
    assert "inklusi berbobot" in " ".join(_svg_texts(demo_study_id / "figures" / "thematic_evolution.svg"))
    assert "makalah konferensi" in _svg_texts(demo_study_id / "figures" / "document_types.svg")
    # numbers drawn in the figures have the decimal comma too: Lotka's tick labels, the bursts' strengths
    assert "0,2" in _svg_texts(demo_study_id / "figures" / "lotka.svg")
    for name in ("lotka.svg", "bursts.svg"):
        assert not [t for t in _svg_texts(demo_study_id / "figures" / name) if re.fullmatch(r"[−-]?\d+\.\d+(\s.*)?", t)], name
    # the quartile chart (a study with an SJR file), drawn alone
    import pandas as pd

    with language("id"):
        quartile_chart(pd.DataFrame({"Quartile": ["Q1", "Q2", "Q3", "Q4", "no quartile"], "Documents": [5, 4, 3, 2, 9]}), tmp_path / "q")
    texts = _svg_texts(tmp_path / "q.svg")
    assert _english_left(texts, catalogue, where="viz/") == [] and "no quartile" not in texts and "tanpa kuartil" in " ".join(texts).lower()


def test_every_document_type_of_bibliomap_has_a_translation():
    from bibliomap.corpus.finalize import DOC_TYPES
    from bibliomap.i18n import language
    from bibliomap.report.values import cell_text

    catalogue = _catalogue()
    for kind in set(DOC_TYPES.values()):
        assert catalogue.get(kind) is not None and catalogue.get(kind).string, kind
    with language("id"):
        assert cell_text("conference paper", "Document Type") == "makalah konferensi"
        assert cell_text("article (29); review (2); oup journals (1)", "doc_types") == "artikel (29); ulasan (2); oup journals (1)"
        assert cell_text("conference paper", "Title") == "conference paper"  # a title of the data stays


def test_every_reader_reason_is_translated_with_its_values_kept():
    """Each reason a reader gives for rejecting a record is a catalogue template: in Indonesian it
    reads differently and keeps the values it names (cells, columns, keys)."""
    from bibliomap.i18n import language
    from bibliomap.report.values import READER_REASONS, translate_value

    for template in READER_REASONS:
        fields = re.findall(r"(?<!\{)\{(\w+)\}", template)
        values = {name: f"V{k}x" for k, name in enumerate(fields)}
        english = template.format(**values)
        with language("id"):
            shown = translate_value(english)
        assert shown != english, template
        assert all(v in shown for v in values.values()), (template, shown)


def test_rejections_of_damaged_real_exports_are_shown_in_indonesian(corpora, tmp_path):
    """A RIS export cut inside a record and a CSV row that lost a cell: the readers' reasons (English
    in ingest.json) are Indonesian in what the report's record-flow diagram shows."""
    from bibliomap.i18n import language
    from bibliomap.io.ingest import ingest
    from bibliomap.report.values import translated_reasons

    ris = (corpora / "ris" / "example.ris").read_text(encoding="utf-8")
    cut = tmp_path / "cut.ris"
    cut.write_text(ris[: ris.rindex("ER  -")], encoding="utf-8")
    lines = (corpora / "ieee-csv" / sorted(p.name for p in (corpora / "ieee-csv").glob("*.csv"))[0]).read_text(encoding="utf-8-sig").splitlines()
    broken = tmp_path / "broken.csv"
    row = lines[2].split('","')
    broken.write_text("\n".join([lines[0], lines[1], '","'.join(row[:3] + row[4:]), *lines[3:6]]) + "\n", encoding="utf-8")
    report = ingest([cut, broken]).ingest_report
    reasons = [r["reason"] for f in report["files"] for r in f["rejected"]]
    assert any("not closed by 'ER  - '" in r for r in reasons) and any(r.startswith("row has ") for r in reasons), reasons
    with language("id"):
        shown = [r["reason"] for f in translated_reasons(report)["files"] for r in f["rejected"]]
    assert len(shown) == len(reasons)
    assert all(s != r for s, r in zip(shown, reasons)), shown
    assert any("rekaman tidak ditutup" in s for s in shown) and any(s.startswith("baris memiliki") for s in shown), shown


def test_numbers_are_written_with_the_languages_decimal_symbol():
    from bibliomap.i18n import _, language, localize_number
    from bibliomap.report.values import cell_text

    template = "{docs} documents received {cites} citations ({cpp:.2f} per document, {share:.1%}, {n:,})"
    assert _(template).format(docs=441, cites=6176, cpp=14.0, share=0.102, n=5283) == (
        "441 documents received 6176 citations (14.00 per document, 10.2%, 5,283)")
    with language("id"):
        # an Indonesian reader takes "5.283" for five thousand: decimal comma, group point (CLDR, via Babel)
        assert _(template).format(docs=441, cites=6176, cpp=14.0, share=0.102, n=5283) == (
            "441 documents received 6176 citations (14,00 per document, 10,2%, 5.283)")
        assert localize_number("1,234.5") == "1.234,5"
        assert cell_text(0.3286, "value") == "0,3286" and cell_text(2015.0, "year") == "2015"
        assert cell_text("10.1109/ipdps.2013.53", "doi") == "10.1109/ipdps.2013.53"  # text from the data stays
    assert cell_text(0.3286, "value") == "0.3286"
