"""Noun phrases as VOSviewer defines them, plus the clean-up that precedes them.

A noun phrase is a maximal run of nouns and adjectives within a sentence whose last word is
a noun (so no prepositions: "degrees of freedom" gives "degree" and "freedom"); only the
longest runs count. Determiner-like adjectives ("many", "several", "other" ...) never occur
inside one. Word parts joined by hyphens without spaces ("real-time", "COVID-19") act as
one word. A gerund naming a field or process ("machine learning", "image
processing") counts as a noun after a noun or adjective (the treebank tagger, trained on web
text, often calls it a verb). A single letter before a relation of a formula ("P < 0.001") is a
variable, no noun. Structured-abstract labels and copyright statements can be ignored.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

import numba
import numpy as np
from lemminflect import getAllLemmas, getInflection

from bibliomap.text.tagger import UPOS
from bibliomap.text.tokenize import Tokens

#: Adjectives never allowed inside a noun phrase (VOSviewer manual, footnote 14).
EXCLUDED_ADJECTIVES = frozenset(
    "all another any both different each either every few fewer fewest least less little many more most much "
    "neither other same several some such various".split()
)

#: Nouns that cannot be a noun phrase on their own when structured-abstract labels are ignored.
STRUCTURED_LABELS = frozenset(
    "aim background conclusion design discussion finding introduction material method objective purpose result "
    "setting summary".split()
)

#: Hyphen characters that join word parts ("multi-criteria", also with U+2010 / U+2011 hyphens).
HYPHENS = frozenset({"-", "\u2010", "\u2011"})

#: Relations of a formula: a single letter right before one is a variable ("P < 0.001", "n = 30"), no noun.
FORMULA_RELATIONS = frozenset({"=", "<", ">", "<=", ">=", "\u2264", "\u2265", "\u2248", "\u2260", "\u2243"})

#: Tokens that are never part of a noun phrase although a tagger may call them nouns.
NON_WORDS = frozenset({"et", "al", "al.", "etc", "etc.", "e.g.", "i.e.", "vs", "vs.", "cf", "cf."})

#: Gerunds that name a field or process in scientific text ("machine learning", "decision making");
#: the web-text tagger often calls them verbs. After a noun or adjective, or between a determiner and a noun
#: ("a programming model"), they count as nouns.
GERUND_NOUNS = frozenset(
    "learning making processing mining computing modeling modelling training clustering sensing engineering "
    "manufacturing networking programming planning scheduling tracking forecasting screening imaging monitoring "
    "testing routing matching reasoning ranking labeling labelling sampling encoding coding parsing tagging indexing "
    "filtering caching balancing sorting printing rendering sharing banking marketing accounting housing teaching "
    "nursing funding reporting smoothing pooling warming cooling heating welding machining casting recycling "
    "packaging farming logging pricing sequencing profiling editing checking decoding averaging weighting scoring "
    "denoising".split()
)

_NOUN = (UPOS.index("NOUN"), UPOS.index("PROPN"))
_ADJ = UPOS.index("ADJ")
_VERB = UPOS.index("VERB")
_DET_LIKE = (UPOS.index("DET"), UPOS.index("NUM"))
_DET = UPOS.index("DET")
_NUM = UPOS.index("NUM")
_PUNCT = (UPOS.index("PUNCT"), UPOS.index("SYM"))
_MISREAD_NAME_TAGS = tuple(UPOS.index(t) for t in ("ADV", "NUM", "VERB", "ADJ", "X", "INTJ"))

#: searched in the lower-cased text (a case-insensitive search of the text is several times slower)
_COPYRIGHT_MARK = re.compile(
    r"©|\(c\)\s*\d{4}|\bcopyright\b|\ball rights reserved\b|\bpublished by\b|\bpublished under\b"
    r"|\blicen[cs]ee\b|\bcreative commons\b|\bopen access article\b|\bcc[ -]by\b"
)
_MARK_KEYS = ("©", "(c)", "copyright", "rights reserved", "published", "licen", "creative commons", "open access",
              "cc by", "cc-by")
_PUBLISHER_FRAGMENT = re.compile(r"^(?:[A-Z0-9][\w&.,'-]*\s*){1,3}$")
_RAW_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")


def _has_copyright_mark(low: str) -> bool:
    """Whether lower-cased ``low`` holds a copyright mark. The search starts a few characters before
    the first key ("all rights reserved" begins 4 before "rights reserved"): scanning a whole
    abstract for the mark that ends it is most of the cost otherwise."""
    first = min((i for i in map(low.find, _MARK_KEYS) if i >= 0), default=-1)
    return first >= 0 and _COPYRIGHT_MARK.search(low, max(0, first - 4)) is not None


def remove_copyright(text: str) -> str:
    """``text`` without its copyright statements ("(c) 2020 Elsevier Ltd. All rights reserved.",
    "© 2019 IEEE.", "Copyright ...", "Published by Elsevier ...", licence notes).

    Works sentence by sentence: a sentence with a copyright mark is dropped, and so is the
    short publisher name that follows a dropped one before the next mark ("Elsevier B.V.").
    """
    if not text:
        return text
    low = text.lower()
    if not _has_copyright_mark(low):
        return text
    pieces = [p for p in _RAW_SENTENCE_BREAK.split(text) if p]
    out = []
    dropping = False
    for piece in pieces:
        if _has_copyright_mark(piece.lower()):
            dropping = True
            continue
        # after a copyright mark, fragments produced by abbreviations ("Ltd.", "B.V.") are still part of it
        if dropping and _PUBLISHER_FRAGMENT.match(piece):
            continue
        dropping = False
        out.append(piece)
    return " ".join(out).strip()


@dataclasses.dataclass
class NounPhrases:
    """Noun-phrase spans over a Tokens object: token range [start, end) and its text index."""

    start: np.ndarray  # int64 first token
    end: np.ndarray  # int64 one past the last token
    text_index: np.ndarray  # int64

    def __len__(self) -> int:
        return len(self.start)


@numba.njit(cache=True)
def _runs(cat, join_next, bounds, out_start, out_end):
    """Maximal runs of adjective (1) / noun (2) units within sentences, trimmed to end in a noun.

    cat: per token 0 other, 1 adjective, 2 noun, 3 excluded; join_next: token i and i+1 belong to
    one hyphenated unit. A unit's category is its last token's (made by the caller), except that
    an excluded token anywhere makes the unit "other".
    """
    n_out = 0
    for s in range(bounds.shape[0] - 1):
        a = bounds[s]
        b = bounds[s + 1]
        run_start = -1
        last_noun_end = -1
        i = a
        while i < b:
            j = i
            bad = cat[i] == 3
            while j + 1 < b and join_next[j]:
                j += 1
                if cat[j] == 3:
                    bad = True
            c = 0 if bad else cat[j]
            if c == 1 or c == 2:
                if run_start < 0:
                    run_start = i
                if c == 2:
                    last_noun_end = j + 1
            else:
                if run_start >= 0 and last_noun_end > run_start:
                    out_start[n_out] = run_start
                    out_end[n_out] = last_noun_end
                    n_out += 1
                run_start = -1
                last_noun_end = -1
            i = j + 1
        if run_start >= 0 and last_noun_end > run_start:
            out_start[n_out] = run_start
            out_end[n_out] = last_noun_end
            n_out += 1
    return n_out


def _tag_in(tags: np.ndarray, wanted: tuple[int, ...]) -> np.ndarray:
    """Whether each UPOS id is one of ``wanted`` (a table lookup; np.isin sorts)."""
    table = np.zeros(len(UPOS), dtype=bool)
    table[list(wanted)] = True
    return table[tags]


def _acronym_names(tokens: Tokens, tags: np.ndarray) -> np.ndarray:
    """All-capital words the tagger took for an adverb, number, verb or adjective in ordinary
    (mixed-case) sentences: names and acronyms such as "ELECTRE TRI", "PROMETHEE II",
    "Basel II", which a tagger trained on web text mislabels; they count as nouns.
    """
    n = len(tags)
    type_ids = tokens.types
    caps_type = np.array([len(w) >= 2 and w.isalpha() and w.isupper() for w in tokens.vocabulary], dtype=bool)
    alpha_type = np.array([any(c.isalpha() for c in w) for w in tokens.vocabulary], dtype=bool)
    caps, alpha = caps_type[type_ids], alpha_type[type_ids]
    bounds = np.asarray(tokens.sentence_starts)
    starts = bounds[:-1][bounds[:-1] < n]
    if not len(starts):
        return np.zeros(n, dtype=bool)
    n_caps = np.add.reduceat(caps.astype(np.int64), starts)
    n_alpha = np.add.reduceat(alpha.astype(np.int64), starts)
    lengths = np.diff(np.append(starts, n))
    mixed = np.repeat(n_caps * 2 < n_alpha, lengths)  # fewer than half the words all-capital
    return caps & mixed & _tag_in(tags, _MISREAD_NAME_TAGS)


def _formula_variables(tokens: Tokens) -> np.ndarray:
    """Single letters right before a relation of a formula (``FORMULA_RELATIONS``) in the same text: the
    variables of reported statistics ("P < 0.001", "n = 30", "r \u2265 0.8"), which a tagger calls nouns and
    which made "p" a selected term of a medical corpus; "C" the language or "R" the software stay nouns."""
    n = len(tokens)
    out = np.zeros(n, dtype=bool)
    if n < 2:
        return out
    vocab = tokens.vocabulary
    letter = np.array([len(w) == 1 and w.isalpha() for w in vocab], dtype=bool)[tokens.types]
    relation = np.array([w in FORMULA_RELATIONS for w in vocab], dtype=bool)[tokens.types]
    out[:-1] = letter[:-1] & relation[1:] & (tokens.text_index[1:] == tokens.text_index[:-1])
    return out


def _third_person_verb(word: str) -> bool:
    """True when lower-case ``word`` is the -s form of a verb in lemminflect's dictionary."""
    if len(word) < 4 or word[-1] != "s" or not word.isalpha():
        return False
    lemmas = getAllLemmas(word, upos="VERB").get("VERB", ())
    return any(word in getInflection(lemma, "VBZ") for lemma in lemmas)


def token_categories(tokens: Tokens, tags: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-token category (0 other, 1 adjective, 2 noun, 3 excluded) and hyphen joins.

    A hyphenated unit ("real-time", "data-driven", "COVID-19") takes its category from its last
    part: noun stays noun, adjective or verb (participle) becomes adjective, a number after a
    noun gives a noun.
    """
    n = len(tokens)
    tags = np.asarray(tags)
    cat = np.zeros(n, dtype=np.int8)
    cat[_tag_in(tags, _NOUN)] = 2
    cat[tags == _ADJ] = 1
    # word-level properties are computed once per distinct word
    type_of = tokens.vocabulary
    type_ids = tokens.types
    never = EXCLUDED_ADJECTIVES | NON_WORDS
    excluded = np.array([w.lower() in never for w in type_of], dtype=bool)[type_ids]
    has_alpha = np.array([any(ch.isalpha() for ch in w) for w in type_of], dtype=bool)[type_ids]
    low_types = [w.lower() for w in type_of]
    gerund = np.array([w in GERUND_NOUNS for w in low_types], dtype=bool)[type_ids]
    same_text = np.zeros(n, dtype=bool)
    same_text[1:] = tokens.text_index[1:] == tokens.text_index[:-1]
    after_nominal = np.zeros(n, dtype=bool)
    after_nominal[1:] = (cat[:-1] > 0) & (cat[:-1] < 3) & same_text[1:]
    before_noun = np.zeros(n, dtype=bool)
    before_noun[:-1] = _tag_in(tags[1:], _NOUN) & same_text[1:]
    is_verb = tags == _VERB
    after_det = np.zeros(n, dtype=bool)
    after_det[1:] = _tag_in(tags[:-1], _DET_LIKE) & same_text[1:]
    cat[is_verb & gerund & (after_nominal | (after_det & before_noun))] = 2
    # a third-person verb read as a plural noun between a noun and a determiner ("this paper
    # presents a method", "the model outperforms the baseline"): a verb, as VOSviewer's tagger reads it
    after_noun = np.zeros(n, dtype=bool)
    after_noun[1:] = _tag_in(tags[:-1], _NOUN) & same_text[1:]
    before_det = np.zeros(n, dtype=bool)
    before_det[:-1] = (tags[1:] == _DET) & same_text[1:]
    between = (cat == 2) & after_noun & before_det
    # the dictionary is asked only about the words that stand in that position
    verb_type = np.zeros(len(low_types), dtype=bool)
    for t in np.unique(type_ids[between]).tolist():
        verb_type[t] = _third_person_verb(low_types[t])
    cat[between & verb_type[type_ids]] = 0
    cat[_acronym_names(tokens, tags)] = 2
    cat[_formula_variables(tokens)] = 0
    cat[excluded] = 3
    cat[(cat == 1) | (cat == 2)] = np.where(has_alpha[(cat == 1) | (cat == 2)], cat[(cat == 1) | (cat == 2)], 0)
    join_next = np.zeros(n, dtype=np.bool_)
    if n >= 3:
        touch = (tokens.starts[1:] == tokens.ends[:-1]) & (tokens.text_index[1:] == tokens.text_index[:-1])
        hyph = np.array([w in HYPHENS for w in type_of], dtype=bool)[type_ids]
        wordlike = ~_tag_in(tags, _PUNCT)
        # token i, "-" at i+1, token i+2, all touching
        link = hyph[1:-1] & touch[:-1] & touch[1:] & wordlike[:-2] & wordlike[2:]
        idx = np.nonzero(link)[0]
        join_next[idx] = True
        join_next[idx + 1] = True
        # the hyphen itself must not make the unit "other": give it its right neighbour's category
        last_parts = idx + 2
        verbish = tags[last_parts] == _VERB
        numeric = (tags[last_parts] == _NUM) & _tag_in(tags[idx], _NOUN)
        cat[last_parts[verbish & (cat[last_parts] == 0)]] = 1
        cat[last_parts[numeric]] = 2
        cat[idx + 1] = 0
    return cat, join_next


def noun_phrases(tokens: Tokens, tags: np.ndarray) -> NounPhrases:
    """All noun phrases (longest runs) of the tagged ``tokens``."""
    n = len(tokens)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return NounPhrases(empty, empty.copy(), empty.copy())
    cat, join_next = token_categories(tokens, tags)
    out_start = np.empty(n, dtype=np.int64)
    out_end = np.empty(n, dtype=np.int64)
    k = _runs(cat, join_next, tokens.sentence_starts, out_start, out_end)
    start, end = out_start[:k].copy(), out_end[:k].copy()
    return NounPhrases(start, end, tokens.text_index[start])


def iter_phrase_texts(tokens: Tokens, phrases: NounPhrases, texts: list[str]) -> Iterator[str]:
    """The surface text of each noun phrase (a slice of its text, so hyphens and spacing are kept),
    one at a time: a million phrases as a list hold 150 MB."""
    starts = tokens.starts[phrases.start]
    ends = tokens.ends[phrases.end - 1]
    return (texts[t][a:b] for t, a, b in zip(phrases.text_index.tolist(), starts.tolist(), ends.tolist()))


def phrase_texts(tokens: Tokens, phrases: NounPhrases, texts: list[str]) -> list[str]:
    """The surface text of each noun phrase (see ``iter_phrase_texts``), as a list."""
    return list(iter_phrase_texts(tokens, phrases, texts))
