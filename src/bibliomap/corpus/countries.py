"""Countries from affiliation strings, and ISO codes to names.

Country names come from ``pycountry`` (ISO 3166) plus the variants bibliographic
databases write ("Peoples R China", "USA", "England", "South Korea", ...). An
affiliation's country is the last comma-separated segment whose trailing words
name a country, as bibliometrix and VOSviewer do.
"""
from __future__ import annotations

import functools
import re

from bibliomap.corpus.names import strip_accents

#: Display names used where ISO's official name is unusual in bibliometrics.
_DISPLAY = {
    "US": "United States", "GB": "United Kingdom", "KR": "South Korea", "KP": "North Korea",
    "RU": "Russia", "IR": "Iran", "TW": "Taiwan", "VN": "Vietnam", "SY": "Syria", "LA": "Laos",
    "BO": "Bolivia", "VE": "Venezuela", "TZ": "Tanzania", "MD": "Moldova", "CZ": "Czech Republic",
    "MK": "North Macedonia", "PS": "Palestine", "BN": "Brunei", "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo", "CI": "Cote d'Ivoire", "FM": "Micronesia", "VA": "Vatican City",
    "TR": "Turkey", "HK": "Hong Kong", "MO": "Macao", "CV": "Cape Verde", "SZ": "Eswatini",
}

#: Variants written by WoS, Scopus, PubMed, IEEE and others -> ISO alpha-2.
_ALIASES = {
    "usa": "US", "u s a": "US", "us": "US", "u s": "US", "united states of america": "US", "america": "US",
    "uk": "GB", "u k": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "north ireland": "GB",
    "northern ireland": "GB", "great britain": "GB", "britain": "GB",
    "peoples r china": "CN", "people s republic of china": "CN", "peoples republic of china": "CN",
    "pr china": "CN", "p r china": "CN", "prc": "CN", "china": "CN", "mainland china": "CN",
    "south korea": "KR", "korea": "KR", "republic of korea": "KR", "korea south": "KR", "rep of korea": "KR",
    "korea republic of": "KR", "north korea": "KP", "russia": "RU", "russian federation": "RU", "ussr": "RU",
    "iran": "IR", "islamic republic of iran": "IR", "taiwan": "TW", "republic of china": "TW", "roc": "TW",
    "vietnam": "VN", "viet nam": "VN", "czech republic": "CZ", "czechia": "CZ", "turkey": "TR", "turkiye": "TR",
    "hong kong": "HK", "macau": "MO", "macao": "MO", "u arab emirates": "AE", "uae": "AE",
    "united arab emirates": "AE", "netherlands": "NL", "the netherlands": "NL", "holland": "NL",
    "brasil": "BR", "espana": "ES", "deutschland": "DE", "federal republic of germany": "DE",
    "ivory coast": "CI", "cote divoire": "CI", "cote d ivoire": "CI", "bosnia & herceg": "BA",
    "bosnia and herzegovina": "BA", "bosnia herceg": "BA", "trinid & tobago": "TT", "trinidad and tobago": "TT",
    "papua n guinea": "PG", "dem rep congo": "CD", "democratic republic of the congo": "CD",
    "rep congo": "CG", "congo": "CG", "syria": "SY", "laos": "LA", "moldova": "MD", "macedonia": "MK",
    "north macedonia": "MK", "palestine": "PS", "vatican": "VA", "swaziland": "SZ", "eswatini": "SZ",
    "cape verde": "CV", "brunei": "BN", "micronesia": "FM", "tanzania": "TZ", "bolivia": "BO",
    "venezuela": "VE", "kosovo": "XK", "st kitts & nevi": "KN", "sao tome & prin": "ST", "cent afr republ": "CF",
    "central african republic": "CF", "equat guinea": "GQ", "marshall island": "MH", "solomon islands": "SB",
    "fr polynesia": "PF", "new caledonia": "NC", "guinea bissau": "GW", "burkina faso": "BF",
    "yugoslavia": "RS", "serbia": "RS", "montenegro": "ME", "timor leste": "TL", "east timor": "TL",
}

_STOP_SEGMENT = re.compile(r"[^a-z& ]+")


def _norm(text: str) -> str:
    s = strip_accents(text).lower().replace("'", "").replace("-", " ")
    s = _STOP_SEGMENT.sub(" ", s)
    return " ".join(s.split())


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    import pycountry

    table: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            v = getattr(c, attr, None)
            if v:
                table.setdefault(_norm(v), c.alpha_2)
    table.update(_ALIASES)
    table.pop("", None)
    return table


@functools.lru_cache(maxsize=4096)
def code_to_name(code: str | None) -> str | None:
    """ISO 3166 alpha-2 (or alpha-3) code -> display name; None if unknown."""
    if not code:
        return None
    code = code.strip().upper()
    if code == "XK":
        return "Kosovo"
    if code in _DISPLAY:
        return _DISPLAY[code]
    import pycountry

    c = pycountry.countries.get(alpha_2=code) if len(code) == 2 else pycountry.countries.get(alpha_3=code)
    if c is None:
        return None
    return _DISPLAY.get(c.alpha_2) or getattr(c, "common_name", None) or c.name


@functools.lru_cache(maxsize=65536)
def normalize_country(name: str | None) -> str | None:
    """A country name in any common variant -> its display name; None if not a country."""
    if not name:
        return None
    code = _table().get(_norm(name))
    if code is None and len(name.strip()) in (2, 3) and name.strip().isupper():
        return code_to_name(name)
    return code_to_name(code) if code else None


@functools.lru_cache(maxsize=200_000)
def country_of_affiliation(affiliation: str | None) -> str | None:
    """The country an affiliation string ends with ("..., Stanford, CA 94305 USA" -> United States)."""
    if not affiliation:
        return None
    table = _table()
    segments = [s for s in re.split(r"[,;]", affiliation) if s.strip()]
    for seg in reversed(segments[-3:]):
        words = _norm(seg).split()
        # the longest trailing word run that names a country
        for k in range(min(5, len(words)), 0, -1):
            code = table.get(" ".join(words[-k:]))
            if code and not (k == 1 and words[-1] in {"us", "roc", "congo"} and len(words) > 3):
                return code_to_name(code)
    return None
