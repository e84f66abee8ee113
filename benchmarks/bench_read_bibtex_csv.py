"""Read speed of the BibTeX, Scopus CSV and Publish or Perish CSV readers.

Run: python benchmarks/bench_read_bibtex_csv.py [--records N]
Each real file of these formats (corpora/scopus-bibtex, wos-bibtex, scopus-csv) is
replicated into a temporary file of at least N records (default 5,000) and read
with read_file (decode + detect + parse); the figure printed is records per second
end to end. There is no real PoP export in the corpora, so the PoP test fixture is
replicated instead (labelled "fixture"). If ``bibtexparser`` (the parser litstudy
uses) happens to be importable, its speed on the same BibTeX text is printed too.
"""
from __future__ import annotations

import argparse
import importlib.util
import re
import tempfile
import time
from pathlib import Path

from bibliomap.io.encoding import decode
from bibliomap.io.read import read_file

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
POP_FIXTURE = ROOT / "tests" / "fixtures" / "bibtex_csv" / "pop_full.csv"
ENTRY = re.compile(r"^@\w+\s*[{(]", re.M)


def _replicate_bib(text: str, target: int) -> tuple[str, int]:
    n = len(ENTRY.findall(text))
    copies = max(1, -(-target // max(n, 1)))
    return (text.rstrip("\n") + "\n\n") * copies, n * copies


def _replicate_csv(text: str, target: int) -> tuple[str, int]:
    header, _, body = text.partition("\n")
    body = body.rstrip("\r\n") + "\n"
    n = sum(1 for _ in __import__("csv").reader(body.splitlines(keepends=True)))
    copies = max(1, -(-target // max(n, 1)))
    return header + "\n" + body * copies, n * copies


def bench(path: Path, label: str, target: int) -> None:
    text = decode(path.read_bytes())[0]
    if path.suffix == ".bib":
        big, expected = _replicate_bib(text, target)
    else:
        big, expected = _replicate_csv(text, target)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.name
        copy.write_text(big, encoding="utf-8")
        start = time.perf_counter()
        res = read_file(copy)
        seconds = time.perf_counter() - start
    n = len(res.records)
    status = "ok" if n + len(res.rejected) == expected and res.error is None else f"MISMATCH ({res.error})"
    mb = len(big.encode("utf-8")) / 1e6
    print(f"{label:<48} {res.format:<11} {n:>7} records {seconds:7.2f} s {n / seconds:9,.0f} rec/s "
          f"{mb / seconds:6.1f} MB/s  {status}")
    if path.suffix == ".bib" and importlib.util.find_spec("bibtexparser") is not None:
        import bibtexparser  # optional comparison only

        sample, n_sample = _replicate_bib(text, 1)
        start = time.perf_counter()
        bibtexparser.loads(sample)
        other = time.perf_counter() - start
        print(f"{'  bibtexparser (litstudy) on one copy':<48} {'':<11} {n_sample:>7} records {other:7.2f} s "
              f"{n_sample / other:9,.0f} rec/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5000, help="minimum records per timed file")
    args = parser.parse_args()
    print(f"reading files replicated to >= {args.records} records (decode + detect + parse)")
    for folder in ("scopus-bibtex", "wos-bibtex", "scopus-csv"):
        for path in sorted((CORPORA / folder).glob("*")):
            bench(path, f"{folder}/{path.name}", args.records)
    bench(POP_FIXTURE, "fixture: pop_full.csv", args.records)


if __name__ == "__main__":
    main()
