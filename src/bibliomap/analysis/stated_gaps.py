"""Stated research gaps: what the authors themselves say is missing, limited or open (issue #15).

The sentences recognised by ``bibliomap.text.gapstatements`` are attributed to the selected terms
they mention, less those that are words of the cue itself ("limitation", "challenge", "need");
each is filed under its most specific term (the one in the fewest documents of the corpus),
identical sentences (the same record in two databases) count once, and the groups are
ranked by how many documents state them, then by how recent those documents are.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from bibliomap.analysis.evidence import N_DOCUMENTS, DocumentCitations

_WORD = re.compile(r"[0-9a-z][0-9a-z-]*")

COLUMNS = ["rank", "topic", "cluster", "documents", "mean_year", "kinds", "statement", "representative_documents"]


def stated_gaps(corpus, terms, cluster_of: Mapping[str, int] | None = None, max_groups: int | None = None) -> pd.DataFrame:
    """Ranked groups of stated-gap sentences (see the module docstring) of ``corpus``'s abstracts,
    ``terms`` being its ``TermResult``; ``cluster_of`` maps a term to its map cluster (0 = none).
    ``statement`` quotes the group's most recent sentence."""
    from bibliomap.text.gapstatements import gap_sentences
    from bibliomap.text.terms import terms_in_texts
    from bibliomap.text.unify import singular

    found = gap_sentences(corpus.values("abstract"))
    if not len(found):
        return pd.DataFrame(columns=COLUMNS)
    found["key"] = found["sentence"].str.lower().str.replace(r"[^0-9a-z]+", "", regex=True)
    found = found.drop_duplicates("key").reset_index(drop=True)
    docs_of = terms.occurrences.groupby("term")["doc"].nunique()
    frequency = {lab: int(docs_of.get(k, 0)) for k, lab in enumerate(terms.labels)}
    cue_words = [set(_WORD.findall(c.lower())) for c in found["cue"]]
    topics = []
    for ts, cue in zip(terms_in_texts(terms, found["sentence"].tolist()), cue_words):
        ts = [t for t in ts if not set(_WORD.findall(t)) <= cue | {singular(w) for w in cue}]
        topics.append(min(ts, key=lambda t: (frequency.get(t, 0), t)) if ts else "")
    found["topic"] = topics
    found = found[found["topic"] != ""]
    if not len(found):
        return pd.DataFrame(columns=COLUMNS)
    years = corpus.values("year")
    cites = np.nan_to_num(corpus.values("times_cited"), nan=0.0)
    found["year"] = years[found["doc"].to_numpy()]
    found["cites"] = cites[found["doc"].to_numpy()]
    cite = DocumentCitations(corpus)
    rows = []
    for topic, g in found.groupby("topic", sort=True):
        g = g.sort_values(["year", "cites", "doc"], ascending=[False, False, True], na_position="last", kind="mergesort")
        docs = list(dict.fromkeys(g["doc"].tolist()))
        rows.append({
            "topic": topic, "cluster": int((cluster_of or {}).get(topic, 0)), "documents": len(docs),
            "mean_year": float(np.nanmean(g["year"])) if g["year"].notna().any() else np.nan,
            "kinds": "; ".join(sorted(set(g["kind"]))), "statement": g["sentence"].iloc[0],
            "representative_documents": cite(docs[:N_DOCUMENTS]),
        })
    out = pd.DataFrame(rows)
    out = out.sort_values(["documents", "mean_year", "topic"], ascending=[False, False, True], na_position="last",
                          kind="mergesort").reset_index(drop=True)
    if max_groups is not None:
        out = out.head(max_groups)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out[COLUMNS]
