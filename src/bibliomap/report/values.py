"""The cells of the report's tables as text, in the report's language.

The analyses write English values into their tables: quadrant and status names, metric and
statistic labels, kinds of gap and the sentences that give a row's reason or evidence. The
tables keep them (the CSV files, the workbook and the code that reads the tables compare
them); the report and report.docx show them through the message catalogue. Only the columns
listed in :data:`GENERATED` are translated, so a term, title or name from the data that happens
to read like a label ("bridge", "stable") stays as it is. A sentence is matched against its
English template (the catalogue's message, with ``{name}`` fields), so the translation carries
the same numbers; a value that matches nothing is shown as it is.
"""
from __future__ import annotations

import functools
import re
from typing import Any

import numpy as np
import pandas as pd

from bibliomap.i18n import N_, _, current_language, localize_number

#: Whole values the analyses write (thematic quadrants, trend statuses, gap kinds, Bradford zones,
#: bibliometrix's main-information rows, Publish or Perish's metric names, quartile statistics).
LABELS = (
    N_("motor themes"), N_("niche themes"), N_("emerging or declining themes"), N_("basic themes"),
    N_("emerging"), N_("declining"), N_("stable"), N_("undetermined"),
    N_("rare and growing"), N_("bridge"),
    N_("limitation"), N_("open problem"), N_("need"), N_("future work"),
    N_("no quartile"), N_("SJR year"), N_("Match rate"), N_("Matched by ISSN"), N_("Matched by title"),
    N_("Bradford multiplier"), N_("Fit a"), N_("Fit b"),
    # main information (bibliometrix)
    N_("Main information about data"), N_("Document contents"), N_("Authors"), N_("Authors collaboration"),
    N_("Document types"), N_("Timespan"), N_("Sources (Journals, Books, etc)"), N_("Documents"),
    N_("Annual Growth Rate %"), N_("Document Average Age"), N_("Average citations per doc"),
    N_("Average citations per year per doc"), N_("References"), N_("Keywords Plus (ID)"), N_("Author's Keywords (DE)"),
    N_("Author Appearances"), N_("Authors of single-authored docs"), N_("Single-authored docs"),
    N_("Documents per Author"), N_("Co-Authors per Doc"), N_("International co-authorships %"), N_("Collaboration Index"),
    # citation metrics (Publish or Perish)
    N_("Publication years"), N_("Citation years"), N_("Papers"), N_("Citations"), N_("Cites/year"), N_("Cites/paper"),
    N_("Cites/paper (median)"), N_("Cites/paper (mode)"), N_("Cites/author"), N_("Cites/author/year"),
    N_("Papers/author"), N_("Authors/paper"), N_("Authors/paper (median)"), N_("Authors/paper (mode)"),
    N_("h-index"), N_("h-core share of citations"), N_("g-index"), N_("e-index"), N_("hc-index"), N_("hI-index"),
    N_("hI,norm"), N_("hI,annual"), N_("hm-index"), N_("hA-index"), N_("AWCR"), N_("AW-index"), N_("AWCRpA"),
    N_("Papers with ACC >= 1"), N_("Papers with ACC >= 2"), N_("Papers with ACC >= 5"), N_("Papers with ACC >= 10"),
    N_("Papers with ACC >= 20"), N_("Hirsch a"), N_("Hirsch m"), N_("Contemporary ac"), N_("Reference year"),
    N_("Papers with truncated author lists"),
)

#: bibliomap's own document types (the values of ``bibliomap.corpus.finalize.DOC_TYPES``): a type
#: the exports name otherwise ("oup journals") stays as exported.
DOC_TYPES = (
    N_("article"), N_("review"), N_("conference paper"), N_("book chapter"), N_("book"), N_("editorial"), N_("letter"),
    N_("note"), N_("erratum"), N_("retraction"), N_("preprint"), N_("other"), N_("dataset"), N_("thesis"), N_("report"),
    N_("meeting abstract"), N_("standard"),
)

#: Sentences the analyses write, as templates: the English text is both the catalogue's message
#: and the pattern that reads the values back. More specific templates first.
SENTENCES = (
    N_("rare ({n} documents) and growing: {recent} of the documents of the last {years} years against {earlier} "
       "before (x{growth}, Fisher q={p} over the {rare} rare items)"),
    N_("rare ({n} documents) and growing: {recent} of the documents of the last {years} years against {earlier} "
       "before (x{growth})"),
    N_("bridges clusters (betweenness {betweenness}, top {top}) from cluster {cluster}, a weakly developed theme "
       "(density {density})"),
    N_("share x{growth} in {n} recent documents, Fisher q={q}: a rise, but below x1.5"),
    N_("share x{growth} after {n} earlier documents, Fisher q={q}: a fall, but above x0.67"),
    N_("share x{growth} in {n} recent documents, Fisher q={q}"),
    N_("new in {n} recent documents, Fisher q={q}"),
    N_("share x{growth} after {n} earlier documents, Fisher q={q}"),
    N_("no rise or fall supported (needs a share x1.5 or x0.67, >= {n} documents and FDR q <= {q})"),
    N_("every year is recent: nothing earlier to compare with"),
    N_("Zone {n}"),
)

#: What the study's steps report (why a step was skipped, what a step made), shown in the notes of
#: the report and in its table of steps (Table A2); the manifest keeps them in English.
STEP_MESSAGES = (
    N_("{read} records read, {duplicates} duplicates merged, {rejected} rejected, {analysed} analysed"),
    N_("reference year {year}: h-index {h}, {citations} citations; {n} tables"),
    N_("no SCImago file given (--sjr SJR.csv)"),
    N_("SJR {year}: {rate} of records matched; {n} sources without a quartile"), N_("no sources to match"),
    N_("only {share} of the records have {field}, too few for {what}"),
    N_("no titles or abstracts to extract terms from"),
    N_("only {n} terms meet the threshold of {minimum} occurrences; lower terms.min_occurrences"),
    N_("{n} candidate terms, {selected} selected"),
    N_("the {title} network has {n} items and {links} links: nothing to map"),
    N_("no terms were selected"),
    N_("{n} terms, {links} links, {clusters} clusters"), N_("{n} keywords, {clusters} clusters"),
    N_("{n} authors, {links} links"), N_("{n} countries, {links} links"),
    N_("the references produce no coupling or co-citation links at these thresholds"),
    N_("no publication years"), N_("no terms or keywords to follow over time"),
    N_("{n} trend topics, {bursts} bursts ({unit}), {references} reference bursts"),
    N_("no term or keyword map to derive themes from"),
    N_("{n} themes; {share} of documents classified; {gaps} gap candidates; {links} evolution links"),
    N_("no maps"), N_("{n} cluster tables"), N_("{n} figure files, {viewers} map viewers"), N_("{n} tables as CSV"),
    N_("{n} files"), N_("no tables"),
)
#: Why a reader rejected a record (``ingest.json`` keeps them in English), shown translated in the
#: report's record-flow diagram; the longer of two templates with the same start comes first.
READER_REASONS = (
    N_("row has {n} cells but the header has {width} columns (a cell too many: a stray delimiter or quote?), "
       "and they cannot be aligned"),
    N_("row has {n} cells but the header has {width} columns (a cell too many: a stray delimiter or quote?)"),
    N_("row has {n} cells but the other rows have {expected} (a cell is missing, or the file was cut), "
       "and they cannot be aligned"),
    N_("row has {n} cells but the other rows have {expected} (a cell is missing, or the file was cut)"),
    N_("row has {n} cells but the other rows have {expected}, and they cannot be aligned"),
    N_("row has {n} cells but the other rows have {expected}"),
    N_("row has {n} cells but the header names {width} columns (truncated or broken row)"),
    N_("the cells do not line up with the header: {misfit}"),
    N_("record not closed by 'ER  - ' before the end of the file (truncated export?)"),
    N_("record not closed by 'ER  - ' before the next TY"),
    N_("entry start {start} is not '@type{{key,': the entry cannot be read"),
    N_("malformed @{kind} entry {key}: {reason} (near line {line})"),
    N_("@{kind} entry {key} has no title and no identifier"),
    N_("record has neither a title (TI) nor an identifier (UT, DI)"),
    N_("record has neither a title (TI/T1) nor an identifier (DO, AN)"),
    N_("record has neither a title (TI/BTI) nor a PMID"),
    N_("row has neither a title nor a Work ID"), N_("row has neither an Item Title nor an Item DOI"),
    N_("row has neither a Title nor a Publication ID/DOI"), N_("row has neither a Document Title nor a DOI"),
    N_("row has neither a Title nor a Lens ID"),
    N_("no title and no DOI"), N_("no title and no identifier (DOI, EID, PubMed ID)"),
    N_("invalid JSON on this line (column {column}: {message})"),
    N_("expected an OpenAlex work object, got {kind}"), N_("expected a Crossref work object, got {kind}"),
    N_("work has neither id nor title"), N_("work has neither DOI nor title"),
)

#: Words the step messages fill in (fields, analyses, units).
STEP_WORDS = (
    N_("author keywords"), N_("authors"), N_("countries"), N_("references"), N_("terms"),
    N_("the keyword co-occurrence map"), N_("co-authorship"), N_("country co-authorship"),
    N_("citation, coupling and co-citation maps"), N_("coupling"), N_("co-citation"), N_("coupling, co-citation"),
)

#: Columns whose values the analyses generate, with the separator of a compound value ('' for none).
GENERATED: dict[str, str] = {
    "quadrant": "", "status": "", "kind": " + ", "kinds": "; ", "reason": "; ", "evidence": "",
    "Zone": "", "Section": "", "Description": "", "Metric": "", "Statistic": "", "Quartile": "",
    "Document Type": "", "doc_types": "; ",
}


@functools.cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    out = []
    for template in SENTENCES + STEP_MESSAGES + READER_REASONS:
        parts = re.split(r"(?<!\{)\{(\w+)\}", template)  # literal, name, literal, name, ...
        regex = "".join(re.escape(p.replace("{{", "{").replace("}}", "}")) if i % 2 == 0 else f"(?P<{p}>.+?)"
                        for i, p in enumerate(parts))
        out.append((re.compile(regex + r"\Z"), template))
    return tuple(out)


def translated_reasons(report: dict[str, Any]) -> dict[str, Any]:
    """A copy of an ingest report whose rejection reasons are in the current language (for display)."""
    files = [{**f, "rejected": [{**r, "reason": translate_value(str(r.get("reason", "")))} for r in f.get("rejected", [])]}
             for f in report.get("files", [])]
    return {**report, "files": files}


def translate_value(text: str) -> str:
    """One generated value in the current language: a label, or a sentence matching a template (the
    words it fills in translated too when the catalogue has them, such as a map's title)."""
    if text in _LABEL_SET:
        return _(text)
    counted = _COUNTED.match(text)  # "article (29)": a label with its count
    if counted and counted["label"] in _LABEL_SET:
        return f"{_(counted['label'])} ({counted['n']})"
    if "; " in text:  # several sentences in one cell (a gap candidate both growing and bridging)
        parts = text.split("; ")
        translated = [translate_value(part) for part in parts]
        if all(t != p for t, p in zip(translated, parts)):
            return "; ".join(translated)
    for pattern, template in _patterns():
        m = pattern.match(text)
        if m:
            return _(template).format(**{k: localize_number(v) if _NUMBER.match(v) else _(v) for k, v in m.groupdict().items()})
    return text


_LABEL_SET = frozenset(LABELS + STEP_WORDS + DOC_TYPES)
#: a number a generated sentence holds ("0.074", "10.2%", "1,234"), written in the report's language when shown
_NUMBER = re.compile(r"-?\d{1,3}(?:,\d{3})*(?:\.\d+)?%?\Z|-?\d+(?:\.\d+)?(?:e[-+]?\d+)?%?\Z")
_COUNTED = re.compile(r"(?P<label>.+) \((?P<n>\d+)\)\Z")


def with_sentences_shown(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with its generated sentences (reasons, evidence) and document types in the current
    language, for text that quotes them (the answers to the research questions)."""
    columns = [c for c in ("reason", "evidence", "doc_types", "Document Type") if c in df]
    if not columns or current_language() == "en":
        return df
    return df.assign(**{c: [cell_text(v, c) for v in df[c]] for c in columns})


def cell_text(value: Any, column: object = None) -> str:
    """A table cell as the report shows it: numbers formatted, yes/no for truth values, and the
    values of :data:`GENERATED` columns in the report's language."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return _("yes") if value else _("no")
    if isinstance(value, (float, np.floating)):
        return number_text(float(value))
    text = str(value)
    separator = GENERATED.get(str(column))
    if separator is None or current_language() == "en":
        return text
    if separator:
        return separator.join(translate_value(part) for part in text.split(separator))
    return translate_value(text)


def number_text(v: float) -> str:
    """Whole numbers plainly (years stay 2015, not 2,015), others with three to four significant digits,
    with the decimal symbol of the report's language (``localize_number``: 0,3286 in Indonesian)."""
    if v != v:  # NaN
        return ""
    if float(v).is_integer():
        return str(int(v))
    return localize_number(f"{v:.1f}" if abs(v) >= 100 else f"{v:.4g}")
