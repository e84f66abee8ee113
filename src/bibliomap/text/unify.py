"""Term unification as VOSviewer does it: strip accents and most punctuation, lower-case,
and turn the last word (only) from plural to singular, with lemminflect."""
from __future__ import annotations

import functools
import re
import unicodedata

from lemminflect import getInflection, getLemma

_DROP = re.compile(r"[^\w\s-]+")
_SPACES = re.compile(r"\s+")
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})
_EDGE_HYPHENS = re.compile(r"(?<![\w])-+|-+(?![\w])")


def strip_accents(text: str) -> str:
    """"Schrödinger" -> "Schrodinger" (compatibility decomposition, combining marks dropped)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=200_000)
def singular(word: str) -> str:
    """The singular of a lower-case noun if it is a plural form, else the word unchanged.

    Only plurals are converted: a word lemminflect's dictionary knows is changed only when it is
    a listed plural of its lemma ("criteria" -> "criterion", "analyses" -> "analysis"; "data",
    "physics" and "computing" stay); an unknown word is treated as a plural only when it ends in
    -s ("nvidia" and "opencl" stay, "kinetics" -> "kinetic").
    """
    if len(word) < 3 or not word[-1].isalpha():
        return word
    known = getLemma(word, upos="NOUN", lemmatize_oov=False)
    if known:
        if word in known:
            return word
        for lemma in known:
            if word in getInflection(lemma, tag="NNS"):
                return lemma
        return word
    if not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    guess = getLemma(word, upos="NOUN")
    return guess[0] if guess and guess[0] else word


def unify(phrase: str) -> str:
    """Unified form of a noun phrase ("Artificial Neural Networks" -> "artificial neural network").

    Keeps letters, digits and word-internal hyphens ("real-time"); an all-capital last word
    (an acronym such as "AIDS" or "SARS") is not singularized, "GANs" and "GPUs" lose their "s".
    """
    text = strip_accents(phrase).translate(_HYPHENS)
    words = text.split()
    if not words:
        return ""
    last = words[-1]
    acronym = 1 < len(last) <= 5 and last.isupper()  # "AIDS", "SARS"; longer capitals are words ("RESULTS")
    acronym_plural = len(last) > 2 and last.endswith("s") and last[:-1].isupper()
    text = _DROP.sub("", text.replace("_", " "))
    text = _EDGE_HYPHENS.sub(" ", text)
    text = _SPACES.sub(" ", text).strip().lower()
    if not text:
        return ""
    if acronym:
        return text
    head, _, tail = text.rpartition(" ")
    tail = tail[:-1] if acronym_plural and tail.endswith("s") else singular(tail)
    return f"{head} {tail}" if head else tail
