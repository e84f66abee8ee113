"""Stated research gaps: sentences of abstracts in which authors state a limitation, an open
problem, a difficulty or a need (issue #15, item 6).

A sentence is a stated gap when one of the cue patterns below matches it (case-insensitive). The
patterns are the general hedging and gap-claim constructions of academic English (lack of, little
is known, remains unclear, has not been studied, there is a need, future work should, is
challenging, ...), written once from that genre, not from any one corpus; their precision and
recall are measured in benchmarks/bench_gap_statements.py on hand-labelled sentences of the
shared corpora: 430 the cues were written from, 217 held out (precision 84.2%, recall 66.7%).
Each match reports its kind (limitation, open problem, need, future work).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from bibliomap.text.nounphrases import STRUCTURED_LABELS, remove_copyright
from bibliomap.text.tokenize import tokenize

#: (kind, pattern) in order of precedence. Drafted before the benchmark sentences were labelled, then
#: widened with general gap-claim constructions (neglected/overlooked, poorly understood, is
#: insufficient/not suitable, cannot be modelled, does not allow, fails to, hard/error-prone, ...) from
#: the errors on the 210 development sentences only, then with more (more/increasingly challenging, the challenge
#: is, raises issues, few implementations, there is not yet a, no definite conclusions, can only, no longer
#: sufficient, has not been clarified, has been limited, we need, urgently) from the errors on a first held-out set
#: of 220 once its measure was taken; the 217 of the second held-out set were never consulted
#: (see benchmarks/bench_gap_statements.py). Narrowed once from the study reports of the shared corpora
#: (none of those sentences is labelled): a bare "hard" ("hard coal", "NP-hard", "working so hard") and
#: "practical problems" (real-world ones) are no cues; "is hard", "a hard problem" and "practical issues" are.
CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((kind, re.compile(p, re.IGNORECASE)) for kind, p in (
    ("open problem", r"\bopen (?:problem|question|issue|challenge|research)|\bunresolved\b|\bunanswered\b"),
    ("open problem", r"\bremains? (?:a |an )?(?:challeng|unclear|unknown|open|unexplored|unresolved|limited|scarce|poorly|"
                     r"difficult|largely)"),
    ("open problem", r"\b(?:is|are|remains?) (?:still |particularly |very |even more |more |increasingly |extremely |highly |quite "
                     r"|often |notoriously )?(?:challenging|difficult|problematic)\b"
                     r"|\bchallenges? (?:remain|persist|faced|encountered|posed)\b|\bthe (?:main |key |major |biggest |primary "
                     r"|central |real )?challenge (?:is|lies)\b|\b(?:is|are) (?:\w+ )?challenged by\b"
                     r"|\b(?:is|are|remains?|poses?) (?:a |an )?(?:very |highly |rather )?(?:difficult|critical|non-?trivial|complex and "
                     r"\w+) (?:issue|task|problem|question|challenge)s?\b"
                     r"|\braises? (?:\w+ )?(?:issues|concerns|questions|suspicions|doubts)\b|\bdifficult(?:y|ies) (?:to|of|in|with)\b"),
    ("open problem", r"\b(?:research|knowledge) gaps?\b|\bgaps? in (?:the )?(?:literature|knowledge|research)\b"),
    ("open problem", r"\b(?:big|major|key|main|great|significant|another|new|open|important) challenges?\b"
                     r"|\bchallenging (?:issue|task|problem)s?\b|\bmost difficult\b|\b(?:hard|difficult) to\b"
                     r"|\bbecomes? (?:more |very |highly |increasingly )?(?:complex|difficult|challenging|costly)\b"),
    ("limitation", r"\b(?:lack|absence|scarcity|dearth|paucity) of\b|\black(?:s|ed)? (?:a|an|any|the)\b"),
    ("limitation", r"\b(?:little|limited|scarce|insufficient|no) (?:is known|research|studies|attention|evidence|work|data|"
                   r"consensus|guidance|agreement)\b|\bfew (?:studies|works|papers|authors|attempts|researchers|implementations|applications|approaches|methods|tools|"
                   r"models|articles|publications|investigations|advances)\b"
                   r"|\b(?:rarely|seldom) (?:been )?(?:studied|addressed|considered|used|applied)\b"),
    ("limitation", r"\b(?:has|have|had) (?:not|never|rarely|seldom) (?:yet )?been (?:\w+ )?(?:explored|studied|investigated|"
                   r"addressed|examined|considered|evaluated|reported|applied|analy[sz]ed|clarified|elucidated|determined|"
                   r"identified|quantified|validated|tested)\b"
                   r"|\bnot (?:yet )?(?:been )?(?:well )?(?:understood|established|explored|addressed)\b|\byet to be\b"
                   r"|\bnot (?:yet )?(?:sufficiently|fully|adequately|well) \w+ed\b|\bnot always\b|\b(?:is|was) not possible\b"),
    ("limitation", r"\b(?:largely |often |mostly |widely )?(?:neglected|overlooked|ignored|unexplored|understudied|under-researched)\b"
                   r"|\bpoorly (?:understood|characteri[sz]ed|known|defined|described)\b"
                   r"|\b(?:it is|it remains|remains) (?:still )?(?:unclear|unknown|not (?:clear|known))\b|\bquestions? remains?\b"
                   r"|\b(?:is|are|was|were|be|remains?) (?:\w+ )?(?:insufficient|inadequate|unreliable|lacking|missing|unavailable|"
                   r"incomplete|scarce|sparse|not available|not suitable|not sufficient|not adequate|not appropriate|not effective|"
                   r"not efficient|not scalable|not trivial|not straightforward|not easy|not feasible|not negligible)\b"
                   r"|\b(?:cannot|can ?not|could not|unable to) (?:be )?(?:\w+ )?(?:represented|modell?ed|captured|parallelized|used|applied|"
                   r"handled|solved|explained|predicted|generali[sz]ed|scaled|detected|measured|compared|guaranteed|achieved|"
                   r"process|handle|capture|represent|model|scale|deal|account|cope|support|provide|meet|ensure|solve)\b"
                   r"|\b(?:does|do|did) not (?:allow|permit|support|consider|account for|capture|show|include|reflect|take into account|"
                   r"address|scale|guarantee|provide)\b"
                   r"|\bfail(?:s|ed)? to\b|\bsuffers? from\b|\b(?:bottlenecks?|obstacles?|barriers? to|hinders?|hindered|impedes?)\b"
                   r"|\b(?:difficult|cumbersome|tedious|error[- ]prone|time[- ]consuming|prohibitive(?:ly)?|impractical)\b"
                   r"|\b(?:is|are|remains?|was|were|be) (?:\w+ )?hard(?:[ ,.;:)]|$)|\b(?:a|an) (?:\w+ )?hard (?:problem|task|"
                   r"challenge|question)s?\b"
                   r"|\b(?:rarely|seldom|barely|hardly) (?:\w+ )?(?:reflected|considered|studied|addressed|used|applied|reported|"
                   r"examined|investigated|explored|noticed|taken into account)\b"
                   r"|\b(?:limited|little|scarce|insufficient|no) (?:\w+ )?(?:evidence|research|studies|data|guidance|knowledge)\b"),
    ("limitation", r"\bno (?:standard|consensus|agreement|gold standard|systematic|comprehensive|clear|definite|definitive|firm|"
                   r"conclusive)\b|\bthere (?:is|are|exists?) no\b|\bthere (?:is|are) not (?:yet |currently |still )?(?:a|an|any)\b"
                   r"|\bno longer (?:sufficient|adequate|enough|appropriate|feasible|possible|viable|valid)\b|\b(?:can|could) only\b"
                   r"|\bthere (?:remains?|is still|are still) (?:\w+ )?(?:dissatisfaction|uncertainty|debate|controversy|confusion|"
                   r"room for|disagreement)\b|\bmisleading\b|\bweak (?:methodolog(?:y|ies)|evidence|methods?)\b"
                   r"|\b(?:methodological|theoretical|serious) (?:problems|issues|difficulties|flaws|"
                   r"weaknesses|concerns)\b|\bpractical (?:issues|difficulties|flaws|weaknesses|concerns)\b"),
    ("limitation", r"\b(?:is|are|was|were|remain|remains|(?:has|have) (?:often |always |so far )?been) (?:still |often |very "
                   r"|rather |largely |severely )?limited\b"
                   r"|\blimitations?\b|\bshortcomings?\b|\bdrawbacks?\b"),
    ("need", r"\bthere(?: is|'s) (?:a|an) (?:\w+ )?need\b|\bneed(?:s|ed)? (?:for|to be)\b|\bneeds? further\b"
             r"|\bneeds? (?:careful |further |more |special )?(?:consideration|attention|investigation|research)\b"
             r"|\b(?:is|are) (?:still |urgently |therefore |thus )?required to (?:solve|address|overcome|improve|handle)\b"
             r"|\b(?:it is|is) (?:imperative|essential|crucial|necessary) (?:that|to)\b|\bmust be (?:addressed|considered|revisited|"
             r"improved|overcome|taken into account)\b"
             r"|\b(?:is|are) (?:urgently |still )?needed\b|\bwarrant(?:s|ed)? further\b|\bwill need\b"
             r"|\brequires? (?:closer|further|more|additional) \w+"
             r"|\b(?:has|have) to be (?:improved|strengthened|addressed|developed|enhanced|revised)\b"
             r"|\b(?:we|one|researchers|practitioners|developers|users|policymakers|decision-makers) (?:still |also |urgently )?"
             r"needs? (?:to|a|an|more|better|new)\b|\burgent(?:ly)? need(?:s|ed)?\b|\bneeds? (?:to be |to )?\w+ urgently\b"),
    ("future work", r"\bfuture (?:work|research|stud(?:y|ies)|investigations?) (?:should|could|may|might|will|would|is|are|"
                    r"needs?|must|be)\b|\b(?:directions?|avenues?|agenda|opportunities) (?:for|of) (?:future|further) "
                    r"(?:work|research|stud(?:y|ies))\b|\bin future (?:work|research|studies)\b"
                    r"|\bfurther (?:research|work|studies|investigation) (?:is|are|should|could|may|will|would)\b"),
))


#: any cue at all, searched in the lower-cased sentence (case-insensitive matching is 2.5x slower):
#: one search per sentence, so only the few sentences that hold a cue are tried cue by cue
_ANY_CUE = re.compile("|".join(f"(?:{p.pattern})" for _, p in CUES))


def _any_cue_search() -> Callable[[str], object]:
    """The search for any cue that screens each sentence: RE2's linear-time automaton (Python's
    backtracking tries every alternative of the cues at every position: 14 s against 1.6 s on the
    390,000 sentences of 50,000 abstracts), Python's ``_ANY_CUE`` where RE2 is missing. RE2 finds
    every sentence Python's pattern finds (its word boundary is ASCII, so it sees at least as many;
    ``\\w`` is widened to Unicode letters and digits), and ``gap_match`` then decides cue by cue."""
    try:
        import re2
    except ImportError:  # pragma: no cover - google-re2 is a dependency; kept for a broken install
        return _ANY_CUE.search
    options = re2.Options()
    options.never_capture = True  # a yes/no screen: no groups, a smaller automaton
    options.max_mem = 64 << 20  # the cues' automaton outgrows RE2's default 8 MiB, which falls back to a slow NFA
    return re2.compile(_ANY_CUE.pattern.replace(r"\w", r"[\pL\pN_]"), options=options).search


_screen = _any_cue_search()


def gap_match(sentence: str) -> tuple[str, str] | None:
    """(kind, matched cue text) of the first cue a sentence matches (see ``CUES``), or None."""
    if not _screen(sentence.lower()):
        return None
    for kind, pattern in CUES:
        m = pattern.search(sentence)
        if m:
            return kind, m.group(0)
    return None


#: words of the headings of structured abstracts (NLM's and Emerald's: "MAIN OUTCOME MEASURES", "DATA SOURCES",
#: "DESIGN/METHODOLOGY/APPROACH", "ORIGINALITY/VALUE"), singular, beside the nouns of ``STRUCTURED_LABELS``
HEADING_WORDS = STRUCTURED_LABELS | frozenset(
    "acquisition approach context criterion data evidence extraction implication importance intervention limitation "
    "main measure methodology originality outcome participant practical rationale research selection significance "
    "source study synthesis value".split())

#: a heading opening a sentence: capitals ("BACKGROUND:", "MATERIALS AND METHODS:") or a capitalized word
#: ("Conclusions:", "Aims and objectives:"); ``without_heading`` checks its words against ``HEADING_WORDS``
_LABEL = re.compile(r"^\s*(?:(?P<caps>[A-Z][A-Z/&,\- ]{2,40})|(?P<word>[A-Z][a-z]+(?: (?:and|&) [a-z]+)?))\s*:\s+")


def without_heading(sentence: str) -> str:
    """``sentence`` without a structured abstract's heading in front ("BACKGROUND: Little is known ..." ->
    "Little is known ..."): the heading is no part of what the authors state."""
    m = _LABEL.match(sentence)
    if not m:
        return sentence
    words = [w for w in re.split(r"[^a-z]+", (m.group("caps") or m.group("word")).lower()) if w not in ("", "and")]
    if not words or not all(w in HEADING_WORDS or w[:-1] in HEADING_WORDS or w.replace("ies", "y") in HEADING_WORDS
                            for w in words):
        return sentence  # "TOPSIS: a method ...": a name, no heading
    return sentence[m.end():]


def gap_kind(sentence: str) -> str | None:
    """The kind of gap a sentence states (see ``CUES``), or None."""
    found = gap_match(sentence)
    return found[0] if found else None


def gap_sentences(abstracts: Sequence[str | None]) -> pd.DataFrame:
    """Every stated-gap sentence of ``abstracts`` (copyright statements removed): columns ``doc``
    (position in ``abstracts``), ``sentence_no``, ``sentence``, ``kind`` and ``cue`` (the matched text)."""
    docs = [d for d, text in enumerate(abstracts) if isinstance(text, str) and text.strip()]
    texts = [remove_copyright(abstracts[d]) for d in docs]
    # An abstract none of whose sentences can hold a cue is not split into sentences: a sentence is a
    # run of the abstract's words, so a cue it matches also matches the whole (spaces normalized).
    screened = [i for i, text in enumerate(texts) if _screen(" ".join(text.split()).lower())]
    docs, texts = [docs[i] for i in screened], [texts[i] for i in screened]
    tokens = tokenize(texts)  # all abstracts at once: sentences are runs of tokens
    bounds = tokens.sentence_starts
    first, last = bounds[:-1], bounds[1:] - 1
    text_of = tokens.text_index[first].tolist()
    sentence_no = np.arange(len(first)) - np.searchsorted(tokens.text_index[first], tokens.text_index[first], side="left")
    rows = []
    for t, k, a, b in zip(text_of, sentence_no.tolist(), tokens.starts[first].tolist(), tokens.ends[last].tolist()):
        s = " ".join(texts[t][a:b].split())
        body = without_heading(s)  # shown without its heading, unless the cue is the heading ("LIMITATIONS: ...")
        found = gap_match(body) if len(body) > 20 else None
        if found:
            s = body
        elif len(body) < len(s) and len(s) > 20:  # a heading was taken off: it may be the cue itself
            found = gap_match(s)
        if found:
            rows.append((docs[t], k, s, found[0], found[1]))
    return pd.DataFrame(rows, columns=["doc", "sentence_no", "sentence", "kind", "cue"])
