"""Cited references: parsing raw strings and canonical match keys (VOSviewer's rules).

A key identifies a cited work across databases so that citation, coupling and
merging can match references to documents:

- ``doi:<lower-case doi>`` when the reference (or document) has a DOI;
- ``openalex:W123`` for OpenAlex referenced works;
- ``ref:<surname>|<year>|v<volume>|p<first page>`` when volume and page are known,
  else ``ref:<surname>|<year>|s<first 3 alphanumerics of source>|p<page>``
  (VOSviewer's match key rules 1-2, ANCHORS 1.3: the source is compared by its
  first three characters only because WoS abbreviates it and Scopus does not).

A document has all the keys it can produce (:func:`document_keys`); a
reference has one (:func:`reference_key`, DOI preferred).
"""
from __future__ import annotations

import functools
import re
from typing import Any

from bibliomap.corpus.identifiers import _DOI_IN_TEXT, find_doi, normalize_doi
from bibliomap.corpus.names import strip_accents

_YEAR = re.compile(r"\b(1[5-9]\d{2}|20\d{2})\b")
_PAREN_YEAR = re.compile(r"\((1[5-9]\d{2}|20\d{2})[a-z]?\)")
_INITIALS = re.compile(r"^(?:[A-Z]\.?-?\s?){1,4}$")
_NON_ALPHA = re.compile(r"[^a-z]")
_NON_ALNUM = re.compile(r"[^a-z0-9]")
_NUMBER = re.compile(r"[A-Za-z]?\d+")
_OPENALEX_WORK = re.compile(r"(https://openalex\.org/)?W\d+")
_WOS_NOT_SOURCE = re.compile(r"^(V|P|DOI)\s?\S")
_WOS_VOLUME = re.compile(r"^V\d")
_WOS_PAGE = re.compile(r"^P[A-Z]?\d")
_FIRST_SEP_SCOPUS = re.compile(r"[;,]")
_FIRST_SEP_GENERIC = re.compile(r"[;,(]")
_PAGE_SCOPUS = re.compile(r"\bpp?\.\s*([A-Za-z]?\d+)")
_PAGE_SCOPUS_UNBOUNDED = re.compile(r"pp?\.\s*([A-Za-z]?\d+)")  # _PAGE_SCOPUS without its \b
_PAGE_SCOPUS_SINGLE = re.compile(r"p\.\s*([A-Za-z]?\d+)")  # ... and without its optional second "p"
_SOURCE_VOLUME = re.compile(r"([^,]+),\s*(\d+)?")
_DIGITS = re.compile(r"\d+")
_VOLUME_GENERIC = re.compile(r"\b(?:vol\.?|v\.?)\s*(\d+)", re.I)
_PAGE_GENERIC = re.compile(r"\b(?:pp?\.?)\s*([A-Za-z]?\d+)")


@functools.lru_cache(maxsize=1 << 16)  # and the same first authors
def _surname_key(author: str | None) -> str | None:
    """'Van der Berg J' / 'van der Berg, J.' / 'Smith, J.A.' -> 'vanderberg' / 'smith'."""
    if not author:
        return None
    a = author.strip().strip(".")
    if not a or a.startswith("["):
        return None
    if "," in a:
        a = a.split(",", 1)[0]
    else:
        tokens = a.split()
        while len(tokens) > 1 and _INITIALS.match(tokens[-1]):
            tokens.pop()
        a = " ".join(tokens)
    if a.isascii() and a.isalpha():  # the usual one-word surname: nothing to strip
        return a.lower()
    key = _NON_ALPHA.sub("", strip_accents(a).lower())
    return key or None


@functools.lru_cache(maxsize=1 << 16)  # a corpus cites the same sources again and again
def _src3(source: str | None) -> str | None:
    if not source:
        return None
    if source.isascii():  # three alphanumerics are usually found in the first few characters
        s = _NON_ALNUM.sub("", source[:12].lower())
        if len(s) >= 3:
            return s[:3]
    s = _NON_ALNUM.sub("", strip_accents(source).lower())
    return s[:3] or None


def _clean_num(value: str | None) -> str | None:
    if not value:
        return None
    m = _NUMBER.search(str(value))
    return m.group(0).lower() if m else None


def make_key(first_author: str | None, year: Any, volume: str | None, page: str | None, source: str | None) -> str | None:
    """The ``ref:`` key from parts; None when surname or year is missing or nothing else is."""
    surname = _surname_key(first_author)
    if not surname or not year:
        return None
    vol, pg = _clean_num(volume), _clean_num(page)
    if vol and pg:
        return f"ref:{surname}|{year}|v{vol}|p{pg}"
    src = _src3(source)
    if src:
        return f"ref:{surname}|{year}|s{src}|p{pg or ''}"
    return None


def _parse_wos(raw: str) -> dict[str, Any]:
    # "Aria M, 2017, J INFORMETR, V11, P959, DOI 10.1016/j.joi.2017.08.007"
    parts = [p.strip() for p in raw.split(",")]
    out: dict[str, Any] = {"first_author": None, "year": None, "source": None, "volume": None, "page": None}
    i = 0
    if parts and not _YEAR.fullmatch(parts[0] or ""):
        out["first_author"] = parts[0]
        i = 1
    if i < len(parts) and _YEAR.fullmatch(parts[i]):
        out["year"] = int(parts[i])
        i += 1
    if i < len(parts) and not _WOS_NOT_SOURCE.match(parts[i]):
        out["source"] = parts[i]
        i += 1
    for p in parts[i:]:
        if not out["volume"] and _WOS_VOLUME.match(p):
            out["volume"] = p[1:]
        elif not out["page"] and _WOS_PAGE.match(p):
            out["page"] = p[1:]
    return out


def _page_scopus(raw: str) -> re.Match | None:
    """``_PAGE_SCOPUS.search(raw)``, several times faster: the pattern without its leading
    ``\\b`` has a literal first character that re scans for, and the boundary is checked
    by hand ('p' is a word character, so the one before it must not be: str.isalnum or '_'
    is exactly re's Unicode ``\\w``)."""
    pos = 0
    while True:
        m = _PAGE_SCOPUS_UNBOUNDED.search(raw, pos)
        if m is None:
            return None
        i = m.start()
        if i == 0 or not (raw[i - 1].isalnum() or raw[i - 1] == "_"):
            return m
        pos = i + 1


def _parse_scopus(raw: str) -> dict[str, Any]:
    # old: "Aria, M., Cuccurullo, C., Title (2017) Journal of Informetrics, 11 (4), pp. 959-975."
    # 2025: "Aria M.; Cuccurullo C.; Title, Journal of Informetrics, 11, 4, pp. 959-975, (2017)"
    out: dict[str, Any] = {"first_author": None, "year": None, "source": None, "volume": None, "page": None}
    cut = len(raw)
    for sep in ";,":
        i = raw.find(sep, 0, cut)
        if i >= 0:
            cut = i
    first = raw[:cut].strip()
    out["first_author"] = first if len(first.split()) <= 4 else None
    pm = _page_scopus(raw)
    if pm:
        out["page"] = pm.group(1)
    # the year is the "(yyyy)" that ends the text in the 2025 format (authors separated by
    # ";"), else the first one (old format): a 2025 title may itself contain "(2015)"
    years = list(_PAREN_YEAR.finditer(raw)) if "(" in raw else []
    y = None
    if years:
        y = years[-1] if (years[-1].end() >= len(raw.rstrip(". ")) and ";" in raw) else years[0]
    if y is None:
        ym = _YEAR.search(raw)
        out["year"] = int(ym.group(1)) if ym else None
        return out
    out["year"] = int(y.group(1))
    after = raw[y.end():].strip(" .,")
    if after:  # old format: source and volume follow the year
        src_m = _SOURCE_VOLUME.match(after)
        if src_m:
            out["source"] = src_m.group(1).strip()
            out["volume"] = src_m.group(2)
    else:  # 2025 format: ..., Source, Volume, Issue, pp. x-y, (Year)
        previous = None
        for seg in raw[: y.start()].split(","):
            seg = seg.strip()
            if not seg:
                continue
            if previous is not None and seg.isdecimal():  # \d+ in full: Unicode decimal digits
                out["volume"] = seg
                out["source"] = previous
                break
            previous = seg
    return out


def _parse_generic(raw: str) -> dict[str, Any]:
    out: dict[str, Any] = {"first_author": None, "year": None, "source": None, "volume": None, "page": None}
    ym = _YEAR.search(raw)
    out["year"] = int(ym.group(1)) if ym else None
    first = _FIRST_SEP_GENERIC.split(raw, 1)[0].strip()
    out["first_author"] = first if 0 < len(first.split()) <= 4 else None
    vm = _VOLUME_GENERIC.search(raw)
    out["volume"] = vm.group(1) if vm else None
    pm = _PAGE_GENERIC.search(raw)
    out["page"] = pm.group(1) if pm else None
    return out


_PARSERS = {"wos": _parse_wos, "scopus": _parse_scopus}


def parse_reference(raw: str, style: str = "generic") -> dict[str, Any]:
    """Parse a cited-reference string in ``style`` ('wos', 'scopus', 'generic', ...).

    Returns first_author, year, source, volume, page, doi and key (the canonical
    key, DOI preferred; None when unparseable).
    """
    text = " ".join(str(raw).split())
    if text.startswith("openalex:") or _OPENALEX_WORK.fullmatch(text):
        wid = text.rsplit("/", 1)[-1].replace("openalex:", "")
        return {"first_author": None, "year": None, "source": None, "volume": None, "page": None, "doi": None, "key": f"openalex:{wid}"}
    parsed = _PARSERS.get(style, _parse_generic)(text)
    doi = find_doi(text)
    parsed["doi"] = doi
    parsed["key"] = f"doi:{doi}" if doi else make_key(parsed["first_author"], parsed["year"], parsed["volume"], parsed["page"], parsed["source"])
    return parsed


@functools.lru_cache(maxsize=1 << 20)
def reference_key(raw: str, style: str = "generic") -> str | None:
    """The canonical key of one cited reference (see module docstring).

    Cached: the same cited work recurs across documents (that is what co-citation
    counts), so most references of a large corpus are parsed once.
    """
    return clean_reference_key(" ".join(raw.split()), style)


def clean_reference_key(text: str, style: str = "generic") -> str | None:
    """:func:`reference_key` of a reference whose whitespace is already collapsed (saves that step)."""
    key = _STYLE_KEYS.get(style)
    return key(text) if key is not None else _cached_key(text, style)


def reference_keys(references: list[str], style: str = "generic") -> list[str | None]:
    """:func:`clean_reference_key` of each reference of a list (whitespace already collapsed)."""
    key = _STYLE_KEYS.get(style)
    if key is not None:
        return list(map(key, references))
    return [_cached_key(r, style) for r in references]


def uncached_reference_key(text: str, style: str = "generic") -> str | None:
    """:func:`clean_reference_key` computed afresh.

    The same key as ``parse_reference(text, style)["key"]`` gives, by a shorter road
    for the 'wos' and 'scopus' styles (:func:`_wos_key`, :func:`_scopus_key`): every
    reference of a file goes through here, so it is the hot loop of reading.
    """
    if style == "scopus":
        return _scopus_reference_key(text)
    if style == "wos":
        return _wos_reference_key(text)
    doi_or_work = _doi_or_openalex_key(text)
    if doi_or_work is not None:
        return doi_or_work
    parsed = _parse_generic(text)
    return make_key(parsed["first_author"], parsed["year"], parsed["volume"], parsed["page"], parsed["source"])


def _doi_or_openalex_key(text: str) -> str | None:
    """The key of a reference that holds a DOI (preferred) or is an OpenAlex work; else None."""
    if "/" in text and "10." in text:  # (a DOI has both)
        m = _DOI_IN_TEXT.search(text)
        if m:  # find_doi(text): the match is already a DOI but for case and trailing punctuation
            return "doi:" + m.group(0).rstrip(".)]}'").lower()
    if text[:1] in _OPENALEX_FIRST and (text.startswith("openalex:") or _OPENALEX_WORK.fullmatch(text)):
        return f"openalex:{text.rsplit('/', 1)[-1].replace('openalex:', '')}"
    return None


# The two styles of the hot loop repeat _doi_or_openalex_key's few lines: a call less per reference.
def _scopus_reference_key(text: str) -> str | None:
    if "/" in text and "10." in text:
        m = _DOI_IN_TEXT.search(text)
        if m:
            return "doi:" + m.group(0).rstrip(".)]}'").lower()
    if text[:1] in _OPENALEX_FIRST and (text.startswith("openalex:") or _OPENALEX_WORK.fullmatch(text)):
        return f"openalex:{text.rsplit('/', 1)[-1].replace('openalex:', '')}"
    return _scopus_key(text)


def _wos_reference_key(text: str) -> str | None:
    if "/" in text and "10." in text:
        m = _DOI_IN_TEXT.search(text)
        if m:
            return "doi:" + m.group(0).rstrip(".)]}'").lower()
    if text[:1] in _OPENALEX_FIRST and (text.startswith("openalex:") or _OPENALEX_WORK.fullmatch(text)):
        return f"openalex:{text.rsplit('/', 1)[-1].replace('openalex:', '')}"
    return _wos_key(text)


@functools.lru_cache(maxsize=1 << 20)
def _cached_key(text: str, style: str) -> str | None:
    return uncached_reference_key(text, style)


#: Memoized WoS keys: a WoS export cites the same works again and again in one short form
#: (a quarter of a file's references are repeats), keyed by the text alone, which the cache
#: hashes faster than a (text, style) tuple. Scopus references carry their titles and
#: rarely repeat, so memoizing them costs more than it saves.
_cached_wos_key = functools.lru_cache(maxsize=1 << 20)(_wos_reference_key)

_STYLE_KEYS = {"scopus": _scopus_reference_key, "wos": _cached_wos_key}


#: first characters of an OpenAlex work reference ("openalex:W1", "https://openalex.org/W1", "W1")
_OPENALEX_FIRST = ("o", "h", "W")


def _num(value: str) -> str | None:
    """:func:`_clean_num` of a non-empty string; digits alone are their own number."""
    if value.isdecimal():  # str.isdecimal is re's Unicode \d
        return value
    m = _NUMBER.search(value)
    return m.group(0).lower() if m else None


def _wos_key(raw: str) -> str | None:
    """``make_key`` of :func:`_parse_wos`'s parts, stopping as soon as the key is None."""
    parts = raw.split(",")
    if len(parts) < 2:  # no year after the author
        return None
    first = parts[0].strip()
    if len(first) == 4 and _YEAR.fullmatch(first):  # no author
        return None
    surname = _surname_key(first)
    if not surname:
        return None
    year = parts[1].strip()
    if len(year) != 4 or not _YEAR.fullmatch(year):
        return None
    source = volume = page = None
    rest = parts[2:]
    if rest:
        p = rest[0].strip()
        if not _WOS_NOT_SOURCE.match(p):
            source = p
            rest = rest[1:]
    for p in rest:
        p = p.strip()
        c = p[:1]
        if c == "V" and not volume and _WOS_VOLUME.match(p):
            volume = p[1:]
        elif c == "P" and not page and _WOS_PAGE.match(p):
            page = p[1:]
    pg = _num(page) if page else None
    if pg and volume:
        vol = _num(volume)
        if vol:
            return f"ref:{surname}|{int(year)}|v{vol}|p{pg}"
    src = _src3(source)
    if src:
        return f"ref:{surname}|{int(year)}|s{src}|p{pg or ''}"
    return None


@functools.lru_cache(maxsize=1 << 16)
def _scopus_surname(first: str) -> str | None:
    """The surname key of a Scopus reference's first item (none beyond four words: not a name)."""
    if first.isascii() and first.isalpha():  # one plain word ("Amgoud"): what _surname_key makes of it
        return first.lower()
    return _surname_key(first) if len(first.split()) <= 4 else None


def _scopus_key(raw: str) -> str | None:
    """``make_key`` of :func:`_parse_scopus`'s parts, stopping as soon as the key is None.

    Without a "(yyyy)" the parser finds no source and no volume, so there is no key.
    Volume and page come out of their patterns as what ``_clean_num`` would make of them.
    """
    comma = raw.find(",")
    if ";" in raw:  # maybe the 2025 format: the "(yyyy)" that ends the text
        semicolon = raw.find(";")
        surname = _scopus_surname(raw[: comma if 0 <= comma < semicolon else semicolon].strip())
        if not surname:
            return None
        years = list(_PAREN_YEAR.finditer(raw))
        if not years:
            return None
        y = years[-1] if years[-1].end() >= len(raw.rstrip(". ")) else years[0]
    else:
        surname = _scopus_surname((raw[:comma] if comma >= 0 else raw).strip())
        if not surname:
            return None
        y = _PAREN_YEAR.search(raw)
        if y is None:
            return None
    year = y.group(1)
    if not year.isascii():  # other decimal digits: the key holds the number
        year = str(int(year))
    source = volume = None
    after = raw[y.end():].strip(" .,")
    if after:  # old format: source and volume follow the year
        m = _SOURCE_VOLUME.match(after)
        if m:
            source, volume = m.groups()
            source = source.strip()
    else:  # 2025 format: ..., Source, Volume, Issue, pp. x-y, (Year)
        previous = None
        for seg in raw[: y.start()].split(","):
            seg = seg.strip()
            if not seg:
                continue
            if previous is not None and seg.isdecimal():  # \d+ in full: Unicode decimal digits
                volume = seg
                source = previous
                break
            previous = seg
    # _page_scopus, inlined for its usual first try: the first "p." (re scans for the two
    # characters at once) starts the first match, or the "p" before it does ("pp.")
    pm = _PAGE_SCOPUS_SINGLE.search(raw)
    if pm is not None:
        i = pm.start()
        if i and raw[i - 1] == "p":
            i -= 1
        if i and (raw[i - 1].isalnum() or raw[i - 1] == "_"):
            pm = _page_scopus(raw)
    if pm is not None:
        page = pm.group(1).lower()
        if volume:
            return f"ref:{surname}|{year}|v{volume}|p{page}"
    else:
        page = ""
    src = _src3(source)
    if src:
        return f"ref:{surname}|{year}|s{src}|p{page}"
    return None


def record_keys(rec: dict[str, Any]) -> list[str]:
    """Every key a document record can be cited by: DOI, OpenAlex id, and its ref: key."""
    keys: list[str] = []
    doi = normalize_doi(rec.get("doi"))
    if doi:
        keys.append(f"doi:{doi}")
    if rec.get("openalex_id"):
        keys.append(f"openalex:{rec['openalex_id']}")
    authors = rec.get("authors") or []
    first = None
    if authors:
        a = authors[0]
        first = a.get("surname") or a.get("name")
    page = rec.get("page_start") or rec.get("article_number")
    for source in (rec.get("source_title"), rec.get("source_abbrev")):
        k = make_key(first, rec.get("year"), rec.get("volume"), page, source)
        if k and k not in keys:
            keys.append(k)
    return keys


def document_keys(corpus: Any) -> list[list[str]]:
    """Keys per document of a Corpus, in row order (see :func:`record_keys`)."""
    cols = ["doi", "openalex_id", "authors", "year", "volume", "page_start", "article_number", "source_title", "source_abbrev"]
    table = corpus.table.select(cols)
    return [record_keys(r) for r in table.to_pylist()]
