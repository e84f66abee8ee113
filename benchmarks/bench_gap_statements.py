"""Precision and recall of the stated-research-gap sentence classifier (issue #15, item 6).

    python benchmarks/bench_gap_statements.py [--errors]

On the hand-labelled sentences of benchmarks/gap_sentences_labels.tsv: the held-out set (220
sentences of all fifteen shared corpora with abstracts, 120 at random and 100 at random among
sentences holding a broad hedge word, labelled before the classifier ever ran on them; never
consulted while the cues were written), which is the measure, and the development set (the first
210 sentences, seven corpora; every one of them consulted while widening the cues). The cues as first
drafted, before any labelled sentence was seen, scored precision 90.9% (10/11) and recall 27.0%
(10/37) on the development set.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from bibliomap.text.gapstatements import gap_kind

LABELS = Path(__file__).resolve().parent / "gap_sentences_labels.tsv"


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
    df = pd.read_csv(LABELS, sep="\t", comment="#", dtype={"label": int}, keep_default_na=False)
    gold = df["label"] == 1
    pred = df["sentence"].map(gap_kind).notna()
    print(f"stated-gap classifier on {len(df)} hand-labelled sentences ({LABELS.name})")
    held = df["sample"].str.startswith("heldout")
    rnd = df["sample"] == "heldout-random"
    print(f"  held out {held.sum()} (never consulted while writing the cues): " + scores(gold[held], pred[held]))
    print(f"    of which the random {rnd.sum()}: " + scores(gold[rnd], pred[rnd]))
    print(f"  development {(~held).sum()} (consulted): " + scores(gold[~held], pred[~held]))
    if args.errors:
        for kind, mask in (("false positive", ~gold & pred & ~held), ("missed", gold & ~pred & ~held)):
            for s in df.loc[mask, "sentence"]:
                print(f"  {kind}: {s}")


if __name__ == "__main__":
    main()
