"""Strict matching of an export record to a candidate work: title similarity, first-author surname, year.

Google Scholar titles are often cut with an ellipsis ("... the functional demands of …");
such a title is compared with the same-length start of the candidate's title, and
must be long enough to say something. A candidate passes only if the title is
similar enough, the first authors' surnames agree (when both are known) and the
years are at most one apart (when both are known).
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata

from rapidfuzz import fuzz

#: Minimum title similarity (rapidfuzz ratio, 0..1) for a whole title, and for a truncated one.
TITLE_THRESHOLD = 0.92
TRUNCATED_THRESHOLD = 0.95
#: A truncated title must keep at least this many characters to be matched at all.
MIN_TRUNCATED_CHARS = 25
#: Without an author on either side, the title must match this closely.
NO_AUTHOR_THRESHOLD = 0.97

_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*$")


def _fold(text: str) -> str:
    """Accents stripped, lower case, every run of non-alphanumerics one space."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def normalize_title(title: str | None) -> tuple[str, bool]:
    """(folded title, was it truncated with an ellipsis)."""
    if not title:
        return "", False
    truncated = bool(_ELLIPSIS.search(title))
    return _fold(_ELLIPSIS.sub("", title)), truncated


def surname_key(surname: str | None) -> str:
    """'Kun‐Rodrigues' and 'Kun-Rodrigues' -> 'kunrodrigues': letters only, accents stripped."""
    return "".join(c for c in _fold(surname or "") if c.isalpha())


def title_similarity(export_title: str | None, candidate_title: str | None) -> float:
    """Similarity 0..1; a truncated export title is compared with the candidate's start."""
    a, truncated = normalize_title(export_title)
    b, _ = normalize_title(candidate_title)
    if not a or not b:
        return 0.0
    if truncated:
        if len(a) < MIN_TRUNCATED_CHARS:
            return 0.0
        b = b[: len(a)]
    return fuzz.ratio(a, b) / 100.0


def surnames_agree(a: str | None, b: str | None) -> bool | None:
    """True/False when both surnames are known; None otherwise.

    Equal once folded ('Kun‐Rodrigues' = 'Kun-Rodrigues'), or one is the other's last
    word ('van Eck' ~ 'Eck', 'Kun-Rodrigues' ~ 'Rodrigues').
    """
    ka, kb = surname_key(a), surname_key(b)
    if not ka or not kb:
        return None
    if ka == kb:
        return True
    wa, wb = _fold(a or "").split(), _fold(b or "").split()
    return (len(wa) == 1 and wa[0] == wb[-1] and len(wa[0]) >= 3) or (len(wb) == 1 and wb[0] == wa[-1] and len(wb[0]) >= 3)


@dataclasses.dataclass
class Verdict:
    """Whether a candidate matches, with its title similarity and the reason when it does not."""

    ok: bool
    similarity: float
    reason: str = ""


def judge(
    title: str | None,
    surname: str | None,
    year: int | None,
    cand_title: str | None,
    cand_surname: str | None,
    cand_year: int | None,
) -> Verdict:
    """The strict match rule (see the module docstring)."""
    sim = title_similarity(title, cand_title)
    _, truncated = normalize_title(title)
    threshold = TRUNCATED_THRESHOLD if truncated else TITLE_THRESHOLD
    if sim < threshold:
        return Verdict(False, sim, f"title similarity {sim:.2f} < {threshold}")
    if year and cand_year and abs(int(year) - int(cand_year)) > 1:
        return Verdict(False, sim, f"years {year} and {cand_year} more than one apart")
    agree = surnames_agree(surname, cand_surname)
    if agree is False:
        return Verdict(False, sim, f"first authors differ ({surname} / {cand_surname})")
    if agree is None and sim < NO_AUTHOR_THRESHOLD:
        return Verdict(False, sim, f"no first author to compare and title similarity {sim:.2f} < {NO_AUTHOR_THRESHOLD}")
    return Verdict(True, sim)
