"""Build bibliomap's background model of academic prose (src/bibliomap/text/models/academic-background.npz).

    python scripts/build_background.py [--tables scripts/background_sources] [--corpora ../shared/corpora]
                                       [--group NAME:FIELD:GLOB ...] [--out PATH]

Each group is one collection of titles and abstracts with a field label: every field of every table
in --tables (``*.csv.gz`` with the columns field, title, abstract, written by
scripts/prepare_background_sources.py: openly licensed arXiv metadata), plus the export files of
--group (any export format bibliomap reads). The model stores, per group, the occurrence counts of every unified noun-phrase term
(extracted as ``bibliomap.text.terms.phrase_occurrences`` does, structured-abstract labels such as
"method" and "result" included), its number of documents,
its field and fingerprints of its titles (for leave-one-field-out at use time). No text is stored.
Without --group, the export groups are the Apache-2.0-licensed shared corpora listed in DEFAULT_GROUPS
(--no-exports: the tables alone). Deterministic:
rebuilding from the same inputs reproduces the file byte for byte.
"""
from __future__ import annotations

import argparse
import glob
import sys
from pathlib import Path

import numpy as np
import pandas as pd

import bibliomap
from bibliomap.text.background import Background, load, save, title_fingerprints
from bibliomap.text.terms import phrase_occurrences

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "bibliomap" / "text" / "models" / "academic-background.npz"
TABLES = ROOT / "scripts" / "background_sources"

#: (group, field, glob relative to the corpora folder): the shared real corpora, by research field
DEFAULT_GROUPS = [  # litstudy's files (github.com/NLeSC/litstudy, Apache License 2.0)
    ("ieee-gpu-programming", "gpu-computing", "demo/ieee_*.csv"),
    ("ieee-exascale", "gpu-computing", "ieee-csv/ieee.csv"),
    ("ris-exascale", "gpu-computing", "ris/example.ris"),
    ("springer-programming-models", "gpu-computing", "springer-csv/springer_notebook.csv"),
    ("springer-hpc", "gpu-computing", "springer-csv/springer.csv"),
    ("scopus-petri-nets", "systems-biology", "scopus-csv/litstudy_scopus.csv"),
]


#: the research field of each arXiv archive or collector's query of the tables: evenness across fields
#: (``Background.spread``) must count a field once however many collections hold it
RESEARCH_FIELDS = {
    **dict.fromkeys(("astro-ph", "astrophysics", "cond-mat", "gr-qc", "hep-ex", "hep-lat", "hep-ph", "hep-th", "math-ph",
                     "nlin", "nucl-ex", "nucl-th", "physics", "quant-ph"), "physics"),
    **dict.fromkeys(("math", "topology"), "mathematics"),
    **dict.fromkeys(("cs", "cryptography"), "computer-science"),
    "stat": "statistics", "q-fin": "finance",
    **dict.fromkeys(("q-bio", "neuroscience"), "life-sciences"),
    **dict.fromkeys(("cultural anthropology", "philosophy", "postmodern literature", "sociolinguistics"), "humanities"),
    # the systematic-review tables (prepare_background_sources.REVIEW_SOURCES) carry their field already
    **{f: f for f in ("public-administration", "preclinical-medicine", "software-engineering", "psychology")},
    # NSF award abstracts (prepare_background_sources.NSF_SOURCE): one field, research grants, whatever the
    # directorate. Measured in benchmarks/bench_terms.py: as seven fields, the grants' own genre ("project",
    # "student", "broader impact") looked evenly spread over seven of twenty fields and the keyword hit rate
    # fell from 85.6% to 78.2% (generic share 2.4% -> 4.8%); as one field of 600 awards per directorate
    # (all 9,534: tuning corpora 0.5 points lower) the generic share fell to 1.1% (see relevance.py)
    **dict.fromkeys(("nsf-biology", "nsf-computing", "nsf-education", "nsf-engineering", "nsf-geosciences",
                     "nsf-mathematical-physical", "nsf-social-behavioral-economic"), "research-grants"),
}


def table_groups(folder: Path) -> list[tuple[str, str, pd.DataFrame]]:
    """One group per (table, archive or query) of the ``*.csv.gz`` tables in ``folder``, in name order,
    labelled with its research field (``RESEARCH_FIELDS``)."""
    out = []
    for path in sorted(folder.glob("*.csv.gz")):
        df = pd.read_csv(path, keep_default_na=False)
        for field, part in df.groupby("field", sort=True):
            if field not in RESEARCH_FIELDS:
                sys.exit(f"{path.name}: no research field for {field!r}; add it to RESEARCH_FIELDS")
            name = f"{path.name.removesuffix('.csv.gz')}:{field}"
            out.append((name, RESEARCH_FIELDS[field], part[["title", "abstract"]].reset_index(drop=True)))
    return out


def build(groups: list[tuple[str, str, list[str] | pd.DataFrame]]) -> Background:
    """The model of ``groups``: (name, field, export files or a table with title and abstract columns)."""
    counts_per_group, n_docs, fps = [], [], []
    vocab: dict[str, int] = {}
    for name, field, source in groups:
        if isinstance(source, list) and not source:
            sys.exit(f"group {name}: no file matched")
        corpus = source if isinstance(source, pd.DataFrame) else bibliomap.read(*source)
        ph = phrase_occurrences(corpus, ignore_structured_labels=False)  # every noun, whatever a user ignores
        per_term = np.bincount(ph.term, minlength=len(ph.vocabulary))
        ids = np.array([vocab.setdefault(t, len(vocab)) for t in ph.vocabulary], dtype=np.int64)
        counts_per_group.append((ids, per_term))
        n_docs.append(ph.n_documents)
        titles = corpus["title"] if isinstance(corpus, pd.DataFrame) else corpus.values("title")
        fps.append(title_fingerprints(titles))
        print(f"{name:30s} {field:20s} {ph.n_documents:6d} documents {int(per_term.sum()):8d} term occurrences")
    terms = sorted(vocab)
    order = np.argsort(np.array(list(vocab.keys()), dtype=object)).astype(np.int64)  # old id -> rank
    rank = np.empty(len(vocab), dtype=np.int64)
    rank[order] = np.arange(len(vocab))
    counts = np.zeros((len(groups), len(terms)), dtype=np.int32)
    for g, (ids, per_term) in enumerate(counts_per_group):
        counts[g, rank[ids]] = per_term
    return Background(terms, [g[0] for g in groups], [g[1] for g in groups], np.array(n_docs, dtype=np.int64),
                      counts, fps)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tables", type=Path, default=TABLES, help="folder of the openly licensed tables")
    ap.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    ap.add_argument("--no-exports", action="store_true", help="learn from the tables alone")
    ap.add_argument("--group", action="append", default=[], metavar="NAME:FIELD:GLOB",
                    help="a collection of export files and its field label (repeatable); replaces the defaults")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    spec = [tuple(g.split(":", 2)) for g in args.group] or [(n, f, str(args.corpora / p)) for n, f, p in DEFAULT_GROUPS]
    groups = table_groups(args.tables)
    if not args.no_exports:
        groups += [(n, f, sorted(glob.glob(p))) for n, f, p in spec]
    bg = build(groups)
    save(args.out, bg)
    again = load(args.out)
    assert again.terms == bg.terms and np.array_equal(again.counts, bg.counts)
    print(f"{len(bg.terms)} terms in {len(bg.groups)} groups ({len(set(bg.fields))} fields) -> {args.out} "
          f"({args.out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
