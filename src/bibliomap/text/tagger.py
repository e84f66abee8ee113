"""Universal part-of-speech tagger: a two-pass greedy averaged perceptron with shipped weights.

Features are word-level (form, lower case, prefixes and suffixes 1-4, shape, flags) at the
word and its neighbours (+-2), plus the previous tags; the second pass also sees the first
pass's tags to the right. Every word-level feature depends on one word type only, so a
type's contribution at each neighbour offset is precomputed once per distinct word as a
score vector; decoding is then a numba loop over tokens adding a few vectors. Weights are
trained on UD English-EWT (scripts/train_tagger.py; see models/README.md for credit and
license) and are never trained at import or test time.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from importlib import resources
from typing import TYPE_CHECKING

import numba
import numpy as np
from scipy import sparse

from bibliomap.text.tokenize import word_types

if TYPE_CHECKING:
    import pandas as pd

#: Universal POS tags, in model order.
UPOS = ("ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN",
        "PUNCT", "SCONJ", "SYM", "VERB", "X")
N_TAGS = len(UPOS)
START = N_TAGS  # history index meaning "before the sentence" (and "after it" on the right)
N_HIST = N_TAGS + 1

#: Neighbour offsets whose word-level features are used, in model order.
OFFSETS = (-2, -1, 0, 1, 2)
PADS = {-2: "<s2>", -1: "<s1>", 1: "</s1>", 2: "</s2>"}

# History feature blocks (offsets into the history weight matrix).
H_PREV = 0
H_PREV2 = H_PREV + N_HIST
H_PREV12 = H_PREV2 + N_HIST
H_NEXT = H_PREV12 + N_HIST * N_HIST
H_NEXT2 = H_NEXT + N_HIST
H_NEXT12 = H_NEXT2 + N_HIST
H_PREVNEXT = H_NEXT12 + N_HIST * N_HIST
H_FIRST = H_PREVNEXT + N_HIST * N_HIST
H_CONJ = H_FIRST + N_HIST  # then (word, previous tag) and, in pass 2, (word, next first-pass tag) blocks


def hist_size(n_conj: int) -> int:
    """Rows of the history weight matrix for ``n_conj`` conjunction words."""
    return H_CONJ + 2 * n_conj * N_HIST

MODEL_FILE = "upos-ewt.npz"

_SHAPE_SUBS = ((re.compile(r"[A-Z]+"), "X"), (re.compile(r"[a-z]+"), "x"), (re.compile(r"[0-9]+"), "d"))


def word_shape(word: str) -> str:
    """Compressed shape: runs of upper, lower and digits become X, x, d ("F1-score" -> "Xd-x")."""
    s = word
    for rx, rep in _SHAPE_SUBS:
        s = rx.sub(rep, s)
    s = re.sub(r"[^\x00-\x7f]+", "u", s)
    return s[:8]


def type_features(word: str) -> list[list[str]]:
    """Feature strings of one word type at each offset in OFFSETS (the same for training and tagging)."""
    low = word.lower()
    shape = word_shape(word)
    suf3 = low[-3:]
    own = ["bias", "w=" + word, "l=" + low, "sh=" + shape]
    n = len(low)
    for k in range(1, 5):
        if n >= k:
            own.append(f"p{k}=" + low[:k])
            own.append(f"s{k}=" + low[-k:])
    if "-" in word:
        own.append("hy")
    if any(c.isdigit() for c in word):
        own.append("dg")
    if word.isupper():
        own.append("up")
    elif word[:1].isupper():
        own.append("ti")
    return [
        ["l-2=" + low, "sh-2=" + shape],
        ["l-1=" + low, "s-1=" + suf3, "sh-1=" + shape],
        own,
        ["l+1=" + low, "s+1=" + suf3, "sh+1=" + shape],
        ["l+2=" + low, "sh+2=" + shape],
    ]


class TypeFeatures:
    """The feature strings of a list of word types, made once and looked up in each pass's index."""

    def __init__(self, words: Sequence[str]) -> None:
        self.n_types = len(words)
        flat: list[list[str]] = [[] for _ in OFFSETS]
        lengths: list[list[int]] = [[] for _ in OFFSETS]
        for w in words:
            for o, feats in enumerate(type_features(w)):
                flat[o].extend(feats)
                lengths[o].append(len(feats))
        self.strings = flat
        self.rows = [np.repeat(np.arange(self.n_types), n) for n in lengths]

    def matrices(self, index: "pd.Index", n_features: int) -> list[sparse.csr_matrix]:
        """One sparse 0/1 matrix (types x features) per offset; unknown feature strings are skipped."""
        out = []
        for strings, rows in zip(self.strings, self.rows):
            cols = index.get_indexer(strings)
            known = cols >= 0
            data = np.ones(int(known.sum()), dtype=np.float32)
            out.append(sparse.csr_matrix((data, (rows[known], cols[known])), shape=(self.n_types, n_features)))
        return out


@numba.njit(cache=True)
def _decode(scores, types, bounds, hist, forced, conj, first, pass2, out):
    """Greedy left-to-right decoding of every sentence.

    scores: (5, n_types, T) per-offset type scores; types: token type ids; bounds: sentence
    starts + end; hist: history weights; forced: tag per type or -1; first: first-pass tags
    (used when pass2); conj: conjunction-word id per type or -1; out: predicted tags.
    """
    n_tags = scores.shape[2]
    nh = n_tags + 1
    pad = scores.shape[1] - 4  # pad types: <s2>, <s1>, </s1>, </s2>
    buf = np.empty(n_tags, dtype=np.float32)
    for s in range(bounds.shape[0] - 1):
        a = bounds[s]
        b = bounds[s + 1]
        for i in range(a, b):
            ti = types[i]
            if forced[ti] >= 0:
                out[i] = forced[ti]
                continue
            tm2 = types[i - 2] if i - 2 >= a else pad
            tm1 = types[i - 1] if i - 1 >= a else pad + 1
            tp1 = types[i + 1] if i + 1 < b else pad + 2
            tp2 = types[i + 2] if i + 2 < b else pad + 3
            p1 = out[i - 1] if i - 1 >= a else n_tags
            p2 = out[i - 2] if i - 2 >= a else n_tags
            for k in range(n_tags):
                buf[k] = (scores[0, tm2, k] + scores[1, tm1, k] + scores[2, ti, k] + scores[3, tp1, k]
                          + scores[4, tp2, k] + hist[p1, k] + hist[nh + p2, k] + hist[2 * nh + p1 * nh + p2, k])
            cj = conj[ti]
            hc = H_CONJ + 2 * cj * nh
            if cj >= 0:
                for k in range(n_tags):
                    buf[k] += hist[hc + p1, k]
            if pass2:
                n1 = first[i + 1] if i + 1 < b else n_tags
                if cj >= 0:
                    for k in range(n_tags):
                        buf[k] += hist[hc + nh + n1, k]
                n2 = first[i + 2] if i + 2 < b else n_tags
                h = 2 * nh + nh * nh
                for k in range(n_tags):
                    buf[k] += (hist[h + n1, k] + hist[h + nh + n2, k] + hist[h + 2 * nh + n1 * nh + n2, k]
                               + hist[h + 2 * nh + nh * nh + p1 * nh + n1, k]
                               + hist[h + 2 * nh + 2 * nh * nh + first[i], k])
            best = 0
            for k in range(1, n_tags):
                if buf[k] > buf[best]:
                    best = k
            out[i] = best


class PassModel:
    """One pass's weights: feature index, feature weights (features x tags), history weights."""

    def __init__(self, features: list[str], weights: np.ndarray, hist: np.ndarray) -> None:
        import pandas as pd

        self.index = pd.Index(features)
        self.weights = np.ascontiguousarray(weights, dtype=np.float32)
        self.hist = np.ascontiguousarray(hist, dtype=np.float32)

    def type_scores(self, features: TypeFeatures) -> np.ndarray:
        """(5, n_types, T) score vectors of every type at every offset."""
        mats = features.matrices(self.index, self.weights.shape[0])
        return np.stack([np.asarray(m @ self.weights, dtype=np.float32) for m in mats])


class Tagger:
    """Tag tokenized sentences with UPOS tags (numbers index UPOS)."""

    def __init__(self, pass1: PassModel, pass2: PassModel | None, tagdict: dict[str, int],
                 conj_words: Sequence[str]) -> None:
        self.pass1 = pass1
        self.pass2 = pass2
        self.tagdict = tagdict
        self.conj_index = {w: i for i, w in enumerate(conj_words)}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> "Tagger":
        """Build from the arrays of a saved model (see save)."""
        def feats(key: str) -> list[str]:
            return bytes(arrays[key]).decode("utf-8").split("\n") if arrays[key].size else []

        p1 = PassModel(feats("features1"), arrays["weights1"], arrays["hist1"])
        p2 = PassModel(feats("features2"), arrays["weights2"], arrays["hist2"]) if "weights2" in arrays else None
        words = feats("tagdict_words")
        tagdict = dict(zip(words, arrays["tagdict_tags"].tolist()))
        return cls(p1, p2, tagdict, feats("conj_words"))

    def tag_ids(self, words: Sequence[str], sentence_starts: np.ndarray) -> np.ndarray:
        """UPOS ids (int8) for the flat ``words`` whose sentences start at ``sentence_starts`` (+ end)."""
        return self.tag_types(*word_types(words), sentence_starts)

    def tag_types(self, types: np.ndarray, vocabulary: Sequence[str], sentence_starts: np.ndarray) -> np.ndarray:
        """UPOS ids (int8) of tokens given as word types (indices into ``vocabulary``, whose
        entries need not all occur); sentences start at ``sentence_starts`` (+ end)."""
        n = len(types)
        out = np.zeros(n, dtype=np.int8)
        if n == 0:
            return out
        vocab = list(vocabulary)
        types = np.ascontiguousarray(types, dtype=np.int64)
        forced = np.array([self.tagdict.get(w, -1) for w in vocab] + [-1] * 4, dtype=np.int64)
        conj = np.array([self.conj_index.get(w.lower(), -1) for w in vocab] + [-1] * 4, dtype=np.int64)
        bounds = np.asarray(sentence_starts, dtype=np.int64)
        features = TypeFeatures(vocab + [PADS[-2], PADS[-1], PADS[1], PADS[2]])
        first = np.zeros(n, dtype=np.int8)
        _decode(self.pass1.type_scores(features), types, bounds, self.pass1.hist, forced, conj, first, False, first)
        if self.pass2 is None:
            return first
        second = np.zeros(n, dtype=np.int8)
        _decode(self.pass2.type_scores(features), types, bounds, self.pass2.hist, forced, conj, first, True, second)
        return second

    def tag(self, sentence: Sequence[str]) -> list[str]:
        """UPOS tags of one tokenized sentence."""
        ids = self.tag_ids(list(sentence), np.array([0, len(sentence)]))
        return [UPOS[i] for i in ids]


def save(path, pass1: tuple[list[str], np.ndarray, np.ndarray], pass2: tuple[list[str], np.ndarray, np.ndarray] | None,
         tagdict: dict[str, int], conj_words: Sequence[str]) -> None:
    """Save a model compactly: feature strings as UTF-8 bytes, feature weights as float16."""
    def enc(strings: list[str]) -> np.ndarray:
        return np.frombuffer("\n".join(strings).encode("utf-8"), dtype=np.uint8)

    words = sorted(tagdict)
    arrays = {
        "features1": enc(pass1[0]), "weights1": pass1[1].astype(np.float16), "hist1": pass1[2].astype(np.float32),
        "tagdict_words": enc(words), "tagdict_tags": np.array([tagdict[w] for w in words], dtype=np.int8),
        "upos": enc(list(UPOS)), "conj_words": enc(list(conj_words)),
    }
    if pass2 is not None:
        arrays.update({"features2": enc(pass2[0]), "weights2": pass2[1].astype(np.float16),
                       "hist2": pass2[2].astype(np.float32)})
    np.savez_compressed(path, **arrays)


def load(path) -> Tagger:
    """Load a model saved with ``save``."""
    with np.load(path) as data:
        arrays = {k: data[k] for k in data.files}
    upos = bytes(arrays["upos"]).decode("utf-8").split("\n")
    if tuple(upos) != UPOS:
        raise ValueError(f"{path}: tag set {upos} does not match this version's {UPOS}")
    return Tagger.from_arrays(arrays)


@functools.lru_cache(maxsize=1)
def default_tagger() -> Tagger:
    """The tagger shipped with bibliomap (UD English-EWT), loaded once."""
    ref = resources.files("bibliomap.text") / "models" / MODEL_FILE
    with resources.as_file(ref) as p:
        return load(p)
