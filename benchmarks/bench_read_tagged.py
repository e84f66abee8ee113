"""Read speed of the tagged-text readers (WoS plain text and tab-delimited, MEDLINE, RIS).

Run: python benchmarks/bench_read_tagged.py [--records N]
Each real file of these formats is replicated into a temporary file of at least N
records (default 20,000) and read with read_file (decode + detect + parse); the
figures printed are records per second end to end, by wall clock and by CPU
time of this process (the latter is steadier on a shared machine). WoS tab-delimited has no real
file in the corpora, so it is made from the WoS plain-text files with the test
fixture converter (labelled "converted").
"""
from __future__ import annotations

import argparse
import codecs
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

from bibliomap.io.encoding import decode
from bibliomap.io.read import read_file

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
CONVERTER = ROOT / "tests" / "fixtures" / "tagged" / "make_wos_tab.py"
DIRS = {"wos-plaintext": "PT ", "pubmed-medline": "PMID- ", "ris": "TY  - "}


def _count(text: str, start: str) -> int:
    return sum(1 for line in text.splitlines() if line.startswith(start))


def _replicate(text: str, n_per_copy: int, target: int) -> tuple[str, int]:
    copies = max(1, -(-target // max(n_per_copy, 1)))
    sep = "" if text.endswith("\n") else "\n"
    return (text + sep + "\n") * copies, copies * n_per_copy


def bench(path: Path, label: str, expected: int) -> None:
    start, cpu_start = time.perf_counter(), time.process_time()
    res = read_file(path)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    if res.error:
        print(f"{label}: ERROR {res.error}")
        return
    ok = "" if res.n_read == expected else f"  (read {res.n_read}, expected {expected}!)"
    size_mb = path.stat().st_size / 1e6
    print(f"{label:<48} {res.format:<14} {len(res.records):>8,} records {size_mb:>7.1f} MB "
          f"{elapsed:>6.2f} s {len(res.records) / elapsed:>9,.0f} records/s (CPU {cpu:.2f} s: "
          f"{len(res.records) / cpu:,.0f} records/s){ok}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20000, help="minimum records per timed file")
    args = parser.parse_args()
    if not CORPORA.is_dir():
        print(f"corpora not found at {CORPORA}", file=sys.stderr)
        return 2
    spec = importlib.util.spec_from_file_location("make_wos_tab", CONVERTER)
    converter = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(converter)
    with tempfile.TemporaryDirectory() as tmp:
        for folder, start in DIRS.items():
            for path in sorted((CORPORA / folder).iterdir()):
                text, _, _ = decode(path.read_bytes())
                n = _count(text, start)
                big, total = _replicate(text, n, args.records)
                out = Path(tmp) / f"x{path.name}"
                out.write_text(big, encoding="utf-8")
                bench(out, f"{folder}/{path.name} ({n} x {total // n})", total)
                if folder == "wos-plaintext":
                    tab = converter.plaintext_to_tab(text)
                    header, _, rows = tab.partition("\r\n")
                    copies = -(-args.records // n)
                    tab_path = Path(tmp) / f"tab-{path.name}"
                    tab_path.write_bytes(codecs.BOM_UTF16_LE + (header + "\r\n" + rows * copies).encode("utf-16-le"))
                    bench(tab_path, f"converted wos_tab {path.name} UTF-16 ({n} x {copies})", n * copies)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
