"""Headline-case titles lower-cased for tagging: "Ultrasonic Tomography Using Propagation".

In a title written in headline case every word starts with a capital, so a tagger trained on
running text reads the verbs and prepositions as proper nouns and glues them into noun phrases
("tomography using propagation"). Tagging such a title with its capitalized words lower-cased
(acronyms and mixed-case names such as "GPU" or "OpenCL" kept) gives the tags the same words get
in an abstract. Only the words given to the tagger change; terms keep the text as written.
"""
from __future__ import annotations

import numpy as np

from bibliomap.text.tokenize import Tokens

#: share of the longer words (4+ letters) that must be capitalized for a text to be headline case
HEADLINE_SHARE = 0.6
#: fewest longer words a headline-case text needs (shorter texts are left alone)
MIN_WORDS = 3


def _capitalized(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word[1:].islower()


def headline_texts(tokens: Tokens, n_texts: int) -> np.ndarray:
    """Per text, True when it is written in headline case (most longer words capitalized)."""
    vocab = tokens.vocabulary
    long_type = np.array([len(w) >= 4 and w.isalpha() for w in vocab], dtype=bool)
    capital_type = np.array([w[:1].isupper() for w in vocab], dtype=bool)
    long = long_type[tokens.types]
    long_words = np.bincount(tokens.text_index[long], minlength=n_texts)[:n_texts]
    capitals = np.bincount(tokens.text_index[long & capital_type[tokens.types]], minlength=n_texts)[:n_texts]
    return (long_words >= MIN_WORDS) & (capitals >= HEADLINE_SHARE * long_words)


def tagging_types(tokens: Tokens, n_texts: int) -> tuple[np.ndarray, list[str]]:
    """The word types to tag and their strings: as written, but capitalized words of headline-case
    texts lower-cased (a lower-cased word becomes the type of its lower-case form, new or not)."""
    headline = headline_texts(tokens, n_texts)
    vocab = tokens.vocabulary
    if not headline.any():
        return tokens.types, vocab
    vocab = list(vocab)
    index = {w: k for k, w in enumerate(vocab)}
    lowered = np.arange(len(vocab), dtype=np.int64)
    for k, w in enumerate(tokens.vocabulary):
        if _capitalized(w):
            low = w.lower()
            if low not in index:
                index[low] = len(vocab)
                vocab.append(low)
            lowered[k] = index[low]
    in_headline = headline[tokens.text_index]
    return np.where(in_headline, lowered[tokens.types], tokens.types), vocab

