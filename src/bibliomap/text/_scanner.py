"""Compiled tokenizer: the rules of ``tokenize._TOKEN_RE`` and the sentence splitter, run over code points.

The regular expression in ``tokenize`` is the specification; this module does the same thing in
numba, without a Python object per token: texts are scanned as arrays of code points, each token
becomes offsets and a word-type id (an exact hash table over the types' code points), and
sentence starts are marked in the same pass. Character classes are taken from Python's own ``re``
(``\\w``, ``\\d``, ``\\s``, case-insensitive letters) so the two agree on every character; a test
compares them on every real text and on mutated ones.
"""
from __future__ import annotations

import functools
import re

import numba
import numpy as np

N_CODE_POINTS = 0x110000
BMP = 0x10000

# character class bits
WORD = 1  # \w
ALNUM = 2  # [^\W_]
DIGIT = 4  # \d
SPACE = 8  # \s
LETTER = 16  # [^\W\d_]
UPPER = 32  # str.isupper()
ISDIGIT = 64  # str.isdigit()
DONE = 128  # the class of this code point has been computed

#: the abbreviations of ``tokenize._ABBREVIATIONS``, in the same order (the regex tries them in turn)
ABBREVIATIONS = ("e.g", "i.e", "al", "etc", "vs", "cf", "approx", "ca", "resp", "fig", "figs", "eq", "eqs", "ref",
                 "refs", "vol", "dr", "mr", "mrs", "ms", "prof", "st", "inc", "ltd", "co", "corp", "jr", "sr")
#: clitics after an apostrophe, in the regex's order
CLITICS = ("s", "re", "ve", "ll", "d", "m")


def _ranges(pattern: str, text: str, offset: int) -> list[tuple[int, int]]:
    return [(m.start() + offset, m.end() + offset) for m in re.finditer(pattern, text)]


def _classify(table: np.ndarray, first: int, chars: str) -> None:
    """Fill ``table`` for the code points of ``chars`` (consecutive from ``first``)."""
    for bit, pattern in ((WORD, r"\w+"), (DIGIT, r"\d+"), (SPACE, r"\s+")):
        for a, b in _ranges(pattern, chars, first):
            table[a:b] |= bit
    upper = np.fromiter(map(str.isupper, chars), dtype=bool, count=len(chars))
    isdigit = np.fromiter(map(str.isdigit, chars), dtype=bool, count=len(chars))
    part = table[first:first + len(chars)]
    part[upper] |= UPPER
    part[isdigit] |= ISDIGIT
    part |= DONE


@functools.lru_cache(maxsize=1)
def _tables() -> tuple[np.ndarray, np.ndarray]:
    """(class bits per code point, ASCII letter each code point case-insensitively equals or 0).

    The Basic Multilingual Plane is classified here; other planes when a text uses them."""
    table = np.zeros(N_CODE_POINTS, dtype=np.uint8)
    _classify(table, 0, "".join(map(chr, range(BMP))))
    _finish(table, np.arange(BMP))
    fold = np.zeros(N_CODE_POINTS, dtype=np.uint8)
    letters = "abcdefghijklmnopqrstuvwxyz"
    for m in re.finditer(r"(?i)[a-z]", "".join(map(chr, range(BMP)))):  # no other plane folds to ASCII
        ch = m.group(0)
        fold[m.start()] = next(ord(x) for x in letters if re.fullmatch("(?i)" + x, ch))
    return table, fold


def _finish(table: np.ndarray, points: np.ndarray) -> None:
    """ALNUM and LETTER follow from WORD and DIGIT: ``[^\\W_]`` is \\w but "_"; letters are not digits."""
    sub = table[points]
    alnum = ((sub & WORD) != 0) & (points != ord("_"))
    sub[alnum] |= ALNUM
    sub[alnum & ((sub & DIGIT) == 0)] |= LETTER
    table[points] = sub


def char_tables(code_points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The class and fold tables, with every code point of ``code_points`` classified."""
    table, fold = _tables()
    if len(code_points) and code_points.max() >= BMP:
        astral = np.unique(code_points[code_points >= BMP])
        astral = astral[(table[astral] & DONE) == 0]
        for c in astral.tolist():
            _classify(table, c, chr(c))
        _finish(table, astral)
    return table, fold


def _pattern_array(words: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    width = max(map(len, words))
    arr = np.full((len(words), width), -1, dtype=np.int64)
    for i, w in enumerate(words):
        arr[i, :len(w)] = [ord(c) for c in w]
    return arr, np.array([len(w) for w in words], dtype=np.int64)


ABBREVIATION_CODES, ABBREVIATION_LENGTHS = _pattern_array(ABBREVIATIONS)
CLITIC_CODES, CLITIC_LENGTHS = _pattern_array(CLITICS)


@numba.njit(cache=True)
def _run_end(cp, cls, i, b, mask):
    while i < b and (cls[cp[i]] & mask) != 0:
        i += 1
    return i


@numba.njit(cache=True)
def _folds_to(cp, fold, p, b, codes, length):
    """Whether cp[p:p+length] equals ``codes`` (letters case-insensitively, other characters exactly)."""
    if p + length > b:
        return False
    for k in range(length):
        want = codes[k]
        c = cp[p + k]
        if 97 <= want <= 122:
            if fold[c] != want:
                return False
        elif c != want:
            return False
    return True


@numba.njit(cache=True)
def _url_end(cp, p, b):
    """End of a URL at p (``(?:https?://|www\\.)[^\\s<>"()\\[\\]]+[^\\s<>"()\\[\\].,;:!?']``), or -1."""
    q = -1
    if p + 4 <= b and cp[p] == 104 and cp[p + 1] == 116 and cp[p + 2] == 116 and cp[p + 3] == 112:  # http
        s = p + 4
        if s < b and cp[s] == 115:  # s
            s += 1
        if s + 3 <= b and cp[s] == 58 and cp[s + 1] == 47 and cp[s + 2] == 47:  # ://
            q = s + 3
    elif p + 4 <= b and cp[p] == 119 and cp[p + 1] == 119 and cp[p + 2] == 119 and cp[p + 3] == 46:  # www.
        q = p + 4
    return q


@numba.njit(cache=True)
def _url_excluded(c, cls):
    return ((cls[c] & SPACE) != 0 or c == 60 or c == 62 or c == 34 or c == 40 or c == 41 or c == 91
            or c == 93)


@numba.njit(cache=True)
def _url_bad_last(c):
    return c == 46 or c == 44 or c == 59 or c == 58 or c == 33 or c == 63 or c == 39  # . , ; : ! ? '


@numba.njit(cache=True)
def _email_char(c, cls):
    return (cls[c] & WORD) != 0 or c == 46 or c == 43 or c == 45  # \w . + -


@numba.njit(cache=True)
def _domain_run(cp, cls, i, b):
    while i < b and ((cls[cp[i]] & WORD) != 0 or cp[i] == 45):
        i += 1
    return i


@numba.njit(cache=True)
def _boundary_after(cp, cls, i, b):
    """\\b after a word character ending at i: the end of the text or a non-word character."""
    return i == b or (cls[cp[i]] & WORD) == 0


@numba.njit(cache=True)
def _is_quote(c):
    return c == 39 or c == 8217  # ' or ’


@numba.njit(cache=True)
def _token_end(cp, cls, fold, abbr, abbr_len, clit, clit_len, p, a, b):
    """End of the token starting at non-space position p of the text cp[a:b], trying the regex's
    alternatives in its order."""
    c = cp[p]
    k = cls[c]
    # plain word before a space, , ; ! ? ) ] or the end
    if (k & ALNUM) != 0:
        j = _run_end(cp, cls, p, b, ALNUM)
        if j == b:
            return j
        n = cp[j]
        if (cls[n] & SPACE) != 0 or n == 44 or n == 59 or n == 33 or n == 63 or n == 41 or n == 93:
            return j
    # URL
    q = _url_end(cp, p, b)
    if q >= 0:
        r = q
        while r < b and not _url_excluded(cp[r], cls):
            r += 1
        e = r
        while e >= q + 2:
            if not _url_bad_last(cp[e - 1]):
                return e
            e -= 1
    # e-mail
    if _email_char(c, cls):
        a1 = p
        while a1 < b and _email_char(cp[a1], cls):
            a1 += 1
        if a1 < b and cp[a1] == 64:  # @
            b1 = _domain_run(cp, cls, a1 + 1, b)
            if b1 > a1 + 1:
                end = -1
                s = b1
                while s < b and cp[s] == 46:
                    t = _domain_run(cp, cls, s + 1, b)
                    if t == s + 1:
                        break
                    end = t
                    s = t
                if end > 0:
                    return end
    # initialisms: two or more letter-dot pairs
    i = p
    pairs = 0
    while i + 1 < b and (cls[cp[i]] & LETTER) != 0 and cp[i + 1] == 46:
        i += 2
        pairs += 1
    if pairs >= 2:
        return i
    # abbreviation followed by more text
    if p == a or ((cls[cp[p - 1]] & WORD) == 0 and cp[p - 1] != 46):
        for t in range(abbr.shape[0]):
            length = abbr_len[t]
            if _folds_to(cp, fold, p, b, abbr[t], length) and p + length < b and cp[p + length] == 46:
                s = p + length + 1
                while s < b and (cls[cp[s]] & SPACE) != 0:
                    s += 1
                if s < b:
                    n = cp[s]
                    if (cls[n] & WORD) != 0 or n == 44 or n == 59 or n == 58 or n == 40:
                        return p + length + 1
    # numbers: 3.5, 1,000, 3D, 19th
    if (k & DIGIT) != 0:
        i = _run_end(cp, cls, p, b, DIGIT)
        while i + 1 < b and (cp[i] == 46 or cp[i] == 44 or cp[i] == 58) and (cls[cp[i + 1]] & DIGIT) != 0:
            i = _run_end(cp, cls, i + 1, b, DIGIT)
        return _run_end(cp, cls, i, b, ALNUM)
    # "do" of "don't"
    if (k & ALNUM) != 0:
        j = _run_end(cp, cls, p, b, ALNUM)
        for e in range(p + 1, j):
            if ((cp[e] == 110 or cp[e] == 78) and e + 2 < b and _is_quote(cp[e + 1])
                    and (cp[e + 2] == 116 or cp[e + 2] == 84) and _boundary_after(cp, cls, e + 3, b)):
                return e
    # n't
    if ((c == 110 or c == 78) and p + 2 < b and _is_quote(cp[p + 1]) and (cp[p + 2] == 116 or cp[p + 2] == 84)
            and _boundary_after(cp, cls, p + 3, b)):
        return p + 3
    # clitics 's 're 've 'll 'd 'm after a letter or digit
    if _is_quote(c) and p > a and (cls[cp[p - 1]] & ALNUM) != 0:
        for t in range(clit.shape[0]):
            length = clit_len[t]
            if _folds_to(cp, fold, p + 1, b, clit[t], length) and _boundary_after(cp, cls, p + 1 + length, b):
                return p + 1 + length
    # words, with inner dots before another dotted part ("No.Ph.D." style)
    if (k & ALNUM) != 0:
        i = _run_end(cp, cls, p, b, ALNUM)
        while i + 1 < b and cp[i] == 46 and (cls[cp[i + 1]] & LETTER) != 0:
            w = _run_end(cp, cls, i + 1, b, WORD)
            if w < b and cp[w] == 46:
                i = _run_end(cp, cls, i + 1, b, ALNUM)
            else:
                break
        return i
    # runs of dots or hyphens, else one mark
    if (c == 46 or c == 45) and p + 1 < b and cp[p + 1] == c:
        i = p + 1
        while i < b and cp[i] == c:
            i += 1
        return i
    return p + 1


@numba.njit(cache=True)
def _is_sentence_end(cp, s, e):
    """The token cp[s:e] is . ! ? ... or … (``tokenize._SENTENCE_END``)."""
    n = e - s
    c = cp[s]
    if n == 1:
        return c == 46 or c == 33 or c == 63 or c == 8230
    return n == 3 and c == 46 and cp[s + 1] == 46 and cp[s + 2] == 46


@numba.njit(cache=True)
def _is_etc(cp, s, e):
    """The token is "etc." in any case (ASCII letters; ``str.lower`` maps no other letter to them)."""
    if e - s != 4 or cp[s + 3] != 46:
        return False
    return (cp[s] | 32) == 101 and (cp[s + 1] | 32) == 116 and (cp[s + 2] | 32) == 99


@numba.njit(cache=True)
def _is_closer(cp, s, e):
    c = cp[s]
    return e - s == 1 and (c == 41 or c == 93 or c == 34 or c == 39 or c == 8221 or c == 8217)


@numba.njit(cache=True)
def _opens_sentence(cp, cls, s):
    c = cp[s]
    return ((cls[c] & UPPER) != 0 or (cls[c] & ISDIGIT) != 0 or c == 34 or c == 8220 or c == 40 or c == 91
            or c == 39 or c == 8216)


@numba.njit(cache=True)
def _blank_line_between(cp, e, s):
    for i in range(e, s - 1):
        if cp[i] == 10 and cp[i + 1] == 10:
            return True
    return False


@numba.njit(cache=True)
def scan(cp, cls, fold, abbr, abbr_len, clit, clit_len, text_bounds, out_start, out_end, out_text, out_break):
    """Tokenize every text cp[text_bounds[t]:text_bounds[t+1]]: token offsets (relative to the
    text), its text number and whether a sentence starts at it (every text's first token does).
    Returns the number of tokens."""
    n = 0
    for t in range(text_bounds.shape[0] - 1):
        a = text_bounds[t]
        b = text_bounds[t + 1]
        first = n
        p = a
        while p < b:
            if (cls[cp[p]] & SPACE) != 0:
                p += 1
                continue
            e = _token_end(cp, cls, fold, abbr, abbr_len, clit, clit_len, p, a, b)
            out_start[n] = p
            out_end[n] = e
            out_text[n] = t
            out_break[n] = False
            n += 1
            p = e
        if n == first:
            continue
        out_break[first] = True
        # sentence breaks, as tokenize._sentence_breaks
        i = first
        while i < n:
            s, e = out_start[i], out_end[i]
            is_end = _is_sentence_end(cp, s, e)
            if not is_end and i + 1 < n and _is_etc(cp, s, e):
                is_end = (cls[cp[out_start[i + 1]]] & UPPER) != 0
            if is_end:
                j = i + 1
                while j < n and _is_closer(cp, out_start[j], out_end[j]) and out_start[j] == out_end[j - 1]:
                    j += 1
                if j < n and out_start[j] > out_end[j - 1] and _opens_sentence(cp, cls, out_start[j]):
                    out_break[j] = True
                i = j
                continue
            if i + 1 < n and _blank_line_between(cp, out_end[i], out_start[i + 1]):
                out_break[i + 1] = True
            i += 1
        for i in range(first, n):
            out_start[i] -= a
            out_end[i] -= a
    return n


@numba.njit(cache=True)
def _hash(cp, s, e):
    h = np.uint64(14695981039346656037)
    for i in range(s, e):
        h = (h ^ np.uint64(cp[i])) * np.uint64(1099511628211)
    return h ^ np.uint64(e - s)


@numba.njit(cache=True)
def assign_types(cp, starts, ends, text_bounds, text_of, first, slots, type_hash, type_offset, type_cp, counts,
                 out_types):
    """Word-type id of tokens ``first`` onward (exact: equal code points, equal id), growing the type table.

    ``slots``: open-addressing table of type ids (-1 empty), kept at most half full;
    ``type_offset[k]:type_offset[k+1]`` are type k's code points in ``type_cp``; ``counts`` =
    [number of types, code points used], updated in place. Stops before a new type that would
    overfill a table and returns its token index (the caller grows the tables and calls again);
    returns the number of tokens when done."""
    mask = np.uint64(slots.shape[0] - 1)
    n_types = counts[0]
    used = counts[1]
    for i in range(first, starts.shape[0]):
        base = text_bounds[text_of[i]]
        s = base + starts[i]
        e = base + ends[i]
        h = _hash(cp, s, e)
        slot = h & mask
        while True:
            k = slots[slot]
            if k < 0:
                if (2 * (n_types + 1) > slots.shape[0] or n_types + 1 >= type_hash.shape[0]
                        or used + (e - s) > type_cp.shape[0]):
                    counts[0] = n_types
                    counts[1] = used
                    return i
                slots[slot] = n_types
                type_hash[n_types] = h
                type_offset[n_types] = used
                for j in range(s, e):
                    type_cp[used] = cp[j]
                    used += 1
                type_offset[n_types + 1] = used
                out_types[i] = n_types
                n_types += 1
                break
            if type_hash[k] == h and type_offset[k + 1] - type_offset[k] == e - s:
                same = True
                o = type_offset[k]
                for j in range(e - s):
                    if type_cp[o + j] != cp[s + j]:
                        same = False
                        break
                if same:
                    out_types[i] = k
                    break
            slot = (slot + np.uint64(1)) & mask
    counts[0] = n_types
    counts[1] = used
    return starts.shape[0]


@numba.njit(cache=True)
def rehash(type_hash, n_types, size):
    """A new open-addressing table of ``size`` slots holding types 0..n_types-1."""
    slots = np.full(size, -1, dtype=np.int64)
    mask = np.uint64(size - 1)
    for k in range(n_types):
        slot = type_hash[k] & mask
        while slots[slot] >= 0:
            slot = (slot + np.uint64(1)) & mask
        slots[slot] = k
    return slots
