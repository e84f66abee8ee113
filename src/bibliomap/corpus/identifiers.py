"""Normalizing identifiers: DOI, ISSN, ISBN, PMID, EID, WoS UT, OpenAlex and arXiv ids."""
from __future__ import annotations

import re

_DOI_PREFIX = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi\s*:\s*|doi\s+)", re.I)
_DOI_IN_TEXT = re.compile(r"10\.\d{4,9}/[^\s\"<>,;]+", re.I)


_WHOLE_DOI = re.compile(r"10\.\d{4,9}/\S+")


def normalize_doi(value: str | None) -> str | None:
    """Lower-case DOI without resolver prefix or trailing punctuation; None if not a DOI.

    A value that is one DOI and nothing else is kept whole, so SICI-style DOIs keep their
    '<', '>', ';' and '#' ("10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-0"),
    and a closing parenthesis only when it has no opening one; a DOI inside other text ends
    at the first space, quote, '<', '>', ',' or ';', its closing marks dropped.
    """
    if not value:
        return None
    s = _DOI_PREFIX.sub("", str(value).strip())
    whole = _WHOLE_DOI.fullmatch(s)
    m = whole or _DOI_IN_TEXT.search(s)
    if not m:
        return None
    if whole is None:
        return _doi_in_text(m.group(0))
    doi = m.group(0).rstrip(".'")
    while doi and doi[-1] in ")]}" and doi.count(doi[-1]) > doi.count({")": "(", "]": "[", "}": "{"}[doi[-1]]):
        doi = doi[:-1].rstrip(".'")  # a closing mark with no opening one in the DOI is not the DOI's
    return doi.lower()


def _doi_in_text(match: str) -> str:
    """A DOI matched inside text, its trailing punctuation dropped (the rule reference keys
    follow, also in their compiled kernel)."""
    return match.rstrip(".)]}'").lower()


def find_doi(text: str | None) -> str | None:
    """The first DOI found anywhere in ``text`` (e.g. inside a cited reference)."""
    if not text:
        return None
    m = _DOI_IN_TEXT.search(text)
    return _doi_in_text(m.group(0)) if m else None


def normalize_issn(value: str | None) -> str | None:
    """ISSN as NNNN-NNNX; None if ``value`` has no 8-character ISSN."""
    if not value:
        return None
    s = re.sub(r"[^0-9Xx]", "", str(value)).upper()
    if len(s) != 8:
        return None
    return f"{s[:4]}-{s[4:]}"


def split_issns(value: str | None) -> list[str]:
    """All ISSNs in a field such as '1234-5678, 87654321 (eISSN)'."""
    if not value:
        return []
    out: list[str] = []
    for m in re.finditer(r"\b\d{4}-?\d{3}[\dXx]\b", str(value)):
        issn = normalize_issn(m.group(0))
        if issn and issn not in out:
            out.append(issn)
    return out


def split_isbns(value: str | None) -> list[str]:
    """ISBN-10/13 found in ``value``, digits (and X) only."""
    if not value:
        return []
    out: list[str] = []
    for part in re.split(r"[;,|\s]+(?=[\dXx-]{10,})", str(value)):
        digits = re.sub(r"[^0-9Xx]", "", part).upper()
        if len(digits) in (10, 13) and digits not in out:
            out.append(digits)
    return out


def normalize_pmid(value: str | None) -> str | None:
    if not value:
        return None
    m = re.search(r"\d+", str(value))
    return m.group(0) if m else None


def normalize_openalex_id(value: str | None) -> str | None:
    """'https://openalex.org/W123' -> 'W123'."""
    if not value:
        return None
    m = re.search(r"\b([WAISC]\d+)\b", str(value), re.I)
    return m.group(1).upper() if m else None


def normalize_wos_ut(value: str | None) -> str | None:
    """'WOS:000123' (with the prefix); accepts the bare number too."""
    if not value:
        return None
    s = str(value).strip()
    m = re.search(r"(?:WOS|ISI)?:?\s*([A-Z0-9]{15})\b", s, re.I)
    if not m:
        return None
    return "WOS:" + m.group(1).upper()


def normalize_arxiv_id(value: str | None) -> str | None:
    if not value:
        return None
    m = re.search(r"(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(v\d+)?", str(value), re.I)
    return m.group(1) if m else None
