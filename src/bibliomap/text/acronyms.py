"""Acronym definitions in text, found with the Schwartz-Hearst (2003) algorithm.

Candidates are "long form (SHORT)" and, when the parenthesised text is the longer one,
"SHORT (long form)". A short form has at most two words, 2-10 characters, a letter and
starts with a letter or digit. It matches a long form when each of its letters and digits
can be found in the long form from right to left, in order, with the first one at the start
of a word; the long form then starts at that word and has at most min(|S| + 5, 2|S|) words.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from bibliomap.text.unify import unify

_PAREN = re.compile(r"\(([^()]{1,80})\)")
_SENTENCE_CUT = re.compile(r"[.!?;:]\s|[()\[\]]")


def _valid_short(s: str) -> bool:
    """A plausible short form: 2-10 characters, at most two words, starts alphanumeric, has a capital."""
    return (2 <= len(s) <= 10 and len(s.split()) <= 2 and s[0].isalnum()
            and any(c.isupper() for c in s))


def match_long_form(short: str, candidate: str) -> str | None:
    """The long form within ``candidate`` (the words before the parenthesis) defined by ``short``, or None."""
    s_idx = len(short) - 1
    l_idx = len(candidate) - 1
    while s_idx >= 0:
        c = short[s_idx].lower()
        if not c.isalnum():
            s_idx -= 1
            continue
        while l_idx >= 0 and (candidate[l_idx].lower() != c
                              or (s_idx == 0 and l_idx > 0 and candidate[l_idx - 1].isalnum())):
            l_idx -= 1
        if l_idx < 0:
            return None
        l_idx -= 1
        s_idx -= 1
    start = candidate.rfind(" ", 0, l_idx + 1) + 1
    long_form = candidate[start:].strip()
    if not long_form or len(long_form) <= len(short) or short.lower() in long_form.lower().split():
        return None
    return long_form


def find_acronyms(text: str) -> list[tuple[str, str]]:
    """(short form, long form) pairs defined in ``text``, in order of appearance."""
    out = []
    for m in _PAREN.finditer(text or ""):
        inner = m.group(1).strip()
        inner = re.split(r"[;,]", inner)[0].strip()
        before = text[: m.start()]
        cut = None
        for cm in _SENTENCE_CUT.finditer(before):
            cut = cm.end()
        before = before[cut or 0 :].strip()
        if not inner or not before:
            continue
        if _valid_short(inner):
            short, words = inner, before.split()
            n_max = min(len(short) + 5, 2 * len(short))
            long_form = match_long_form(short, " ".join(words[-n_max:]))
        else:
            # "SHORT (long form)": the short form is the last word before the parenthesis
            short = before.split()[-1]
            if not _valid_short(short) or len(inner.split()) < 2:
                continue
            long_form = match_long_form(short, inner)
        if long_form:
            out.append((short, long_form))
    return out


def acronym_pairs(texts: Iterable[str | None]) -> dict[tuple[str, str], int]:
    """How many texts define each (short form, long form) pair."""
    counts: dict[tuple[str, str], int] = {}
    for text in texts:
        if not isinstance(text, str):
            continue
        for pair in dict.fromkeys(find_acronyms(text)):
            counts[pair] = counts.get(pair, 0) + 1
    return counts


def unified_acronym_pairs(texts: Iterable[str | None],
                          lookup: Callable[[str], str | None] | None = None) -> dict[tuple[str, str], int]:
    """``acronym_pairs`` with both forms unified as terms are (``unify``; then mapped by ``lookup``, a thesaurus's,
    where given): how many texts define each (short, long) term pair; pairs that unify to one term or to none
    are left out."""
    counts: dict[tuple[str, str], int] = {}
    for (short, long_form), n in acronym_pairs(texts).items():
        s, lf = unify(short), unify(long_form)
        if s and lf and lookup is not None:
            s, lf = lookup(s) or "", lookup(lf) or ""
        if s and lf and s != lf:
            counts[(s, lf)] = counts.get((s, lf), 0) + n
    return counts
