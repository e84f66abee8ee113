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
reference has one (:func:`reference_key`, DOI preferred). Reading keys a whole
chunk of references at once (:func:`reference_keys_array`, a compiled loop that
gives the same keys as the Python functions).
"""
from __future__ import annotations

import functools
import re
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from bibliomap.corpus.identifiers import _DOI_IN_TEXT, find_doi
from bibliomap.corpus.names import strip_accents
from bibliomap.numba_cache import in_numba_cache

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
    doi = find_doi(rec.get("doi"))  # the rule references' DOIs follow, so the two keys meet
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


# ---------------------------------------------------------------- keys of many references at once
# reference_keys in a compiled loop over the UTF-8 bytes of an Arrow string array, for the
# 'wos' and 'scopus' styles (every reference of a file goes through here when it is read).
# The loop follows _wos_reference_key / _scopus_reference_key step by step, for references
# made of printable ASCII only, where re's \d, \w, \s and str.isalpha/lower agree with byte
# tests; any other reference (a non-ASCII or control character, or what may be an OpenAlex
# work) is marked and keyed by the Python function, so the keys are the same either way.

_BATCH_STYLES = {"wos": 0, "scopus": 1}
_KEY_NONE, _KEY_SET, _KEY_PYTHON = 0, 1, 2


def _scan_reference_keys(data, offsets, style, out, out_offsets, status):  # pragma: no cover - compiled
    """Fill ``out``/``out_offsets`` with the key of each string data[offsets[i]:offsets[i+1]]
    and ``status[i]`` with _KEY_NONE (no key), _KEY_SET or _KEY_PYTHON (left to Python)."""
    n = offsets.shape[0] - 1
    w = 0
    out_offsets[0] = 0
    for i in range(n):
        s = offsets[i]
        e = offsets[i + 1]
        start = w
        st = 1
        for k in range(s, e):  # control characters and Unicode whitespace: left to Python
            c = data[k]
            if c < 32 or c == 127:
                st = 2
                break
            if c >= 128:
                if c == 0xC2 and k + 1 < e and data[k + 1] <= 0xA0:  # U+0080-U+00A0
                    st = 2
                    break
                if c == 0xE1 and k + 2 < e and data[k + 1] == 0x9A and data[k + 2] == 0x80:  # U+1680
                    st = 2
                    break
                if c == 0xE2 and k + 2 < e and ((data[k + 1] == 0x80 and (data[k + 2] <= 0x8A or data[k + 2] == 0xA8 or data[k + 2] == 0xA9 or data[k + 2] == 0xAF))
                                                or (data[k + 1] == 0x81 and data[k + 2] == 0x9F)):  # U+2000-U+200A, U+2028/9, U+202F, U+205F
                    st = 2
                    break
                if c == 0xE3 and k + 2 < e and data[k + 1] == 0x80 and data[k + 2] == 0x80:  # U+3000
                    st = 2
                    break
        if st == 1:
            # 'openalex:...', 'https://openalex.org/...', 'W123': maybe an OpenAlex work
            if e - s >= 2 and data[s] == 87 and (48 <= data[s + 1] <= 57 or data[s + 1] >= 128):
                st = 2
            elif e - s >= 9 and data[s] == 111 and data[s + 1] == 112 and data[s + 2] == 101 and data[s + 3] == 110 \
                    and data[s + 4] == 97 and data[s + 5] == 108 and data[s + 6] == 101 and data[s + 7] == 120 and data[s + 8] == 58:
                st = 2
            elif e - s >= 20 and data[s] == 104 and data[s + 1] == 116 and data[s + 2] == 116 and data[s + 3] == 112 \
                    and data[s + 4] == 115 and data[s + 5] == 58 and data[s + 6] == 47 and data[s + 7] == 47 \
                    and data[s + 8] == 111 and data[s + 9] == 112 and data[s + 10] == 101 and data[s + 11] == 110 \
                    and data[s + 12] == 97 and data[s + 13] == 108 and data[s + 14] == 101 and data[s + 15] == 120:
                st = 2
        if st == 2:
            status[i] = 2
            out_offsets[i + 1] = w
            continue
        # DOI: the first 10.<4-9 digits>/<one or more of [^\s"<>,;]>, trailing .)]}' dropped, lower case
        doi_s = -1
        doi_e = -1
        for j in range(s, e - 2):
            if data[j] == 49 and data[j + 1] == 48 and data[j + 2] == 46:
                k = j + 3
                while k < e and 48 <= data[k] <= 57:
                    k += 1
                d = k - (j + 3)
                if k < e and data[k] >= 128:  # maybe a non-ASCII digit (re's \d)
                    st = 2
                    break
                if 4 <= d <= 9 and k < e and data[k] == 47:
                    m = k + 1
                    while m < e:
                        c = data[m]
                        if c == 32 or c == 34 or c == 60 or c == 62 or c == 44 or c == 59:
                            break
                        m += 1
                    if m > k + 1:
                        doi_s = j
                        doi_e = m
                        break
        if st == 2:
            status[i] = 2
            out_offsets[i + 1] = w
            continue
        if doi_s >= 0:
            for k in range(doi_s, doi_e):
                if data[k] >= 128:  # its lower case is Python's
                    st = 2
                    break
            if st == 2:
                status[i] = 2
                out_offsets[i + 1] = w
                continue
            while doi_e > doi_s:
                c = data[doi_e - 1]
                if c == 46 or c == 41 or c == 93 or c == 125 or c == 39:
                    doi_e -= 1
                else:
                    break
            out[w] = 100
            out[w + 1] = 111
            out[w + 2] = 105
            out[w + 3] = 58
            w += 4
            for k in range(doi_s, doi_e):
                c = data[k]
                out[w] = c + 32 if 65 <= c <= 90 else c
                w += 1
            status[i] = 1
            out_offsets[i + 1] = w
            continue

        # the first author's part: [fa, fb)
        fa = s
        fb = e
        if style == 0:
            fb = s
            while fb < e and data[fb] != 44:
                fb += 1
            if fb == e:  # no comma: no year after the author
                status[i] = 0
                out_offsets[i + 1] = w
                continue
        else:
            comma = -1
            semi = -1
            for k in range(s, e):
                if comma < 0 and data[k] == 44:
                    comma = k
                if semi < 0 and data[k] == 59:
                    semi = k
                if comma >= 0 and semi >= 0:
                    break
            if semi >= 0:
                fb = comma if 0 <= comma < semi else semi
            elif comma >= 0:
                fb = comma
        # strip spaces
        a = fa
        b = fb
        while a < b and data[a] == 32:
            a += 1
        while b > a and data[b - 1] == 32:
            b -= 1
        ok = True
        if style == 0:
            if b - a == 4 and ((data[a] == 49 and 53 <= data[a + 1] <= 57) or (data[a] == 50 and data[a + 1] == 48)) \
                    and 48 <= data[a + 2] <= 57 and 48 <= data[a + 3] <= 57:
                ok = False  # a year, no author
        else:
            ntok = 0
            k = a
            while k < b:
                while k < b and data[k] == 32:
                    k += 1
                if k < b:
                    ntok += 1
                while k < b and data[k] != 32:
                    k += 1
            if ntok > 4:
                ok = False  # not a name
        # the surname key: dots stripped, trailing initials dropped, letters in lower case
        if ok:
            while a < b and data[a] == 46:
                a += 1
            while b > a and data[b - 1] == 46:
                b -= 1
            if a == b or data[a] == 91:
                ok = False
        if ok:
            ntok = 0
            k = a
            while k < b:
                while k < b and data[k] == 32:
                    k += 1
                if k < b:
                    ntok += 1
                while k < b and data[k] != 32:
                    k += 1
            cut = b
            while ntok > 1:
                te = cut
                while te > a and data[te - 1] == 32:
                    te -= 1
                ts = te
                while ts > a and data[ts - 1] != 32:
                    ts -= 1
                units = 0
                k = ts
                initials = True
                while k < te:
                    if not (65 <= data[k] <= 90):
                        initials = False
                        break
                    k += 1
                    if k < te and data[k] == 46:
                        k += 1
                    if k < te and data[k] == 45:
                        k += 1
                    units += 1
                if not initials or units > 4:
                    break
                cut = ts
                ntok -= 1
            out[w] = 114
            out[w + 1] = 101
            out[w + 2] = 102
            out[w + 3] = 58
            w += 4
            letters = 0
            for k in range(a, cut):
                c = data[k]
                if c >= 128:  # accents stripped, Unicode letters: Python's
                    st = 2
                    break
                if 65 <= c <= 90:
                    out[w] = c + 32
                    w += 1
                    letters += 1
                elif 97 <= c <= 122:
                    out[w] = c
                    w += 1
                    letters += 1
            if letters == 0:
                ok = False
        if st == 2:
            status[i] = 2
            w = start
            out_offsets[i + 1] = w
            continue
        if not ok:
            status[i] = 0
            w = start
            out_offsets[i + 1] = w
            continue

        src_s = -1  # source span (-1: none)
        src_e = -1
        vol_s = -1  # volume digits span, as the key shows it
        vol_e = -1
        pg_s = -1  # page span, as the key shows it (lower-cased when written)
        pg_e = -1
        if style == 0:
            # year: the second part, four digits of _YEAR
            ys = fb + 1
            ye = ys
            while ye < e and data[ye] != 44:
                ye += 1
            a = ys
            b = ye
            while a < b and data[a] == 32:
                a += 1
            while b > a and data[b - 1] == 32:
                b -= 1
            for k in range(a, b):
                if data[k] >= 128:
                    st = 2
            if st == 2:
                status[i] = 2
                w = start
                out_offsets[i + 1] = w
                continue
            if not (b - a == 4 and ((data[a] == 49 and 53 <= data[a + 1] <= 57) or (data[a] == 50 and data[a + 1] == 48))
                    and 48 <= data[a + 2] <= 57 and 48 <= data[a + 3] <= 57):
                status[i] = 0
                w = start
                out_offsets[i + 1] = w
                continue
            year_s = a
            year_e = b
            ps = ye + 1  # the next part starts here (if ye < e)
            first_rest = True
            vol_raw_s = -1
            vol_raw_e = -1
            page_raw_s = -1
            page_raw_e = -1
            while ye < e:
                pe = ps
                while pe < e and data[pe] != 44:
                    pe += 1
                a = ps
                b = pe
                while a < b and data[a] == 32:
                    a += 1
                while b > a and data[b - 1] == 32:
                    b -= 1
                if first_rest:
                    first_rest = False
                    # _WOS_NOT_SOURCE: ^(V|P|DOI)\s?\S
                    q = -1
                    if b > a and (data[a] == 86 or data[a] == 80):
                        q = a + 1
                    elif b - a >= 3 and data[a] == 68 and data[a + 1] == 79 and data[a + 2] == 73:
                        q = a + 3
                    not_source = False
                    if q >= 0:
                        if q < b and data[q] != 32:
                            not_source = True
                        elif q + 1 < b and data[q] == 32 and data[q + 1] != 32:
                            not_source = True
                    if not not_source:
                        src_s = a
                        src_e = b
                        ye = pe
                        ps = pe + 1
                        continue
                if b > a:
                    c = data[a]
                    if c == 86 and vol_raw_s < 0 and b - a >= 2 and data[a + 1] >= 128:
                        st = 2
                    elif c == 80 and page_raw_s < 0 and b - a >= 2 and (data[a + 1] >= 128 or (
                            65 <= data[a + 1] <= 90 and b - a >= 3 and data[a + 2] >= 128)):
                        st = 2
                    elif c == 86 and vol_raw_s < 0 and b - a >= 2 and 48 <= data[a + 1] <= 57:
                        vol_raw_s = a + 1
                        vol_raw_e = b
                    elif c == 80 and page_raw_s < 0 and b - a >= 2 and (48 <= data[a + 1] <= 57 or (
                            65 <= data[a + 1] <= 90 and b - a >= 3 and 48 <= data[a + 2] <= 57)):
                        page_raw_s = a + 1
                        page_raw_e = b
                ye = pe
                ps = pe + 1
            # _num: the whole value when all digits, else its first [A-Za-z]?\d+
            for which in range(2):
                rs = vol_raw_s if which == 0 else page_raw_s
                re_ = vol_raw_e if which == 0 else page_raw_e
                if rs < 0:
                    continue
                for k in range(rs, re_):
                    if data[k] >= 128:
                        st = 2
                ns = -1
                ne = -1
                for k in range(rs, re_):
                    c = data[k]
                    if 48 <= c <= 57:
                        ns = k
                        break
                    if ((65 <= c <= 90) or (97 <= c <= 122)) and k + 1 < re_ and 48 <= data[k + 1] <= 57:
                        ns = k
                        break
                if ns >= 0:
                    ne = ns + 1
                    while ne < re_ and 48 <= data[ne] <= 57:
                        ne += 1
                alldigits = True
                for k in range(rs, re_):
                    if not (48 <= data[k] <= 57):
                        alldigits = False
                        break
                if alldigits:
                    ns = rs
                    ne = re_
                if which == 0:
                    vol_s = ns
                    vol_e = ne
                else:
                    pg_s = ns
                    pg_e = ne
            if not (pg_s >= 0 and vol_s >= 0):
                vol_s = -1
            if st == 2:
                status[i] = 2
                w = start
                out_offsets[i + 1] = w
                continue
        else:
            # the "(yyyy)" years of _PAREN_YEAR: the first, and the last
            y1s = -1
            y1e = -1
            yls = -1
            yle = -1
            for k in range(s, e - 5):
                if data[k] == 40 and ((data[k + 1] == 49 and 53 <= data[k + 2] <= 57) or (data[k + 1] == 50 and data[k + 2] == 48)) \
                        and (data[k + 3] >= 128 or data[k + 4] >= 128):
                    st = 2
                    break
                if data[k] == 40 and ((data[k + 1] == 49 and 53 <= data[k + 2] <= 57) or (data[k + 1] == 50 and data[k + 2] == 48)) \
                        and 48 <= data[k + 3] <= 57 and 48 <= data[k + 4] <= 57:
                    m = k + 5
                    if m < e and 97 <= data[m] <= 122:
                        m += 1
                    if m < e and data[m] == 41:
                        if y1s < 0:
                            y1s = k
                            y1e = m + 1
                            if semi < 0:
                                break
                        yls = k
                        yle = m + 1
            if st == 2:
                status[i] = 2
                w = start
                out_offsets[i + 1] = w
                continue
            if y1s < 0:
                status[i] = 0
                w = start
                out_offsets[i + 1] = w
                continue
            ys = y1s
            ye = y1e
            if semi >= 0:
                rend = e
                while rend > s and (data[rend - 1] == 46 or data[rend - 1] == 32):
                    rend -= 1
                if yle >= rend:
                    ys = yls
                    ye = yle
            year_s = ys + 1
            year_e = ys + 5
            # what follows the year, stripped of " .,"
            a = ye
            b = e
            while a < b and (data[a] == 32 or data[a] == 46 or data[a] == 44):
                a += 1
            while b > a and (data[b - 1] == 32 or data[b - 1] == 46 or data[b - 1] == 44):
                b -= 1
            if b > a:  # old format: "Source, Volume" follow the year
                ci = a
                while ci < b and data[ci] != 44:
                    ci += 1
                if ci < b:
                    src_s = a
                    src_e = ci
                    while src_e > src_s and data[src_e - 1] == 32:
                        src_e -= 1
                    k = ci + 1
                    while k < b and data[k] == 32:
                        k += 1
                    m = k
                    while m < b and 48 <= data[m] <= 57:
                        m += 1
                    if m < b and data[m] >= 128:
                        st = 2
                    if m > k:
                        vol_s = k
                        vol_e = m
            else:  # 2025 format: ..., Source, Volume, Issue, pp. x-y, (Year)
                prev_s = -1
                prev_e = -1
                k = s
                while k <= ys:
                    m = k
                    while m < ys and data[m] != 44:
                        m += 1
                    a = k
                    b = m
                    while a < b and data[a] == 32:
                        a += 1
                    while b > a and data[b - 1] == 32:
                        b -= 1
                    if b > a:
                        digits = True
                        wide = False
                        for q in range(a, b):
                            if data[q] >= 128:
                                wide = True
                            elif not (48 <= data[q] <= 57):
                                digits = False
                                break
                        if prev_s >= 0 and digits and wide:  # maybe Unicode decimal digits
                            st = 2
                            break
                        if prev_s >= 0 and digits:
                            vol_s = a
                            vol_e = b
                            src_s = prev_s
                            src_e = prev_e
                            break
                        prev_s = a
                        prev_e = b
                    k = m + 1
            # the page: the first \bpp?\.\s*([A-Za-z]?\d+)
            for k in range(s, e):
                if data[k] != 112:
                    continue
                if k + 2 < e and data[k + 1] == 112 and data[k + 2] == 46:
                    m = k + 3
                elif k + 1 < e and data[k + 1] == 46:
                    m = k + 2
                else:
                    continue
                while m < e and data[m] == 32:
                    m += 1
                if m < e and data[m] >= 128:
                    st = 2
                    break
                if m + 1 < e and ((65 <= data[m] <= 90) or (97 <= data[m] <= 122)) and data[m + 1] >= 128:
                    st = 2
                    break
                if m + 1 < e and ((65 <= data[m] <= 90) or (97 <= data[m] <= 122)) and 48 <= data[m + 1] <= 57:
                    ps_ = m
                    m += 1
                elif m < e and 48 <= data[m] <= 57:
                    ps_ = m
                else:
                    continue
                while m < e and 48 <= data[m] <= 57:
                    m += 1
                if m < e and data[m] >= 128:
                    st = 2
                    break
                if k > s:  # \b before the "p"
                    c = data[k - 1]
                    if c >= 128:
                        st = 2
                        break
                    if (48 <= c <= 57) or (65 <= c <= 90) or (97 <= c <= 122) or c == 95:
                        continue
                pg_s = ps_
                pg_e = m
                break
            if st == 2:
                status[i] = 2
                w = start
                out_offsets[i + 1] = w
                continue
            if pg_s < 0:
                vol_s = -1
        # "|year" then "|v<volume>|p<page>" or "|s<3 of source>|p<page or nothing>"
        out[w] = 124
        w += 1
        for k in range(year_s, year_e):
            out[w] = data[k]
            w += 1
        out[w] = 124
        w += 1
        if vol_s >= 0:
            out[w] = 118
            w += 1
            for k in range(vol_s, vol_e):
                c = data[k]
                out[w] = c + 32 if 65 <= c <= 90 else c
                w += 1
        else:
            out[w] = 115
            w += 1
            got = 0
            if src_s >= 0:
                for k in range(src_s, src_e):
                    c = data[k]
                    if c >= 128:  # accents stripped: Python's
                        st = 2
                        break
                    if 65 <= c <= 90:
                        out[w] = c + 32
                    elif (97 <= c <= 122) or (48 <= c <= 57):
                        out[w] = c
                    else:
                        continue
                    w += 1
                    got += 1
                    if got == 3:
                        break
            if st == 2:
                status[i] = 2
                w = start
                out_offsets[i + 1] = w
                continue
            if got == 0:
                status[i] = 0
                w = start
                out_offsets[i + 1] = w
                continue
        out[w] = 124
        out[w + 1] = 112
        w += 2
        if pg_s >= 0:
            for k in range(pg_s, pg_e):
                c = data[k]
                out[w] = c + 32 if 65 <= c <= 90 else c
                w += 1
        status[i] = 1
        out_offsets[i + 1] = w
    return w


@functools.lru_cache(maxsize=1)  # compiled once per process (and cached on disk by numba)
def _compiled_scan():
    import numba

    return numba.njit(cache=True, nogil=True)(_scan_reference_keys)


#: below this many references the keys are made in Python unless an earlier run left the compiled
#: scan in numba's cache: compiling it takes about 8 s once, and it saves about 1.5 µs a reference
#: (a 10,000-record export with 50,000 references would pay 8 s to save 0.07 s)
COMPILED_MIN_REFERENCES = 3_000_000


def reference_keys_array(references: pa.Array, style: str = "generic", compiled: bool | None = None) -> pa.Array:
    """:func:`reference_keys` of an Arrow string array (whitespace already collapsed), as an
    Arrow string array (null where there is no key): the same keys, for the 'wos' and 'scopus'
    styles by a compiled scan (``compiled``: force it on or off; by default it is used when it
    is in numba's cache or the array has at least ``COMPILED_MIN_REFERENCES`` references)."""
    code = _BATCH_STYLES.get(style)
    n = len(references)
    scannable = code is not None and references.type == pa.string() and not references.null_count and n > 0
    if scannable and compiled is None:  # (numba is imported only when the scan could be used)
        compiled = n >= COMPILED_MIN_REFERENCES or in_numba_cache(_compiled_scan())
    if not (scannable and compiled):
        texts = references.to_pylist()
        return pa.array(reference_keys(texts, style) if None not in texts else [None if t is None else clean_reference_key(t, style) for t in texts], type=pa.string())
    buffers = references.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int32)[references.offset : references.offset + n + 1]
    data = np.frombuffer(buffers[2], dtype=np.uint8) if buffers[2] is not None else np.zeros(1, dtype=np.uint8)
    size = int(offsets[-1]) - int(offsets[0])
    out = np.empty(3 * size + 32 * n + 16, dtype=np.uint8)  # room for any key
    out_offsets = np.empty(n + 1, dtype=np.int32)
    status = np.empty(n, dtype=np.uint8)
    used = _compiled_scan()(data, offsets, code, out, out_offsets, status)
    valid = status != _KEY_NONE
    keys = pa.Array.from_buffers(
        pa.string(), n,
        [pa.py_buffer(np.packbits(valid, bitorder="little")), pa.py_buffer(out_offsets), pa.py_buffer(out[:used])],
        null_count=int(n - valid.sum()),
    )
    python = status == _KEY_PYTHON
    if python.any():
        texts = references.filter(pa.array(python)).to_pylist()
        keys = pc.replace_with_mask(keys, pa.array(python), pa.array(reference_keys(texts, style), type=pa.string()))
    return keys
