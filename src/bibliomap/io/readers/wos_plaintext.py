"""Web of Science plain-text export (savedrecs.txt): FN/VR header, 2-letter tags, ER/EF.

Also home of the WoS field mapping shared with the tab-delimited reader
(:func:`build_wos_record`) and of small helpers shared by the tagged-format
readers (:func:`normalize_newlines`, :func:`iso_date`, :func:`page_range`).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from bibliomap.corpus.identifiers import normalize_doi, normalize_pmid, normalize_wos_ut, split_isbns, split_issns
from bibliomap.corpus.names import initials, parse_name, strip_accents
from bibliomap.corpus.schema import new_record
from bibliomap.io.readers.base import ReaderError, Source, register
from bibliomap.io.readers.csvutil import count_cell, to_year, year_cell

# ---------------------------------------------------------------------------
# helpers shared by the tagged-format readers
# ---------------------------------------------------------------------------

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_YEAR = re.compile(r"\b\d{4}\b")
_NUMERIC_DATE = re.compile(r"^\s*(\d{4})(?:[/\-.](\d{1,2}))?(?:[/\-.](\d{1,2}))?(?!\d)")
_MONTH_WORD = re.compile(r"\b([A-Za-z]{3})[A-Za-z]*\.?")
_DAY = re.compile(r"(?<![\d-])(\d{1,2})(?![\d])")


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF, so line numbers and regexes see one convention."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def tagged_blocks(text: str, first: re.Pattern[str], later: re.Pattern[str], source: Source, tag: str) -> list[tuple[int, int, str]]:
    """Split a tagged export into records: (record number, line where it starts, its text).

    ``first`` matches a record start at the very beginning of the text, ``later`` a
    newline followed by a record start. Text before the first record is reported.
    """
    starts = [0] if first.match(text) else []
    starts += [m.start() + 1 for m in later.finditer(text)]
    if starts and text[: starts[0]].strip():
        source.warn(f"{source.where(line=1)}: text before the first {tag} line was ignored")
    blocks = []
    line, pos = source.first_line, 0
    for record_no, start in enumerate(starts, start=1):
        end = starts[record_no] if record_no < len(starts) else len(text)
        line += text.count("\n", pos, start)
        pos = start
        blocks.append((record_no, line, text[start:end]))
    return blocks


def iso_date(value: str | None, year: int | None = None) -> str | None:
    """A partial ISO date ('YYYY', 'YYYY-MM' or 'YYYY-MM-DD') from export date strings.

    Handles '2019/05/12/', '2022-06', '2026 FEB 25', 'NOV' (with ``year``),
    '2021 Jan-Feb' (first month) and '24-27 Sept. 2019'; seasons give the year only.
    """
    if not value:
        return str(year) if year else None
    m = _NUMERIC_DATE.match(value)
    if m and m.group(2) and 1 <= int(m.group(2)) <= 12:
        y, mo, d = m.group(1), int(m.group(2)), m.group(3)
        if d and 1 <= int(d) <= 31:
            return f"{y}-{mo:02d}-{int(d):02d}"
        return f"{y}-{mo:02d}"
    y = to_year(value)
    if y is None:
        y = year
    if y is None:
        return None
    rest = _YEAR.sub(" ", value)
    month = None
    for mm in _MONTH_WORD.finditer(rest):
        month = _MONTHS.get(mm.group(1).lower())
        if month:
            break
    if not month:
        return str(y)
    dm = _DAY.search(rest)
    if dm and 1 <= int(dm.group(1)) <= 31:
        return f"{y}-{month:02d}-{int(dm.group(1)):02d}"
    return f"{y}-{month:02d}"


def page_range(start: str | None, end: str | None) -> tuple[str | None, str | None]:
    """Stripped start/end pages; an abbreviated end page ('1145', '52') is expanded to '1152'."""
    s = start.strip() if start else None
    e = end.strip() if end else None
    if s and e and s.isdigit() and e.isdigit() and len(e) < len(s):
        full = s[: len(s) - len(e)] + e
        if int(full) >= int(s):
            e = full
    return s or None, e or None


def split_semicolons(value: str | None) -> list[str]:
    """'a; b;; c' -> ['a', 'b', 'c'] keeping order, dropping empties and exact duplicates."""
    if not value:
        return []
    return list(dict.fromkeys(p for p in (x.strip() for x in value.split(";")) if p))


def _fold(text: str | None) -> str:
    """Lower-case without accents (fast path for ASCII)."""
    if not text:
        return ""
    return (text if text.isascii() else strip_accents(text)).lower().strip()


def _name_keys(author: dict) -> tuple[str, str, str]:
    """Match keys of an author: 'smith, john a', 'smith ja' and 'smith j'."""
    surname = _fold(author.get("surname") or author.get("name"))
    given = _fold(author.get("given"))
    ini = initials(author.get("given")).lower()
    full = f"{surname}, {given}" if given else surname
    return full, f"{surname} {ini}".strip(), f"{surname} {ini[:1]}".strip()


def name_index(authors: list[dict], aliases: list[str] | None = None) -> dict[str, int]:
    """Lookup from several spellings of each author's name to the author's position.

    Keys: the full key ('smith, john a'), the initials key ('smith ja') and the
    surname plus first initial ('smith j'), so 'SMITH, JOHN' in an ORCID list or
    'Smith, J. A.' in an address block still find the author. ``aliases`` holds a
    second spelling per author (e.g. WoS AU beside AF). Keys shared by two
    authors are dropped as ambiguous.
    """
    index: dict[str, int] = {}
    ambiguous: set[str] = set()
    spellings = list(enumerate(authors))
    if aliases and len(aliases) == len(authors):
        spellings += [(i, parse_name(n, "surname_first")) for i, n in enumerate(aliases)]
    for i, a in spellings:
        for k in _name_keys(a):
            if not k:
                continue
            if k in index and index[k] != i:
                ambiguous.add(k)
            index.setdefault(k, i)
    for k in ambiguous:
        index.pop(k, None)
    return index


def find_author(index: dict[str, int], raw_name: str) -> int | None:
    """Position of the author named ``raw_name`` ('Surname, Given'), or None."""
    for k in _name_keys(parse_name(raw_name, "surname_first")):
        if k in index:
            return index[k]
    return None


class AuthorLookup:
    """Finds an author's position from a name as another field spells it (C1, OI, RP).

    Exact spellings (AF or AU as given) are tried first; the normalized index of
    :func:`name_index` is built only when an exact lookup misses.
    """

    def __init__(self, authors: list[dict], names: list[str], aliases: list[str] | None = None) -> None:
        self.authors = authors
        self.aliases = aliases
        self.exact: dict[str, int] = {}
        for spelling in (names, aliases or []):
            if len(spelling) != len(authors):
                continue
            for i, n in enumerate(spelling):
                if self.exact.setdefault(n, i) != i:
                    self.exact[n] = -1  # two authors spelled alike: ambiguous
        self._index: dict[str, int] | None = None

    def find(self, raw_name: str) -> int | None:
        name = raw_name.strip()
        pos = self.exact.get(name)
        if pos is not None and pos >= 0:
            return pos
        if self._index is None:
            self._index = name_index(self.authors, self.aliases)
        return find_author(self._index, name)


# ---------------------------------------------------------------------------
# WoS field mapping (plain text and tab-delimited)
# ---------------------------------------------------------------------------

#: Tags whose plain-text continuation lines are separate values (one per line).
WOS_LINE_LIST_TAGS = frozenset({"AU", "AF", "BA", "BF", "BE", "CA", "GP", "C1", "CR", "BN"})
#: Tags mapped to schema fields; every other tag goes to ``extra`` verbatim.
_WOS_MAPPED = frozenset({
    "PT", "AU", "AF", "TI", "SO", "LA", "DT", "DE", "ID", "AB", "C1", "OI", "CR", "TC", "PU", "SN", "EI",
    "BN", "J9", "PY", "PD", "VL", "IS", "BP", "EP", "AR", "DI", "PM", "WC", "UT", "FU",
})
_C1_BLOCK = re.compile(r"^\[([^\]]*)\]\s*(.*)$")
_RP_ENTRY = re.compile(
    r"([^;]+?)\s*\((?:corresponding|reprint) author\),?\s*"  # name (corresponding author),
    r"(.*?)(?=;\s*[^;]+?\((?:corresponding|reprint) author\)|$)"  # address up to the next entry
)


def _clean_address(address: str) -> str:
    address = address.strip()
    return address[:-1].rstrip() if address.endswith(".") else address


def wos_affiliations(c1_lines: list[str], authors: list[dict], lookup: AuthorLookup) -> list[str]:
    """Parse C1 address lines, attach each address to the authors named in its [..] block.

    Returns the document's distinct addresses in order. Unbracketed addresses are
    attached to the sole author when there is just one.
    """
    addresses: list[str] = []
    for line in c1_lines:
        m = _C1_BLOCK.match(line.strip())
        if m:
            names, address = m.group(1), _clean_address(m.group(2))
        else:
            names, address = "", _clean_address(line)
        if not address:
            continue
        if address not in addresses:
            addresses.append(address)
        targets: list[int] = []
        if names:
            for name in names.split(";"):
                pos = lookup.find(name) if name.strip() else None
                if pos is not None:
                    targets.append(pos)
        elif len(authors) == 1:
            targets = [0]
        for pos in targets:
            if address not in authors[pos]["affiliations"]:
                authors[pos]["affiliations"].append(address)
    return addresses


def _link_orcids(oi: str, authors: list[dict], lookup: AuthorLookup) -> None:
    """OI is 'Surname, Given/0000-0002-...; ...': set each matching author's orcid."""
    for entry in oi.split(";"):
        name, sep, orcid = entry.rpartition("/")
        if not sep or not name.strip():
            continue
        orcid = orcid.strip()
        if not re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]", orcid):
            continue
        pos = lookup.find(name)
        if pos is not None and not authors[pos]["orcid"]:
            authors[pos]["orcid"] = orcid


def _reprint_addresses(rp: str, authors: list[dict], lookup: AuthorLookup) -> list[str]:
    """Addresses from RP ('Smith, J (corresponding author), Univ X, City, Country.')."""
    out: list[str] = []
    for m in _RP_ENTRY.finditer(rp):
        address = _clean_address(m.group(2))
        if not address:
            continue
        if address not in out:
            out.append(address)
        pos = lookup.find(m.group(1))
        if pos is not None and address not in authors[pos]["affiliations"]:
            authors[pos]["affiliations"].append(address)
    return out


def build_wos_record(
    fields: dict[str, list[str]], source: Source, record_no: int, line: int | None
) -> dict[str, Any] | None:
    """A schema record from WoS tag -> values (line-list tags: one value each; others: lines to join).

    Returns None when the record has neither a title nor an identifier (the
    caller rejects it).
    """

    def text(tag: str) -> str | None:
        values = fields.get(tag)
        if not values:
            return None
        if len(values) == 1:
            return values[0] or None
        joined = " ".join(v.strip() for v in values if v.strip())
        return joined or None

    rec = new_record()
    title = text("TI")
    ut = normalize_wos_ut(text("UT"))
    doi = normalize_doi(text("DI"))
    if not title and not ut and not doi:
        return None
    rec["title"] = title
    rec["wos_ut"] = ut
    rec["doi"] = doi
    rec["pmid"] = normalize_pmid(text("PM"))
    rec["issn"] = split_issns(" ".join(filter(None, (text("SN"), text("EI")))))
    rec["isbn"] = split_isbns("; ".join(fields.get("BN") or []))
    rec["abstract"] = text("AB")

    # full names (AF) preferred over short ones (AU); book authors (BF/BA) when there are no others
    short = [v for v in fields.get("AU") or fields.get("BA") or [] if v]
    names = [v for v in fields.get("AF") or fields.get("BF") or [] if v] or short
    authors = [parse_name(n, "surname_first") for n in names]
    lookup = AuthorLookup(authors, names, short)  # C1/OI/RP may use either spelling
    rec["authors"] = authors
    rec["n_authors"] = len(authors)
    affiliations = wos_affiliations(fields.get("C1") or [], authors, lookup)
    rp = text("RP")
    if rp and not affiliations:
        affiliations = _reprint_addresses(rp, authors, lookup)
    rec["affiliations"] = affiliations
    oi = text("OI")
    if oi:
        _link_orcids(oi, authors, lookup)

    year = year_cell(source, record_no, line, text("PY"), text("EA"))
    rec["year"] = year
    pd = text("PD")
    rec["date"] = iso_date(f"{year} {pd}" if pd and year and not re.search(r"\b\d{4}\b", pd) else pd, year)
    rec["source_title"] = text("SO")
    rec["source_abbrev"] = text("J9") or text("JI")
    rec["volume"] = text("VL")
    rec["issue"] = text("IS")
    rec["page_start"], rec["page_end"] = text("BP"), text("EP")
    rec["article_number"] = text("AR")
    rec["doc_type_raw"] = text("DT")
    rec["language"] = text("LA")
    rec["publisher"] = text("PU")
    rec["author_keywords"] = split_semicolons(text("DE"))
    rec["index_keywords"] = split_semicolons(text("ID"))
    rec["subject_categories"] = split_semicolons(text("WC"))
    rec["references"] = [v.strip() for v in fields.get("CR") or [] if v.strip()]
    rec["times_cited"] = count_cell(source, text("TC"), "times cited (TC)", record_no, line)
    oa = text("OA")
    rec["open_access"] = True if oa else None
    rec["funding"] = text("FU") or text("FX")
    rec["query_date"] = iso_date(text("DA")) if text("DA") else None
    rec["database"] = "wos"
    rec["provenance"] = [source.provenance(record_no, line)]
    extra: dict[str, str] = {}
    for tag, values in fields.items():
        if tag in _WOS_MAPPED:
            continue
        sep = "; " if tag in WOS_LINE_LIST_TAGS else " "
        value = sep.join(v.strip() for v in values if v.strip())
        if value:
            extra[tag] = value
    rec["extra"] = extra
    rec["_reference_style"] = "wos"
    return rec


# ---------------------------------------------------------------------------
# the plain-text reader
# ---------------------------------------------------------------------------

# record markers start with a newline so the regex engine can scan for a literal prefix
_ER_LINE = re.compile(r"\nER[ \t]*(?=\n|\Z)")
_PT_LINE = re.compile(r"\nPT ")
# a tag line plus its continuation lines (lines starting with whitespace and holding text)
_FIELD = re.compile(r"^([A-Z][A-Z0-9])(?:[ \t](.*)|[ \t]*)$((?:\n[ \t]+\S.*)*)", re.M)
_HEADER_TAGS = frozenset({"FN", "VR", "EF"})


def parse_wos_fields(chunk: str) -> dict[str, list[str]]:
    """Tag -> list of lines (the first line plus each continuation line), in file order."""
    fields: dict[str, list[str]] = {}
    for m in _FIELD.finditer(chunk):
        tag = m.group(1)
        if tag in _HEADER_TAGS:
            continue
        first = m.group(2) or ""
        cont = m.group(3)
        values = [first.strip()]
        if cont:
            values.extend(x.strip() for x in cont[1:].split("\n"))
        if tag in fields:
            fields[tag].extend(values)
        else:
            fields[tag] = values
    return fields


def _first_tag_offset(chunk: str) -> int | None:
    for m in _FIELD.finditer(chunk):
        if m.group(1) not in _HEADER_TAGS:
            return m.start()
    return None


@register(
    "wos_plaintext",
    sniff=lambda head, name: sniff_wos_plaintext(head, name),
    description="Web of Science plain text export (savedrecs.txt: FN/VR header, PT ... ER records)",
    extensions=(".txt",),
    aliases=("wos", "isi", "wos_txt", "webofscience"),
)
def read_wos_plaintext(source: Source) -> Iterator[dict]:
    """Yield one record per PT ... ER block; truncated or untitled blocks are rejected."""
    text = normalize_newlines(source.text)
    if not (_ER_LINE.search(text) or _PT_LINE.search(text) or text.startswith("PT ")):
        raise ReaderError(
            f"{source.where()}: no Web of Science records found; expected tagged lines such as 'PT J', 'AU ...', "
            "'TI ...' with each record ending in a line 'ER'"
        )
    record_no = 0
    pos = 0
    line = source.first_line
    segments: list[tuple[int, int, bool]] = []  # (start, end, closed by ER)
    prev = 0
    for m in _ER_LINE.finditer(text):
        segments.append((prev, m.start() + 1, True))
        prev = m.end()
    segments.append((prev, len(text), False))
    for seg_start, seg_end, closed in segments:
        chunk = text[seg_start:seg_end]
        first = _first_tag_offset(chunk)
        if first is None:
            continue
        # a PT inside the chunk after its first tag means an ER went missing
        bounds = [first] + [m.start() + 1 for m in _PT_LINE.finditer(chunk, first)]
        for j, b in enumerate(bounds):
            sub_end = bounds[j + 1] if j + 1 < len(bounds) else len(chunk)
            sub = chunk[b:sub_end]
            abs_start = seg_start + b
            line += text.count("\n", pos, abs_start)
            pos = abs_start
            record_no += 1
            is_last = j + 1 == len(bounds)
            if not (closed and is_last):
                reason = (
                    "record not closed by ER before the end of the file (truncated export?)"
                    if not closed and is_last
                    else "record not closed by ER before the next PT"
                )
                source.reject(record_no, line, reason)
                continue
            rec = build_wos_record(parse_wos_fields(sub), source, record_no, line)
            if rec is None:
                source.reject(record_no, line, "record has neither a title (TI) nor an identifier (UT, DI)")
                continue
            yield rec
    source.n_read = record_no


def sniff_wos_plaintext(head: str, filename: str) -> float:  # noqa: ARG001
    """High when the text opens with the FN/VR header or with PT/AU tagged lines and ER."""
    start = head.lstrip("\ufeff \t\r\n")[:400]
    if re.match(r"FN [^\n]*\r?\nVR ", start):
        return 1.0
    if start.startswith("FN ") and re.search(r"^PT [A-Z]", head, re.M):
        return 0.95
    if re.match(r"PT [A-Z]{1,2}\s*\r?\n", start) and re.search(r"^(AU|TI|SO) ", head, re.M):
        return 0.85 if re.search(r"^ER\s*$", head, re.M) or len(head) >= 20000 else 0.6
    return 0.0
