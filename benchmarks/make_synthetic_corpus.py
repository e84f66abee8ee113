"""Make a large synthetic corpus by replicating real records with perturbed ids, titles and authors.

Source records: the demo IEEE Xplore exports (titles, abstracts, authors,
affiliations, keywords) and the Scopus CSV samples (with references), from
../shared/corpora. Each copy gets a unique DOI, a title with a random three-word
prefix and a first author with a random surname suffix, so copies are distinct
works; a planted share of exact duplicates (same DOI and title) tests the merge.

    python benchmarks/make_synthetic_corpus.py --n 1000000 --out benchmarks/out/synthetic

``citation_corpus(n, ...)`` makes a Corpus directly (no export files) with a heavy-tailed
number of references per paper, a Zipf-like popularity of the cited references and
heavy-tailed times cited, for the scale benchmark of the counting stages (bench_scale.py).
"""
from __future__ import annotations

import argparse
import csv
import json
import string
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
WORDS = [w for w in (
    "adaptive robust sparse neural latent temporal spectral graph causal deep shallow hybrid convex stochastic "
    "federated multimodal generative discrete continuous bayesian semantic visual acoustic musical rhythmic "
    "harmonic melodic symbolic structured hierarchical recurrent attention contrastive variational diffusion "
    "transformer kernel manifold ensemble boosted pruned quantized distributed parallel scalable efficient "
    "interpretable explainable fair private secure resilient dynamic static online offline incremental"
).split()]


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], [r[: len(rows[0])] for r in rows[1:] if len(r) >= len(rows[0]) - 1]


def citation_corpus(n: int, mean_references: float = 30.0, distribution: str = "lognormal", seed: int = 7,
                    n_keywords: int = 50_000):
    """A Corpus of ``n`` works with references, author keywords, years and times cited, built vectorized.

    References per paper: ``lognormal`` (heavy-tailed, mean ``mean_references``, capped at
    20x the mean) or ``fixed`` (exactly ``mean_references`` each). Cited references come
    from a pool of 2n with popularity ~ 1/(rank + 10) (a few references cited very
    often); a paper cites each reference at most once. Times cited: Zipf-distributed.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from bibliomap.corpus.corpus import Corpus
    from bibliomap.corpus.schema import SCHEMA

    rng = np.random.default_rng(seed)
    if distribution == "fixed":
        sizes = np.full(n, int(round(mean_references)), dtype=np.int64)
    elif distribution == "lognormal":
        sigma = 1.0
        raw = rng.lognormal(np.log(mean_references) - sigma**2 / 2, sigma, n)
        sizes = np.minimum(np.rint(raw), 20 * mean_references).astype(np.int64)
    else:
        raise ValueError(f"distribution must be lognormal or fixed, not {distribution!r}")
    pool = 2 * n
    popularity = 1.0 / (np.arange(pool) + 10.0)
    popularity /= popularity.sum()
    doc = np.repeat(np.arange(n, dtype=np.int64), sizes)
    ref = rng.choice(pool, size=doc.size, p=popularity)
    pairs = np.unique(doc * pool + ref)  # once per paper
    doc, ref = pairs // pool, pairs % pool
    offsets = np.r_[0, np.cumsum(np.bincount(doc, minlength=n))].astype(np.int32)
    def strings(prefix: str, numbers: np.ndarray) -> pa.Array:
        """prefix + number, made in Arrow (no fixed-width NumPy copy: 150M references at 5M records)."""
        digits = pc.cast(pa.array(numbers, type=pa.int64()), pa.string())
        return pc.binary_join_element_wise(pa.scalar(prefix), digits, "")

    ref_ids, keys = strings("r", ref), strings("ref:r", ref)
    k_sizes = rng.integers(3, 7, n)
    k_offsets = np.r_[0, np.cumsum(k_sizes)].astype(np.int32)
    kw_rank = np.minimum(rng.zipf(1.3, int(k_sizes.sum())), n_keywords) - 1
    keywords = strings("keyword ", kw_rank)
    columns = {
        "id": pa.array([f"s{i}" for i in range(n)]),
        "doi": pa.array([f"10.99999/scale.{i}" for i in range(n)]),
        "title": pa.array([f"synthetic work {i}" for i in range(n)]),
        "year": pa.array(rng.integers(1990, 2026, n).astype(np.int32)),
        "times_cited": pa.array(np.minimum(rng.zipf(1.8, n), 100_000).astype(np.int64) - 1),
        "author_keywords": pa.ListArray.from_arrays(pa.array(k_offsets), keywords),
        "references": pa.ListArray.from_arrays(pa.array(offsets), ref_ids),
        "reference_keys": pa.ListArray.from_arrays(pa.array(offsets), keys),
        "database": pa.array(["scopus"] * n),
    }
    arrays = []
    for field in SCHEMA:
        if field.name in columns:
            arrays.append(columns[field.name].cast(field.type))
        elif pa.types.is_list(field.type) or pa.types.is_map(field.type):
            arrays.append(pa.array([[]] * n, type=field.type))
        else:
            arrays.append(pa.nulls(n, field.type))
    return Corpus(pa.Table.from_arrays(arrays, schema=SCHEMA))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "synthetic")
    ap.add_argument("--per-file", type=int, default=50_000)
    ap.add_argument("--duplicates", type=float, default=0.01, help="share of planted exact duplicates")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    sources = []
    for p in sorted((CORPORA / "demo").glob("ieee_*.csv")):
        sources.append(("ieee", *_rows(p)))
    for p in sorted((CORPORA / "scopus-csv").glob("*.csv")):
        sources.append(("scopus", *_rows(p)))
    # one pool per format: ~90% IEEE-like records, ~10% Scopus records with references
    pools = {}
    for fmt, header, rows in sources:
        h, r = pools.setdefault(fmt, (header, []))
        if h == header:
            r.extend(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("*.csv"):
        old.unlink()
    letters = np.array(list(string.ascii_lowercase))
    written, planted, file_no = 0, 0, 0
    shares = {"ieee": 0.9, "scopus": 0.1}
    for fmt, (header, rows) in pools.items():
        n_fmt = int(round(args.n * shares[fmt]))
        col = {name: i for i, name in enumerate(header)}
        title_c = col.get("Document Title", col.get("Title"))
        doi_c = col["DOI"]
        auth_c = col["Authors"]
        eid_c = col.get("EID")
        sep = "; " if fmt == "ieee" else ", "
        made: list[list[str]] = []
        for start in range(0, n_fmt, args.per_file):
            count = min(args.per_file, n_fmt - start)
            picks = rng.integers(0, len(rows), size=count)
            prefix = rng.integers(0, len(WORDS), size=(count, 3))
            suffix = letters[rng.integers(0, 26, size=(count, 4))]
            dup = rng.random(count) < args.duplicates
            path = args.out / f"{fmt}_{file_no:03d}.csv"
            file_no += 1
            with open(path, "w", encoding="utf-8", newline="") as f:
                w = csv.writer(f, quoting=csv.QUOTE_ALL)
                w.writerow(header)
                for k in range(count):
                    if dup[k] and made:
                        w.writerow(made[int(rng.integers(0, len(made)))])
                        planted += 1
                        continue
                    row = list(rows[picks[k]])
                    i = start + k
                    row[title_c] = " ".join(WORDS[x] for x in prefix[k]) + " " + row[title_c]
                    row[doi_c] = f"10.99999/syn.{fmt}.{i}"
                    if "PubMed ID" in col:
                        row[col["PubMed ID"]] = ""
                    if eid_c is not None:
                        row[eid_c] = f"2-s2.0-9{i:011d}"
                    names = row[auth_c].split(sep) if row[auth_c] else ["Anonymous A."]
                    first = names[0].split(" ")
                    if fmt == "ieee":
                        first[-1] = first[-1] + "".join(suffix[k])
                    else:
                        first[0] = first[0] + "".join(suffix[k])
                    names[0] = " ".join(first)
                    row[auth_c] = sep.join(names)
                    full_c = col.get("Author full names")
                    if full_c is not None and row[full_c]:
                        surname, _, rest = row[full_c].partition(",")
                        row[full_c] = surname + "".join(suffix[k]) + "," + rest
                    w.writerow(row)
                    if len(made) < 10_000:
                        made.append(row)
            written += count
    meta = {"records": written, "planted_duplicates": planted, "seed": args.seed, "per_file": args.per_file}
    (args.out / "synthetic.json").write_text(json.dumps(meta, indent=2))
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
