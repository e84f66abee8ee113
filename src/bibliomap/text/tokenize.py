"""Sentence splitting and word tokenization with character offsets.

Tokens follow the conventions of the UD English-EWT treebank the tagger is trained on:
punctuation, hyphens and slashes between word parts are separate tokens, clitics are split
("don't" -> "do" "n't", "model's" -> "model" "'s"), while numbers ("3.5", "1,000"), URLs,
e-mail addresses and common abbreviations ("e.g.", "et al.", "U.S.") stay whole. Keeping the
offsets lets later steps see whether two tokens touch (e.g. "real-time").
"""
from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Sequence

import numpy as np

from bibliomap.text import _scanner

_ABBREVIATIONS = (
    r"e\.g|i\.e|al|etc|vs|cf|approx|ca|resp|fig|figs|eq|eqs|ref|refs|vol|dr|mr|mrs|ms|prof|st|inc|ltd|co|corp|jr|sr"
)

_TOKEN_RE = re.compile(
    r"""
    [^\W_]+(?=[\s,;!?)\]]|$)                                        # fast path: a plain word before a space
  | (?:https?://|www\.)[^\s<>"()\[\]]+[^\s<>"()\[\].,;:!?']      # URL
  | [\w.+-]+@[\w-]+(?:\.[\w-]+)+                                   # e-mail
  | (?:[^\W\d_]\.){2,}                                             # initialisms: U.S. e.g. i.e.
  | (?i:(?<![\w.])(?:"""
    + _ABBREVIATIONS
    + r""")\.)(?=\s*[\w,;:(])                                       # abbreviation followed by more text
  | \d+(?:[.,:]\d+)*(?:[^\W_]+)?                                    # numbers (3.5, 1,000, 3D, 19th)
  | [^\W_]+?(?=[nN]['’][tT]\b)                                      # "do" of "don't"
  | [nN]['’][tT]\b                                                  # n't
  | (?<=[^\W_])['’](?i:s|re|ve|ll|d|m)\b                            # clitics 's 're 've 'll 'd 'm
  | [^\W_]+(?:\.(?=[^\W\d_]\w*\.)[^\W_]+)*                          # words (letters and digits)
  | \.{2,}|-{2,}|[^\w\s]|_                                          # punctuation, one mark at a time
    """,
    re.VERBOSE,
)

_SENTENCE_END = frozenset({".", "!", "?", "...", "…"})
_CLOSERS = frozenset({")", "]", '"', "'", "”", "’"})


@dataclasses.dataclass
class Tokens:
    """Flat tokens of many texts: offsets, word types, and the text and sentence each belongs to.

    ``types[i]`` indexes ``vocabulary`` (each distinct token string once, in order of first
    appearance); ``sentence_starts`` holds the index of the first token of every sentence plus a
    final ``len(types)``; sentences never cross texts.
    """

    types: np.ndarray  # int64 word type of each token
    vocabulary: list[str]
    starts: np.ndarray  # int32 character offset of each token in its text (int32: 45 MB less per 11M tokens)
    ends: np.ndarray  # int32
    text_index: np.ndarray  # int32 index of the text each token comes from
    sentence_starts: np.ndarray  # int64, length n_sentences + 1

    def __len__(self) -> int:
        return len(self.types)

    @functools.cached_property
    def words(self) -> list[str]:
        """Each token's string (built on first use: the pipeline works on ``types``)."""
        vocab = self.vocabulary
        return [vocab[t] for t in self.types.tolist()]

    def sentences(self) -> list[list[str]]:
        """The tokens grouped by sentence (convenient for small inputs and tests)."""
        b = self.sentence_starts
        return [self.words[b[i] : b[i + 1]] for i in range(len(b) - 1)]


def tokenize_text(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the tokens of one text, by the regular expression that specifies them."""
    return [m.span() for m in _TOKEN_RE.finditer(text)]


def _sentence_breaks(words: list[str], spans: list[tuple[int, int]], text: str) -> list[int]:
    """Token indices (after the first) where a new sentence starts."""
    breaks = []
    n = len(words)
    i = 0
    while i < n:
        w = words[i]
        is_end = w in _SENTENCE_END or (w.endswith(".") and len(w) > 1 and i + 1 < n and _abbrev_ends_sentence(words, i))
        if is_end:
            j = i + 1
            while j < n and words[j] in _CLOSERS and spans[j][0] == spans[j - 1][1]:
                j += 1
            if j < n:
                nxt = words[j]
                gap = text[spans[j - 1][1] : spans[j][0]]
                if gap and (nxt[0].isupper() or nxt[0].isdigit() or nxt[0] in "\"“(['‘"):
                    breaks.append(j)
            i = j
            continue
        if i + 1 < n and "\n\n" in text[spans[i][1] : spans[i + 1][0]]:
            breaks.append(i + 1)
        i += 1
    return breaks


def _abbrev_ends_sentence(words: list[str], i: int) -> bool:
    """An abbreviation such as "etc." ends a sentence when a capitalised non-name word follows."""
    return words[i].lower() in ("etc.",) and words[i + 1][:1].isupper()


def reference_tokenize(texts: Sequence[str | None]) -> tuple[list[str], list[int], list[int], list[int], list[int]]:
    """The specification ``tokenize`` is compiled from, in plain Python (slow; for tests):
    words, starts, ends, text numbers and sentence starts (with the final length)."""
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    text_index: list[int] = []
    sentence_starts: list[int] = []
    for t, text in enumerate(texts):
        if not text:
            continue
        spans = tokenize_text(text)
        if not spans:
            continue
        base = len(words)
        tw = [text[a:b] for a, b in spans]
        words.extend(tw)
        starts.extend(a for a, _ in spans)
        ends.extend(b for _, b in spans)
        text_index.extend([t] * len(spans))
        sentence_starts.append(base)
        sentence_starts.extend(base + k for k in _sentence_breaks(tw, spans, text))
    sentence_starts.append(len(words))
    return words, starts, ends, text_index, sentence_starts


#: code points scanned per batch (bounds the memory of the code-point arrays)
_BATCH_CODE_POINTS = 4_000_000
#: below this many code points the regular expression is used: loading (or, on a first run,
#: compiling) the scanner costs more than it saves on a few hundred abstracts
COMPILED_MIN_CODE_POINTS = 2_000_000


class _TypeTable:
    """The growing table of word types shared by the batches of one ``tokenize`` call."""

    def __init__(self) -> None:
        self.slots = np.full(1 << 16, -1, dtype=np.int64)
        self.hashes = np.zeros(1 << 14, dtype=np.uint64)
        self.offsets = np.zeros((1 << 14) + 1, dtype=np.int64)
        self.code_points = np.zeros(1 << 18, dtype=np.uint32)
        self.counts = np.zeros(2, dtype=np.int64)  # types, code points used

    def grow(self) -> None:
        """Double whichever table ``assign_types`` found too small (all three, cheaply)."""
        n_types, used = (int(x) for x in self.counts)
        size = 2 * len(self.hashes)
        self.hashes = _grown(self.hashes, n_types, size)
        self.offsets = _grown(self.offsets, n_types + 1, size + 1)
        self.code_points = _grown(self.code_points, used, 2 * len(self.code_points))
        self.slots = _scanner.rehash(self.hashes, n_types, 2 * len(self.slots))

    def strings(self, first: int) -> list[str]:
        """The strings of types ``first`` onward."""
        n_types = int(self.counts[0])
        off = self.offsets
        cps = self.code_points
        return [cps[off[k]:off[k + 1]].tobytes().decode("utf-32-le") for k in range(first, n_types)]


def _grown(array: np.ndarray, used: int, size: int) -> np.ndarray:
    out = np.empty(size, dtype=array.dtype)
    out[:used] = array[:used]
    return out


def tokenize(texts: Sequence[str | None]) -> Tokens:
    """Tokenize and sentence-split ``texts`` (None or empty texts give no tokens)."""
    present = [t for t, text in enumerate(texts) if text]
    if sum(len(texts[t]) for t in present) < COMPILED_MIN_CODE_POINTS:
        return _tokenize_by_regex(texts)
    return tokenize_compiled(texts)


def tokenize_compiled(texts: Sequence[str | None]) -> Tokens:
    """``tokenize`` by the compiled scanner, whatever the input's size (the same tokens)."""
    present = [t for t, text in enumerate(texts) if text]
    table = _TypeTable()
    vocabulary: list[str] = []
    parts: list[list[np.ndarray]] = []
    k = 0
    while k < len(present):
        batch = [present[k]]
        size = len(texts[present[k]])
        k += 1
        while k < len(present) and size + len(texts[present[k]]) <= _BATCH_CODE_POINTS:
            size += len(texts[present[k]])
            batch.append(present[k])
            k += 1
        parts.append(_tokenize_batch([texts[t] for t in batch], np.asarray(batch, dtype=np.int64), table))
        vocabulary.extend(table.strings(len(vocabulary)))
    types, starts, ends, text_index, breaks = (_concatenate(parts, field) for field in range(5))
    sentence_starts = np.append(np.flatnonzero(breaks), len(types)).astype(np.int64)
    return Tokens(types=types, vocabulary=vocabulary, starts=starts, ends=ends, text_index=text_index,
                  sentence_starts=sentence_starts)


def _concatenate(parts: list[list[np.ndarray]], field: int) -> np.ndarray:
    """One field of every batch, joined; each batch's array is released as soon as it is copied."""
    arrays = [p[field] for p in parts]
    for p in parts:
        p[field] = None
    if not arrays:
        return np.zeros(0, dtype=bool if field == 4 else np.int64 if field == 0 else np.int32)
    return np.concatenate(arrays)


def word_types(words: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Each word's type id and the types' strings, in order of first appearance."""
    type_of: dict[str, int] = {}
    types = np.fromiter((type_of.setdefault(w, len(type_of)) for w in words), dtype=np.int64, count=len(words))
    return types, list(type_of)


def _tokenize_by_regex(texts: Sequence[str | None]) -> Tokens:
    """``tokenize`` by the specification itself (small inputs)."""
    words, starts, ends, text_index, sentence_starts = reference_tokenize(texts)
    types, vocabulary = word_types(words)
    return Tokens(types=types, vocabulary=vocabulary, starts=np.asarray(starts, dtype=np.int32),
                  ends=np.asarray(ends, dtype=np.int32), text_index=np.asarray(text_index, dtype=np.int32),
                  sentence_starts=np.asarray(sentence_starts, dtype=np.int64))


def _tokenize_batch(texts: list[str], text_numbers: np.ndarray, table: _TypeTable) -> list[np.ndarray]:
    """Types, offsets, text numbers and sentence-start flags of the tokens of ``texts``."""
    cp = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    bounds = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in texts], out=bounds[1:])
    cls, fold = _scanner.char_tables(cp)
    n_max = len(cp)
    starts = np.empty(n_max, dtype=np.int64)
    ends = np.empty(n_max, dtype=np.int64)
    local_text = np.empty(n_max, dtype=np.int64)
    breaks = np.empty(n_max, dtype=np.bool_)
    n = _scanner.scan(cp, cls, fold, _scanner.ABBREVIATION_CODES, _scanner.ABBREVIATION_LENGTHS,
                      _scanner.CLITIC_CODES, _scanner.CLITIC_LENGTHS, bounds, starts, ends, local_text, breaks)
    # copies, not views: a view would keep the batch's whole code-point-sized buffers alive
    starts, ends, local_text, breaks = starts[:n].astype(np.int32), ends[:n].astype(np.int32), local_text[:n].copy(), breaks[:n].copy()
    types = np.empty(n, dtype=np.int64)
    done = 0
    while True:
        done = _scanner.assign_types(cp, starts, ends, bounds, local_text, done, table.slots, table.hashes,
                                     table.offsets, table.code_points, table.counts, types)
        if done == n:
            break
        table.grow()
    return [types, starts, ends, text_numbers[local_text].astype(np.int32), breaks]


def split_sentences(text: str) -> list[str]:
    """The sentences of one text, as substrings."""
    toks = tokenize([text])
    b = toks.sentence_starts
    return [text[toks.starts[b[i]] : toks.ends[b[i + 1] - 1]] for i in range(len(b) - 1)]
