"""Variants of one term: spellings that differ only by hyphens and spaces ("multiple-criteria decision
analysis", "multiple criteria decision analysis", "multicriteria" and "multi-criteria") or by British and
American endings ("modelling", "modeling"). A map shows each concept once, under its most
frequent form; ``bibliomap.text.suggestions`` offers the same groups (and acronyms) for review.
"""
from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from bibliomap.text.unify import singular

_BRITISH = (
    (re.compile(r"isation"), "ization"), (re.compile(r"is(e|ed|es|ing)$"), r"iz\1"), (re.compile(r"yse$"), "yze"),
    (re.compile(r"our$"), "or"), (re.compile(r"(?<=[^aeiou])re$"), "er"), (re.compile(r"ll(ing|ed|er)$"), r"l\1"),
    (re.compile(r"ae"), "e"), (re.compile(r"oe"), "e"),
)


@functools.lru_cache(maxsize=500_000)
def _american(word: str) -> str:
    """A word with American endings ("modelling" -> "modeling"; words repeat across terms: each is worked out once)."""
    for rx, rep in _BRITISH:
        word = rx.sub(rep, word)
    return word


def spelling_key(term: str) -> str:
    """The term with every word singular and American endings ("decision makers modelling" and
    "decision maker modeling" share it): the suggestions' looser test, for the user to review."""
    return " ".join(_american(singular(w)) for w in term.split(" "))


def hyphen_key(term: str) -> str:
    """The term without hyphens and spaces ("real-time", "real time" and "realtime" share it)."""
    return term.replace("-", "").replace(" ", "")


_PARTS = re.compile(r"[- ]+")


def variant_key(term: str) -> str:
    """What all variants of a (unified) term share: its hyphen- and space-separated parts with American endings,
    joined ("multiple-criteria decision analysis" and "multiple criteria decision analysis", "multi-criteria" and
    "multicriteria", "electre-tri" and "electre tri"). Inner plurals are left as written: "multi-criteria"
    and "multicriteria" could not share a key if "criteria" were made singular in one and not the other."""
    return "".join(_american(p) for p in _PARTS.split(term))


def canonical_variants(vocabulary: Sequence[str], occurrences: np.ndarray) -> np.ndarray:
    """Per vocabulary term, the index of the form its variants are shown under (``variant_key``): the most
    frequent of them by ``occurrences``, ties by the term; a term without variants is its own."""
    out = np.arange(len(vocabulary), dtype=np.int64)
    groups: dict[str, list[int]] = defaultdict(list)
    for i, term in enumerate(vocabulary):
        if term:
            groups[variant_key(term)].append(i)
    occ = np.asarray(occurrences)
    for members in groups.values():
        if len(members) > 1:
            best = min(members, key=lambda i: (-occ[i], vocabulary[i]))
            out[members] = best
    return out
