"""Precision and recall of the stated-research-gap sentence classifier (issue #15, item 6).

    python benchmarks/bench_gap_statements.py [--errors]

On the hand-labelled sentences of benchmarks/gap_sentences_labels.tsv: the held-out set (217
sentences of the fifteen shared corpora with abstracts, drawn on 2026-12-07 (sample heldout2-*): 120 at
random and 97 at random among sentences holding a broad hedge word, labelled before the classifier ever
ran on them; never consulted while the cues were written), which is the measure, and the development set
(every earlier sentence, all of them consulted while widening the cues: the first 210, and the 220 of a
first held-out set that measured the cues until 2026-12-07, at precision 81.6% and recall 50.8%). The cues
as first drafted, before any labelled sentence was seen, scored precision 90.9% (10/11) and recall 27.0%
(10/37) on the first 210; the cues as they stood before the first held-out set was consulted scored
precision 85.7% (30/35) and recall 62.5% (30/48) on the second.
"""
from __future__ import annotations

import argparse
import io
from pathlib import Path

import pandas as pd

from bibliomap.text.gapstatements import gap_kind

LABELS = Path(__file__).resolve().parent / "gap_sentences_labels.tsv"
HELD_OUT = "heldout2"  # the samples that measure; every other one was consulted


def load_labels(path: Path = LABELS) -> pd.DataFrame:
    """The labelled sentences (the lines of the header start with '#'; a sentence may hold one: "&#x2013;")."""
    text = "".join(line for line in path.read_text(encoding="utf-8").splitlines(keepends=True) if not line.startswith("#"))
    return pd.read_csv(io.StringIO(text), sep="\t", dtype={"label": int}, keep_default_na=False)


def scores(gold: pd.Series, pred: pd.Series) -> str:
    tp = int((gold & pred).sum())
    fp = int((~gold & pred).sum())
    fn = int((gold & ~pred).sum())
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    return f"precision {p:.1%} ({tp}/{tp + fp}), recall {r:.1%} ({tp}/{tp + fn}), {int(gold.sum())} gap sentences"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--errors", action="store_true", help="print the misclassified development sentences")
    args = ap.parse_args()
    df = load_labels()
    gold = df["label"] == 1
    pred = df["sentence"].map(gap_kind).notna()
    print(f"stated-gap classifier on {len(df)} hand-labelled sentences ({LABELS.name})")
    held = df["sample"].str.startswith(HELD_OUT)
    rnd = df["sample"] == f"{HELD_OUT}-random"
    first = df["sample"].str.startswith("heldout-")
    print(f"  held out {held.sum()} (never consulted while writing the cues): " + scores(gold[held], pred[held]))
    print(f"    of which the random {rnd.sum()}: " + scores(gold[rnd], pred[rnd]))
    print(f"  development {(~held).sum()} (consulted): " + scores(gold[~held], pred[~held]))
    print(f"    of which the first held-out set, {first.sum()} (consulted since 2026-12-07): " + scores(gold[first], pred[first]))
    if args.errors:
        for kind, mask in (("false positive", ~gold & pred & ~held), ("missed", gold & ~pred & ~held)):
            for s in df.loc[mask, "sentence"]:
                print(f"  {kind}: {s}")


if __name__ == "__main__":
    main()
