"""Benchmark of the text-mining layer: tagger accuracy, author-keyword recall, throughput, peer.

    python benchmarks/bench_terms.py [--docs 10000] [--no-peer] [--quick]

0. Issue #15 targets, per corpus, for the tuning corpora (``TUNING``: the boilerplate threshold and
   the head rule were chosen on these only), the held-out ones and overall, for bibliomap's default
   selection and for the frequency-only baseline (the same number of terms, most frequent first):
   keyword hit rate (of the 40 most frequent author keywords, unified, that are term candidates, the
   share selected, itself or under the label of its variants or acronym; keyword evidence off, and on as a second figure) and generic share (the share of
   selected terms on benchmarks/generic_terms.txt, a list the method never reads; in brackets with
   the keyword rule stated in the list's header); the trade-off of the boilerplate evenness
   threshold on both sides; generic terms among the top emerging topics and gap candidates; then
   the time of term extraction and selection on 10,000 abstracts. --quick: this section only.
1. UPOS accuracy of the shipped tagger on UD English-EWT dev and test (gold tokenization).
2. Generic terms (study, paper, result, ...): their relevance rank on every real corpus, and the
   keyword gap (selected terms that are author/index keywords, minus discarded ones), for the
   default score and for co-occurrence KL alone.
3. Author-keyword recall per real corpus: of the multi-word author keywords that occur verbatim
   (case-insensitive, whole words) in a record's title or abstract, the share found among the
   noun-phrase terms extracted from that record (before selection).
4. Throughput: the whole extract_terms pipeline on ``--docs`` documents (real titles and
   abstracts from the shared corpora, replicated), wall time, tokens/s and peak memory.
5. Peer: NLTK's pure-Python PerceptronTagger trained on the same EWT train split (only when
   nltk is installed; it is not a bibliomap dependency): its test accuracy and tagging speed
   on the same tokens.
"""
from __future__ import annotations

import argparse
import functools
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
from bibliomap.text.terms import phrase_occurrences, extract_terms, select_terms  # noqa: E402
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


_NOT_NP = re.compile(r"\b(?:of|and|or|for|in|on|to|with|by|the|a|an|from|at|as|via|versus|vs)\b|[()'&/,:;+]")


def keyword_recall(nested: bool = False) -> dict[str, pd.DataFrame]:
    """Author-keyword recall per corpus, each occurrence classified (``nested``: with attested
    sub-phrases counted inside longer phrases, ``extract_terms(nested=True)``).

    A multi-word author keyword (its own trailing "(ACRONYM)" dropped) counts when it occurs
    verbatim (case-insensitive, whole words) in the record's title or abstract. The matched
    text span is unified exactly like extracted phrases, then: ``exact`` = it is one of the
    record's extracted terms; ``inside`` = it is only a part of a longer extracted phrase
    (VOSviewer keeps the longest phrase, so this is a miss by its rule; reported apart);
    ``not NP`` = the keyword itself is not a noun phrase in VOSviewer's sense (contains a
    preposition, conjunction, article or punctuation: "quality of life", "lossy and lossless
    compression"); ``other`` = any remaining miss (tagging errors, mostly).
    """
    frames = {}
    mode = "nested sub-phrases counted (--nested)" if nested else "longest phrases only, as VOSviewer (default)"
    print(f"\nauthor-keyword recall (multi-word keywords occurring verbatim in title/abstract), {mode}:")
    found_all = total_all = 0
    for name, paths in CORPORA.items():
        corpus = bibliomap.read(*paths)
        df = corpus.to_pandas()
        frames[name] = df
        ph = phrase_occurrences(corpus, nested=nested)
        terms_of_doc: dict[int, set[str]] = {}
        for d, t in zip(ph.doc.tolist(), ph.term.tolist()):
            terms_of_doc.setdefault(d, set()).add(ph.vocabulary[t])
        counts = dict.fromkeys(("exact", "inside", "not NP", "other"), 0)
        np_total = np_found = trailing = 0
        missed = []
        for d, row in enumerate(df.itertuples()):
            text = " ".join(x for x in (row.title, row.abstract) if isinstance(x, str))
            kws = row.author_keywords if row.author_keywords is not None else []
            cleaned = (re.sub(r"\s*\([^()]*\)\s*$", "", k.strip().lower()) for k in kws if k)
            for kw in dict.fromkeys(k for k in cleaned if len(k.split()) >= 2):
                m = re.search(r"(?<![\w-])" + re.escape(kw) + r"(?![\w-])", text, re.IGNORECASE)
                if not m:
                    continue
                u = unify(m.group(0))
                raw = " ".join(re.sub(r"[^\w\s-]+", "", m.group(0).lower()).split())
                ts = terms_of_doc.get(d, ())
                is_np = not _NOT_NP.search(kw)
                np_total += is_np
                if u in ts:
                    counts["exact"] += 1
                    np_found += is_np
                elif any(f" {u} " in f" {t} " or f" {raw} " in f" {t} " for t in ts):
                    counts["inside"] += 1
                    trailing += any(t.endswith(" " + u) for t in ts)
                elif not is_np:
                    counts["not NP"] += 1
                else:
                    counts["other"] += 1
                    missed.append(kw)
        total = sum(counts.values())
        share = {k: v / total * 100 if total else float("nan") for k, v in counts.items()}
        print(f"  {name:22s} {total:4d} keyword occurrences: exact {share['exact']:5.1f}%, inside a longer phrase "
              f"{share['inside']:4.1f}% (of which as its last words, reachable by the fallback, "
              f"{trailing / max(total, 1) * 100:4.1f}%), keyword not a noun phrase {share['not NP']:4.1f}%, other miss "
              f"{share['other']:4.1f}%; noun-phrase-shaped keywords only ({np_total}): "
              f"{np_found / max(np_total, 1) * 100:5.1f}% exact; e.g. missed {missed[:3]}")
        found_all += counts["exact"]
        total_all += total
    print(f"  all corpora: {found_all} of {total_all} keyword occurrences found exactly "
          f"({found_all / max(total_all, 1) * 100:.1f}%)")
    return frames


GENERIC = ("study", "paper", "result", "method", "approach", "use", "analysis")
SPECIFIC_DEMO = ("cuda", "opencl", "gpu", "openmp", "mapreduce", "matrix multiplication")


def _keywords(corpus) -> set[str]:
    return {unify(k) for col in ("author_keywords", "index_keywords") for v in corpus.values(col) if v is not None
            for k in v}


def generic_term_ranks() -> None:
    """Where the seven generic terms land in the relevance ranking of every real corpus (default
    selection: at least 10 occurrences, 60% kept; structured-abstract labels not ignored, so that
    "method" and "result" are ranked too). Rank 0 = most relevant, 1 = least; >= the cut = discarded.
    Printed for the default score and for co-occurrence KL alone (specificity_weight=0), with the
    keyword gap: the share of selected terms that are author/index keywords of the corpus minus
    the share of discarded ones (a termhood check: positive when the score keeps real terms)."""
    print("\ngeneric terms, relevance rank among the candidates (0 best .. 1 worst; discarded when >= cut):")
    totals = {}
    for weight in (0.5, 0.0):
        print(f"  specificity_weight={weight}{' (default)' if weight == 0.5 else ' (co-occurrence KL alone)'}")
        kept_all, gaps = 0, []
        for name, paths in CORPORA.items():
            corpus = bibliomap.read(*paths)
            res = extract_terms(corpus, ignore_structured_labels=False, specificity_weight=weight)
            cand = res.terms[res.terms["occurrences"] >= 10]
            order = cand.sort_values(["relevance", "occurrences", "term"], ascending=[False, False, True],
                                     kind="mergesort")
            rank = {t: k / len(order) for k, t in enumerate(order["term"])}
            cut = len(res.labels) / len(order)
            shown = GENERIC + (SPECIFIC_DEMO if name.startswith("demo") else ())
            cells = ", ".join(f"{t} {rank[t]:.2f}" for t in shown if t in rank)
            kept = [t for t in GENERIC if t in rank and rank[t] < cut]
            is_kw = cand["term"].isin(_keywords(corpus))
            gap = is_kw[cand["selected"]].mean() - is_kw[~cand["selected"]].mean()
            kept_all += len(kept)
            gaps.append(gap)
            print(f"    {name:22s} {len(order):4d} candidates, cut {cut:.2f}: {cells}; generic kept: {kept or 'none'}; "
                  f"keyword gap {gap:+.2f}")
        totals[weight] = (kept_all, float(np.mean(gaps)))
    for weight, (kept_all, gap) in totals.items():
        print(f"  specificity_weight={weight}: generic terms kept {kept_all} in all; mean keyword gap {gap:+.3f}")


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


GENERIC_LIST = ROOT / "benchmarks" / "generic_terms.txt"
#: the corpora the boilerplate threshold and the head rule were chosen on; the others are held out
#: (scopus.bib/wos.bib and mcda_scopus/mcda_wos are two exports of similar searches: one of each pair
#: on each side)
TUNING = ("demo (IEEE CSV)", "scopus.bib", "mcda_wos.bib")


def generic_terms(keyword_rule: bool = False) -> set[str]:
    """The benchmark's list of generic academic vocabulary (kept apart from the method). With
    ``keyword_rule``, the rule stated in the list's header: a listed term that is among the keyword
    targets (``keyword_targets``) of any shared corpus names a topic in that field, so it is not
    generic by the issue's definition."""
    listed = {ln.strip() for ln in GENERIC_LIST.read_text(encoding="utf-8").splitlines()
              if ln.strip() and not ln.startswith("#")}
    return listed - _all_keyword_targets() if keyword_rule else listed


@functools.lru_cache(maxsize=1)
def _corpora() -> dict:
    """Every benchmark corpus read once, with its phrase occurrences and keyword targets."""
    out = {}
    for name, paths in CORPORA.items():
        corpus = bibliomap.read(*paths)
        ph = phrase_occurrences(corpus)
        occ = select_terms(ph, boilerplate_evenness=None).terms
        out[name] = (corpus, ph, keyword_targets(corpus, set(occ.loc[occ["occurrences"] >= 10, "term"])))
    return out


def _all_keyword_targets() -> set[str]:
    return {t for _, _, targets in _corpora().values() for t in targets}


def keyword_records(corpus) -> dict[str, int]:
    """Per author keyword (unified: lower case, last word singular), the number of records naming it."""
    counts: dict[str, int] = {}
    for v in corpus.values("author_keywords"):
        if v is None:
            continue
        for k in {unify(k) for k in v if k}:
            counts[k] = counts.get(k, 0) + 1
    return counts


def keyword_targets(corpus, candidates: set[str], n: int = 40) -> list[str]:
    """The ``n`` most frequent author keywords (unified: lower case, last word singular) that are
    term candidates, most frequent first (ties by keyword)."""
    ranked = sorted(keyword_records(corpus).items(), key=lambda kv: (-kv[1], kv[0]))
    return [k for k, _ in ranked if k in candidates][:n]


def hits(targets: list[str], chosen: set[str], aliases: dict[str, str]) -> int:
    """How many keyword ``targets`` the selection ``chosen`` holds, itself or under the label of its group
    (``aliases``, ``TermResult.aliases``: "electre-tri" is held by "electre tri", "mcda" by "multiple criteria
    decision analysis": bibliomap.text.variants shows variants and acronyms as one label)."""
    return sum(t in chosen or aliases.get(t) in chosen for t in targets)


def frequency_baseline(terms: pd.DataFrame, n: int, min_occurrences: int = 10) -> set[str]:
    """The ``n`` most frequent candidates (ties by term): selection by frequency alone."""
    cand = terms[terms["occurrences"] >= min_occurrences]
    return set(cand.sort_values(["occurrences", "term"], ascending=[False, True], kind="mergesort")["term"][:n])


def _rate(hits: int, targets: int, generic: int, generic_new: int, selected: int) -> str:
    return (f"{hits / max(targets, 1) * 100:5.1f}% / {generic / max(selected, 1) * 100:4.1f}%"
            f" ({generic_new / max(selected, 1) * 100:4.1f}%)")


def issue15_targets() -> None:
    """Keyword hit rate and generic share per corpus, for the tuning and held-out corpora and overall:
    bibliomap (keyword evidence off, then on) beside the frequency-only baseline; the generic share
    by the list as written and, in brackets, with its header's keyword rule. Targets: hit rate >= 85%
    on every corpus, generic share <= 3%."""
    old, new = generic_terms(), generic_terms(keyword_rule=True)
    print("\nissue #15 targets: keyword hit rate (top-40 author keywords that are candidates, share selected; "
          "target >= 85%) / generic share (selected terms on benchmarks/generic_terms.txt; target <= 3%; in "
          f"brackets with the list's keyword rule, which drops {sorted(old - new)})")
    print(f"  {'corpus':22s} {'bibliomap':>26s} {'+ keyword evidence':>26s} {'frequency baseline':>26s}")
    totals = {split: {k: [0] * 5 for k in ("default", "evidence", "frequency")} for split in ("tuning", "held-out")}
    conflict = [0, 0]
    clean = [0, 0]  # keyword targets not on the list as written: hits, targets
    clean_rows = []  # per corpus: name, hits and number of the targets not on the list, the listed targets missed
    for name, (corpus, ph, targets) in _corpora().items():
        runs = {"default": select_terms(ph), "evidence": select_terms(ph, keyword_evidence=True)}
        chosen = {k: set(r.labels) for k, r in runs.items()}
        aliases = {k: r.aliases for k, r in runs.items()}
        aliases["frequency"] = aliases["default"]
        chosen["frequency"] = frequency_baseline(runs["default"].terms, len(chosen["default"]))
        conflict[0] += sum(t in old for t in targets)
        conflict[1] += len(targets)
        unlisted = [t for t in targets if t not in old]
        unlisted_hits = hits(unlisted, chosen["default"], aliases["default"])
        clean[0] += unlisted_hits
        clean[1] += len(unlisted)
        clean_rows.append((name, unlisted_hits, len(unlisted),
                           [t for t in targets if t in old and not hits([t], chosen["default"], aliases["default"])]))
        cells = []
        split = "tuning" if name in TUNING else "held-out"
        for k, sel in chosen.items():
            row = [hits(targets, sel, aliases[k]), len(targets), sum(t in old for t in sel),
                   sum(t in new for t in sel), len(sel)]
            totals[split][k] = [a + b for a, b in zip(totals[split][k], row)]
            cells.append(_rate(*row))
        print(f"  {name:22s} " + " ".join(f"{c:>26s}" for c in cells) + f"   ({len(targets)} keywords, "
              f"{len(chosen['default'])} selected, {split})")
    for label, parts in (("tuning", ["tuning"]), ("held-out", ["held-out"]), ("overall", ["tuning", "held-out"])):
        cells = [_rate(*[sum(totals[p][k][i] for p in parts) for i in range(5)]) for k in totals["tuning"]]
        print(f"  {label:22s} " + " ".join(f"{c:>26s}" for c in cells))
    print(f"  conflict: {conflict[0]} of the {conflict[1]} keyword targets are on the list as written "
          f"(none with its keyword rule); bibliomap's hit rate on the other {clean[1]}: "
          f"{clean[0] / max(clean[1], 1) * 100:.1f}%")
    for name, held, n, listed_missed in clean_rows:
        print(f"    {name:22s} {held:3d} of {n:3d} targets not on the list ({held / max(n, 1) * 100:5.1f}%); "
              f"listed targets missed: {listed_missed or 'none'}")


def shared_keyword_hits(min_records: int = 2) -> None:
    """The keyword hit rate per corpus on the keyword targets that at least ``min_records`` records name (a
    small corpus's top 40 reaches down to keywords a single author chose), with the targets missed and
    whether each is on the generic list as written: a second view of the issue #15 figure, not a target."""
    listed = generic_terms()
    print(f"\nkeyword targets named by at least {min_records} records (bibliomap's default selection):")
    for name, (corpus, ph, targets) in _corpora().items():
        records = keyword_records(corpus)
        shared = [t for t in targets if records.get(t, 0) >= min_records]
        result = select_terms(ph)
        chosen = set(result.labels)
        missed = [f"{t}{' (listed)' if t in listed else ''}" for t in shared if not hits([t], chosen, result.aliases)]
        held = len(shared) - len(missed)
        print(f"  {name:22s} {held:3d} of {len(shared):3d} ({held / max(len(shared), 1) * 100:5.1f}%; "
              f"{len(targets) - len(shared)} of the {len(targets)} targets named by fewer); missed: {missed or 'none'}")


def evenness_frontier() -> None:
    """Keyword hit rate and generic share (list as written / with its keyword rule) on the tuning and
    held-out corpora for several boilerplate evenness thresholds (None: no boilerplate filter, the
    share kept alone): the trade-off the default sits on, chosen on the tuning corpora only."""
    old, new = generic_terms(), generic_terms(keyword_rule=True)
    print("\nboilerplate evenness threshold -> keyword hit rate / generic share (with the keyword rule):")
    for split in ("tuning", "held-out"):
        cells = []
        for evenness in (0.4, 0.5, 0.55, 0.6, 0.65, 0.7, None):
            row = [0] * 5
            for name, (_, ph, targets) in _corpora().items():
                if (name in TUNING) != (split == "tuning"):
                    continue
                result = select_terms(ph, boilerplate_evenness=evenness)
                chosen = set(result.labels)
                row = [a + b for a, b in zip(row, [hits(targets, chosen, result.aliases), len(targets),
                                                   sum(t in old for t in chosen), sum(t in new for t in chosen),
                                                   len(chosen)])]
            cells.append(f"{evenness}: {_rate(*row)}")
        print(f"  {split:9s} " + "; ".join(cells))


def generic_in_findings() -> None:
    """Generic terms (benchmark list as written; the keyword rule changes none of these) among the top
    10 emerging topics and the top 10 gap candidates of every corpus (target: none), default settings."""
    from bibliomap.analysis.trends import trend_analysis

    generic = generic_terms()
    print("\ngeneric terms among the top 10 emerging topics / top 10 gap candidates (target: none):")
    for name, (corpus, _, _) in _corpora().items():
        tables, _ = trend_analysis(corpus, terms=extract_terms(corpus))
        ed = tables["emerging_declining"]
        emerging = ed.loc[ed["status"] == "emerging", "item"].head(10).tolist()
        gaps = tables["gaps"]["item"].head(10).tolist()
        bad_e, bad_g = [t for t in emerging if t in generic], [t for t in gaps if t in generic]
        print(f"  {name:22s} emerging {len(emerging):2d} (generic: {bad_e or 'none'}), "
              f"gaps {len(gaps):2d} (generic: {bad_g or 'none'}); top gaps {gaps[:5]}")


def extraction_time(n_docs: int = 10_000) -> None:
    """Term extraction and selection (default settings) on ``n_docs`` real abstracts, replicated."""
    frames = [bibliomap.read(*paths).to_pandas()[["title", "abstract"]] for paths in CORPORA.values()]
    base = pd.concat(frames, ignore_index=True)
    base = base[base["abstract"].map(lambda x: isinstance(x, str) and len(x) > 200)].reset_index(drop=True)
    docs = pd.concat([base] * -(-n_docs // len(base)), ignore_index=True).iloc[:n_docs].reset_index(drop=True)
    extract_terms(docs.iloc[:50])  # load the tagger and the background model outside the timing
    t0 = time.perf_counter()
    result = extract_terms(docs)
    dt = time.perf_counter() - t0
    print(f"\nextraction + selection on {len(docs)} abstracts ({len(base)} distinct, replicated): {dt:.2f} s "
          f"(target <= 10 s); {len(result.labels)} terms selected")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--quick", action="store_true", help="issue #15 targets and extraction time only")
    args = ap.parse_args()
    issue15_targets()
    shared_keyword_hits()
    evenness_frontier()
    generic_in_findings()
    extraction_time(args.docs)
    if args.quick:
        return
    tagger_accuracy()
    generic_term_ranks()
    frames = keyword_recall()
    keyword_recall(nested=True)
    sentences, n_total = throughput(frames, args.docs)
    if not args.no_peer:
        nltk_peer(sentences, n_total)


if __name__ == "__main__":
    main()
