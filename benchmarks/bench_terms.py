"""Benchmark of the text-mining layer: tagger accuracy, author-keyword recall, throughput, peer.

    python benchmarks/bench_terms.py [--docs 10000] [--no-peer]

1. UPOS accuracy of the shipped tagger on UD English-EWT dev and test (gold tokenization).
2. Author-keyword recall per real corpus: of the multi-word author keywords that occur verbatim
   (case-insensitive, whole words) in a record's title or abstract, the share found among the
   noun-phrase terms extracted from that record (before selection).
3. Throughput: the whole extract_terms pipeline on ``--docs`` documents (real titles and
   abstracts from the shared corpora, replicated), wall time, tokens/s and peak memory.
4. Peer: NLTK's pure-Python PerceptronTagger trained on the same EWT train split (only when
   nltk is installed; it is not a bibliomap dependency): its test accuracy and tagging speed
   on the same tokens.
"""
from __future__ import annotations

import argparse
import glob
import re
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "scripts"))

import bibliomap  # noqa: E402
from bibliomap.text.tagger import UPOS, default_tagger  # noqa: E402
from bibliomap.text.terms import phrase_occurrences, extract_terms  # noqa: E402
from bibliomap.text.tokenize import tokenize  # noqa: E402
from bibliomap.text.unify import unify  # noqa: E402

CORPORA = {
    "demo (IEEE CSV)": sorted(glob.glob(str(SHARED / "corpora" / "demo" / "*.csv"))),
    "scopus.bib": [str(SHARED / "corpora" / "scopus-bibtex" / "scopus.bib")],
    "mcda_scopus.bib": [str(SHARED / "corpora" / "scopus-bibtex" / "mcda_scopus.bib")],
    "litstudy_scopus.csv": [str(SHARED / "corpora" / "scopus-csv" / "litstudy_scopus.csv")],
    "wos.bib": [str(SHARED / "corpora" / "wos-bibtex" / "wos.bib")],
    "mcda_wos.bib": [str(SHARED / "corpora" / "wos-bibtex" / "mcda_wos.bib")],
    "pubmed.txt": [str(SHARED / "corpora" / "pubmed-medline" / "pubmed.txt")],
}


def tagger_accuracy() -> None:
    import train_tagger as tt

    _, dev, test = tt.load_splits(SHARED / "data" / "ud-english-ewt")
    tagger = default_tagger()
    for name, sents in (("dev", dev), ("test", test)):
        words = [w for ws, _ in sents for w in ws]
        gold = np.array([t for _, ts in sents for t in ts])
        bounds = np.concatenate([[0], np.cumsum([len(ws) for ws, _ in sents])])
        t0 = time.perf_counter()
        pred = tagger.tag_ids(words, bounds)
        dt = time.perf_counter() - t0
        print(f"tagger UPOS accuracy, EWT {name}: {np.mean(pred == gold) * 100:.2f}% ({len(gold)} words, {dt:.2f} s)")


def keyword_recall() -> dict[str, pd.DataFrame]:
    frames = {}
    print("\nauthor-keyword recall (multi-word keywords occurring verbatim in title/abstract):")
    for name, paths in CORPORA.items():
        corpus = bibliomap.read(*paths)
        df = corpus.to_pandas()
        frames[name] = df
        ph = phrase_occurrences(corpus)
        terms_of_doc: dict[int, set[str]] = {}
        for d, t in zip(ph.doc.tolist(), ph.term.tolist()):
            terms_of_doc.setdefault(d, set()).add(ph.vocabulary[t])
        found = total = suffix = inside = np_total = np_found = 0
        missed = []
        for d, row in enumerate(df.itertuples()):
            text = " ".join(x for x in (row.title, row.abstract) if isinstance(x, str)).lower()
            kws = row.author_keywords if row.author_keywords is not None else []
            # a keyword's own trailing acronym ("multiple criteria decision analysis (mcda)") is dropped
            cleaned = (re.sub(r"\s*\([^()]*\)\s*$", "", k.strip().lower()) for k in kws if k)
            for kw in dict.fromkeys(k for k in cleaned if len(k.split()) >= 2):
                if not re.search(r"(?<![\w-])" + re.escape(kw) + r"(?![\w-])", text):
                    continue
                total += 1
                u = unify(kw)
                np_shaped = not re.search(r"\b(?:of|and|or|for|in|on|to|with|by|the|a|an)\b|[()'&/,]", kw)
                np_total += np_shaped
                np_found += np_shaped and u in terms_of_doc.get(d, ())
                ts = terms_of_doc.get(d, ())
                if u in ts:
                    found += 1
                elif any(t.endswith(" " + u) for t in ts):
                    suffix += 1  # last words of a longer noun phrase: reachable through the fallback
                elif any(f" {u} " in f" {t} " or f" {kw} " in f" {t} " for t in ts):
                    inside += 1  # inside a longer noun phrase (VOSviewer keeps only the longest)
                else:
                    missed.append(kw)
        share = found / total if total else float("nan")
        print(f"  {name:22s} exact {found:4d}/{total:4d} = {share * 100:5.1f}%; with fallback suffixes "
              f"{(found + suffix) / total * 100:5.1f}%; inside a longer phrase {inside / total * 100:4.1f}%; "
              f"not a noun phrase {len(missed) / total * 100:4.1f}%; noun-phrase-shaped keywords only (no of/and/for..., "
              f"{np_total}) {np_found / max(np_total, 1) * 100:5.1f}% exact; e.g. missed {missed[:3]}")
    return frames


def throughput(frames: dict[str, pd.DataFrame], n_docs: int) -> tuple[list[list[str]], int]:
    parts = [df[["title", "abstract"]] for df in frames.values()]
    base = pd.concat(parts, ignore_index=True)
    base = base[base["abstract"].map(lambda x: isinstance(x, str) and len(x) > 200)].reset_index(drop=True)
    reps = -(-n_docs // len(base))
    docs = pd.concat([base] * reps, ignore_index=True).iloc[:n_docs].reset_index(drop=True)
    default_tagger()  # load (and compile) outside the timing
    extract_terms(docs.iloc[:50])
    t0 = time.perf_counter()
    result = extract_terms(docs)
    dt = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nthroughput: {len(docs)} documents ({len(base)} distinct real title+abstract pairs, replicated), "
          f"{result.n_tokens} tokens in {dt:.2f} s = {result.n_tokens / dt:,.0f} tokens/s; "
          f"{len(result.terms)} terms, {len(result.labels)} selected; peak RSS {peak:.0f} MB")
    return tokenize(docs["abstract"].tolist()[: len(base)]).sentences(), result.n_tokens


def nltk_peer(sentences: list[list[str]], n_total: int) -> None:
    try:
        from nltk.tag.perceptron import PerceptronTagger
    except ImportError:
        print("\npeer: nltk not installed (pip install nltk to compare)")
        return
    import random

    import train_tagger as tt

    train, _, test = tt.load_splits(SHARED / "data" / "ud-english-ewt")
    tagger = PerceptronTagger(load=False)
    random.seed(0)
    t0 = time.perf_counter()
    tagger.train([list(zip(ws, [UPOS[t] for t in ts])) for ws, ts in train], nr_iter=5)
    t_train = time.perf_counter() - t0
    gold = [UPOS[t] for _, ts in test for t in ts]
    pred = [tag for ws, _ in test for _, tag in tagger.tag(ws)]
    acc = np.mean([a == b for a, b in zip(gold, pred)])
    n_tok = sum(len(s) for s in sentences)
    t0 = time.perf_counter()
    for s in sentences:
        tagger.tag(s)
    dt = time.perf_counter() - t0
    ours = default_tagger()
    words = [w for s in sentences for w in s]
    bounds = np.concatenate([[0], np.cumsum([len(s) for s in sentences])])
    t1 = time.perf_counter()
    ours.tag_ids(words, bounds)
    dt_ours = time.perf_counter() - t1
    print(f"\npeer NLTK PerceptronTagger (pure Python, trained on the same EWT train split in {t_train:.0f} s): "
          f"EWT test UPOS {acc * 100:.2f}%; tagging {n_tok} tokens of the same abstracts: {dt:.2f} s "
          f"({n_tok / dt:,.0f} tokens/s) vs bibliomap {dt_ours:.2f} s ({n_tok / dt_ours:,.0f} tokens/s, tagging only); "
          f"at that rate NLTK would need ~{n_total / (n_tok / dt):.0f} s just to tag the {n_total} tokens of the "
          f"throughput run")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--no-peer", action="store_true")
    args = ap.parse_args()
    tagger_accuracy()
    frames = keyword_recall()
    sentences, n_total = throughput(frames, args.docs)
    if not args.no_peer:
        nltk_peer(sentences, n_total)


if __name__ == "__main__":
    main()
