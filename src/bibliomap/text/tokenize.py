"""Sentence splitting and word tokenization with character offsets.

Tokens follow the conventions of the UD English-EWT treebank the tagger is trained on:
punctuation, hyphens and slashes between word parts are separate tokens, clitics are split
("don't" -> "do" "n't", "model's" -> "model" "'s"), while numbers ("3.5", "1,000"), URLs,
e-mail addresses and common abbreviations ("e.g.", "et al.", "U.S.") stay whole. Keeping the
offsets lets later steps see whether two tokens touch (e.g. "real-time").
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

import numpy as np

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
    """Flat tokens of many texts: strings, offsets, and the text and sentence each belongs to.

    ``sentence_starts`` holds the index of the first token of every sentence plus a final
    ``len(words)``; sentences never cross texts.
    """

    words: list[str]
    starts: np.ndarray  # int64 character offset of each token in its text
    ends: np.ndarray
    text_index: np.ndarray  # int64 index of the text each token comes from
    sentence_starts: np.ndarray  # int64, length n_sentences + 1

    def __len__(self) -> int:
        return len(self.words)

    def sentences(self) -> list[list[str]]:
        """The tokens grouped by sentence (convenient for small inputs and tests)."""
        b = self.sentence_starts
        return [self.words[b[i] : b[i + 1]] for i in range(len(b) - 1)]


def tokenize_text(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the tokens of one text."""
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


def tokenize(texts: Sequence[str | None]) -> Tokens:
    """Tokenize and sentence-split ``texts`` (None or empty texts give no tokens)."""
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
    return Tokens(
        words=words,
        starts=np.asarray(starts, dtype=np.int64),
        ends=np.asarray(ends, dtype=np.int64),
        text_index=np.asarray(text_index, dtype=np.int64),
        sentence_starts=np.asarray(sentence_starts, dtype=np.int64),
    )


def split_sentences(text: str) -> list[str]:
    """The sentences of one text, as substrings."""
    toks = tokenize([text])
    b = toks.sentence_starts
    return [text[toks.starts[b[i]] : toks.ends[b[i + 1] - 1]] for i in range(len(b) - 1)]
