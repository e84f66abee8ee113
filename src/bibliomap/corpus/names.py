"""Author names: splitting display strings into surname and given names, and match keys."""
from __future__ import annotations

import re
import unicodedata

from bibliomap.corpus.schema import new_author

_PARTICLES = {"van", "von", "der", "den", "de", "da", "del", "della", "di", "du", "la", "le", "dos", "das", "ten", "ter", "bin", "al", "el"}


def strip_accents(text: str) -> str:
    """'Ñúñez' -> 'Nunez'."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def parse_name(raw: str, style: str = "auto") -> dict:
    """An author struct from a display name.

    ``style``: 'surname_first' ("Smith, John A." / "Smith J.A." / "SMITH JA"),
    'given_first' ("John A. Smith", Google Scholar's "JA Smith"), or 'auto'
    (a comma means surname first; otherwise given first).
    """
    s = " ".join(str(raw).replace("\u00a0", " ").split()).strip(" ;,")
    if not s:
        return new_author()
    if style == "auto":
        style = "surname_first" if "," in s else "given_first"
    if style == "surname_first":
        if "," in s:
            surname, given = (p.strip() for p in s.split(",", 1))
        else:
            # "Smith J.A." or "SMITH JA": the trailing all-initials token is the given part
            parts = s.split(" ")
            if len(parts) > 1 and re.fullmatch(r"(?:[A-Z]\.?-?){1,4}", parts[-1].replace(".", "") or "x"):
                surname, given = " ".join(parts[:-1]), parts[-1]
            else:
                surname, given = s, ""
    else:
        parts = s.split(" ")
        if len(parts) == 1:
            surname, given = parts[0], ""
        else:
            # keep particles with the surname: "Ludwig van Beethoven" -> "van Beethoven"
            i = len(parts) - 1
            while i > 1 and parts[i - 1].lower() in _PARTICLES:
                i -= 1
            surname, given = " ".join(parts[i:]), " ".join(parts[:i])
    name = f"{surname}, {given}" if given else surname
    return new_author(name=name, surname=surname or None, given=given or None)


def initials(given: str | None) -> str:
    """'John Albert' -> 'JA'; 'J.-A.' -> 'JA'."""
    if not given:
        return ""
    tokens = re.split(r"[\s.\-]+", given)
    out = []
    for t in tokens:
        if not t:
            continue
        if t.isupper() and len(t) <= 3 and not any(c.islower() for c in t):
            out.append(t)  # already initials, e.g. 'JA'
        else:
            out.append(t[0].upper())
    return "".join(out)


def author_key(author: dict, mode: str = "full") -> str:
    """Match key for an author: 'full' ("smith, john a") or 'initials' ("smith ja")."""
    surname = strip_accents(author.get("surname") or author.get("name") or "").lower().strip()
    given = author.get("given") or ""
    if mode == "initials":
        return f"{surname} {initials(given).lower()}".strip()
    g = strip_accents(given).lower().strip()
    return f"{surname}, {g}" if g else surname
