"""Variants of one term: spellings that differ only by hyphens and spaces ("multiple-criteria decision
analysis", "multiple criteria decision analysis", "multicriteria" and "multi-criteria"), by British and
American endings ("modelling", "modeling") or by a last word that is a plural and a noun of its own
("outranking relations", "outranking relation"); and an acronym with the long form the texts define for it
("MCDA", "multiple criteria decision analysis") and the other spellings of that long form they define for it
("GPU": "graphics processing unit", "graphic processing unit", "graphical processing unit"). A map shows each
concept once, under its most frequent form; ``bibliomap.text.suggestions`` offers the same groups for review.
"""
from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np
from lemminflect import getInflection, getLemma

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


@functools.lru_cache(maxsize=100_000)
def ambiguous_singular(word: str) -> str:
    """The singular of a plural that is also a noun of its own ("relations" -> "relation", "statistics" ->
    "statistic", "data" -> "datum"), else the word: ``unify`` keeps such a last word as written, since "public
    relations" is no plural, so "outranking relations" and "outranking relation" would be two terms."""
    lemmas = getLemma(word, upos="NOUN", lemmatize_oov=False)
    if word not in lemmas:
        return word
    return next((lemma for lemma in lemmas if lemma != word and word in getInflection(lemma, tag="NNS")), word)


def variant_key(term: str) -> str:
    """What all variants of a (unified) term share: its hyphen- and space-separated parts with American endings,
    joined ("multiple-criteria decision analysis" and "multiple criteria decision analysis", "multi-criteria" and
    "multicriteria", "electre-tri" and "electre tri"), the last word singular where it is also a noun of its own
    (``ambiguous_singular``: "outranking relations" and "outranking relation"). Inner plurals are left as written:
    "multi-criteria" and "multicriteria" could not share a key if "criteria" were made singular in one and not the
    other."""
    head, _, last = term.rpartition(" ")
    last = ambiguous_singular(last)
    return "".join(_american(p) for p in _PARTS.split(f"{head} {last}" if head else last))


#: another long form defined for the same acronym is a spelling of the main one when their similarity (rapidfuzz's
#: ratio, 0-100) is at least this: "graphic processing unit" and "graphical processing unit" beside "graphics
#: processing unit" (94-98), "analytical hierarchy process" beside "analytic hierarchy process" (96); not "decision
#: analysis" beside "data analysis" (67), nor "multiple criteria decision aid" beside "multiple criteria decision
#: analysis" (89: the same field under its European name, but not the same words)
SPELLING_SIMILARITY = 90.0


def acronym_links(vocabulary: Sequence[str], acronyms: Mapping[tuple[str, str], int] | None) -> list[tuple[int, int]]:
    """(short form, long form) vocabulary indices of the acronyms the texts define (``acronyms``: unified
    (short, long) -> the number of texts defining it, ``bibliomap.text.acronyms``). A short form counts only
    when it is no English noun of its own ("aim", "ode", "pet" stay apart) and its long form is the one most
    of its definitions give (at least half of them; "dm" is "decision maker" in a corpus that says so). The
    other long forms defined for it that are spellings of that one (``SPELLING_SIMILARITY``: "graphic processing
    unit", "graphical processing unit" for "gpu") are linked to it too: one concept, however its authors spell it."""
    from rapidfuzz import fuzz

    if not acronyms:
        return []
    index = {t: i for i, t in enumerate(vocabulary)}
    longs: dict[str, dict[str, int]] = defaultdict(dict)
    total: dict[str, int] = defaultdict(int)
    for (short, long_form), n in acronyms.items():
        total[short] += n
        if short in index and long_form in index and short != long_form:
            longs[short][long_form] = longs[short].get(long_form, 0) + n
    links = []
    for short in sorted(longs):
        if getLemma(short, upos="NOUN", lemmatize_oov=False):
            continue
        defined = longs[short]
        long_form = min(defined, key=lambda lf: (-defined[lf], lf))
        if 2 * defined[long_form] >= total[short]:
            links.append((index[short], index[long_form]))
            links.extend((index[short], index[other]) for other in sorted(defined)
                         if other != long_form and fuzz.ratio(other, long_form) >= SPELLING_SIMILARITY)
    return links


def canonical_variants(vocabulary: Sequence[str], occurrences: np.ndarray,
                       acronyms: Mapping[tuple[str, str], int] | None = None) -> np.ndarray:
    """Per vocabulary term, the index of the form its group is shown under: terms sharing a ``variant_key``, and
    with ``acronyms`` an acronym and its long form (``acronym_links``: "mcda" and "multiple criteria decision
    analysis", "gpu" and "graphics processing unit"), joined transitively; the form is the group's most frequent
    by ``occurrences``, ties by the term. A term without variants is its own."""
    n = len(vocabulary)
    parent = np.arange(n, dtype=np.int64)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    first: dict[str, int] = {}
    for i, term in enumerate(vocabulary):
        if term:
            j = first.setdefault(variant_key(term), i)
            if j != i:
                parent[root(i)] = root(j)
    for a, b in acronym_links(vocabulary, acronyms):
        parent[root(a)] = root(b)
    roots = np.array([root(i) for i in range(n)], dtype=np.int64)
    occ = np.asarray(occurrences)
    out = np.arange(n, dtype=np.int64)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in np.flatnonzero(roots != np.arange(n)).tolist():
        groups[int(roots[i])].append(i)
    for r, members in groups.items():
        members.append(r)
        best = min(members, key=lambda i: (-occ[i], vocabulary[i]))
        out[members] = best
    return out
