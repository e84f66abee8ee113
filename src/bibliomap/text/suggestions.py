"""Suggested thesaurus entries for terms, for the user to review before mapping.

Three kinds: spelling and plural/singular variants (words compared after singularizing every
word and mapping British to American endings), hyphenation ("real-time" / "real time" /
"realtime") and acronyms defined in the texts ("generative adversarial network (GAN)",
found with Schwartz-Hearst). Each variant is mapped to the most frequent form.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import pandas as pd

from bibliomap.text.acronyms import unified_acronym_pairs
from bibliomap.text.variants import hyphen_key, spelling_key

COLUMNS = ["label", "replace by", "reason", "occurrences label", "occurrences replace by"]


def _best(terms: list[str], occ: Mapping[str, int]) -> str:
    return sorted(terms, key=lambda t: (-occ.get(t, 0), t))[0]


def suggest(occurrences: Mapping[str, int], texts: Iterable[str | None] = ()) -> pd.DataFrame:
    """Suggestions (columns COLUMNS) from term -> occurrences and the raw texts (for acronyms)."""
    rows: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for reason, keyf in (("hyphenation", hyphen_key), ("spelling or plural/singular variant", spelling_key)):
        groups: dict[str, list[str]] = defaultdict(list)
        for t in occurrences:
            groups[keyf(t)].append(t)
        for members in groups.values():
            if len(members) < 2:
                continue
            best = _best(members, occurrences)
            for t in sorted(members):
                if t != best and t not in seen:
                    rows.append((t, best, reason))
                    seen.add(t)
    by_short: dict[str, dict[str, int]] = defaultdict(dict)
    for (s, lf), n in unified_acronym_pairs(texts).items():
        by_short[s][lf] = n
    for s in sorted(by_short):
        if s not in occurrences or s in seen:
            continue
        longs = by_short[s]
        target = sorted(longs, key=lambda lf: (-longs[lf], -occurrences.get(lf, 0), lf))[0]
        rows.append((s, target, f"acronym defined in {longs[target]} text(s)"))
        seen.add(s)
    df = pd.DataFrame(rows, columns=COLUMNS[:3])
    df["occurrences label"] = [int(occurrences.get(a, 0)) for a in df["label"]]
    df["occurrences replace by"] = [int(occurrences.get(b, 0)) for b in df["replace by"]]
    return df.sort_values(["reason", "label"], kind="mergesort").reset_index(drop=True)


def write_suggestions(df: pd.DataFrame, path) -> None:
    """Write suggestions as a tab-separated file whose first two columns form a VOSviewer thesaurus."""
    from bibliomap.atomic import write_text

    write_text(path, df.to_csv(sep="\t", index=False, lineterminator="\n"))
