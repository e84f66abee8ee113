"""A seeded mutator over the real exports: every reader survives damaged input.

Each real file in ../shared/corpora is damaged in ways exports really get damaged (cut short,
bytes flipped, a cell or line deleted, separators broken, re-encoded, other line ends, a huge
field, deep nesting) and read through ``read_file`` and ``ingest``. No exception may escape,
no reader may fail with an internal error, the ingest report must account for every record,
and where only a cell was deleted no kept record may carry a value from another column.
"""
from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest

from bibliomap.io.ingest import expand_paths, ingest
from bibliomap.io.read import read_file

#: bytes of each real file the mutations work on (a cut keeps the suite fast; cuts are a mutation anyway)
HEAD = 60_000
SEED = 20261204


def _real_files(corpora: Path) -> list[Path]:
    files = expand_paths([str(p) for p in sorted(corpora.iterdir()) if p.is_dir()])
    return [f for f in files if read_file(f).error is None]


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, max(2, len(data)))]


def _flip(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(8):
        b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def _delete_line(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    if len(lines) > 2:
        del lines[rng.randrange(1, len(lines) - 1)]
    return b"\n".join(lines)


def _break_separators(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    for _ in range(3):
        i = rng.randrange(len(lines))
        a, b = rng.choice([(b",", b";"), (b"{", b""), (b"}", b""), (b"\t", b" "), (b"-", b"_"), (b'"', b""), (b"=", b":")])
        lines[i] = lines[i].replace(a, b, 1)
    return b"\n".join(lines)


def _reencode(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", errors="replace")
    return text.encode(rng.choice(["utf-16", "cp1252", "latin-1", "utf-8-sig"]), errors="replace")


def _line_ends(data: bytes, rng: random.Random) -> bytes:
    plain = data.replace(b"\r\n", b"\n")
    return plain.replace(b"\n", rng.choice([b"\r\n", b"\r", b"\n\n"]))


def _huge_field(data: bytes, rng: random.Random) -> bytes:
    i = data.find(b"\n", rng.randrange(len(data)))
    i = len(data) // 2 if i < 0 else i
    return data[:i] + b"x" * 2_000_000 + data[i:]


def _deep_nesting(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(data))
    opener = rng.choice([b"{", b"[", b"("])
    return data[:i] + opener * 20_000 + data[i:]


MUTATIONS = [_truncate, _flip, _delete_line, _break_separators, _reencode, _line_ends, _huge_field, _deep_nesting]


def _check(path: Path) -> None:
    res = read_file(path)
    assert res.error is None or "unexpected error" not in res.error, res.error
    assert res.n_read == len(res.records) + len(res.rejected)
    corpus = ingest([path])
    t = corpus.ingest_report["totals"]
    assert t["read"] == t["kept"] + t["duplicates"] + t["rejected"]
    assert len(corpus) == t["kept"]


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.__name__.strip("_") for m in MUTATIONS])
def test_every_reader_survives_damaged_real_exports(corpora, tmp_path, mutation):
    rng = random.Random(f"{SEED}-{mutation.__name__}")
    for k, src in enumerate(_real_files(corpora)):
        data = src.read_bytes()[:HEAD]
        damaged = tmp_path / f"{k:02d}{src.suffix}"
        damaged.write_bytes(mutation(data, rng))
        try:
            _check(damaged)
        except AssertionError as exc:
            raise AssertionError(f"{mutation.__name__} of {src.name} ({damaged}): {exc}") from exc


def _csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def test_deleted_cells_never_move_values_between_columns(corpora, tmp_path):
    rng = random.Random(SEED)
    csvs = [f for f in _real_files(corpora) if f.suffix == ".csv"]
    assert len(csvs) >= 6
    for k, src in enumerate(csvs):
        fields = ("year", "doi", "source_title", "times_cited")
        ref: dict[str, set[tuple]] = {}
        for r in read_file(src).records:  # a title may stand in several records
            ref.setdefault(r["title"], set()).add(tuple(r[f] for f in fields))
        rows = _csv_rows(src)
        for _ in range(3):
            victims = rng.sample(range(1, len(rows)), k=min(2, len(rows) - 1))
            broken = [list(r) for r in rows]
            for v in victims:
                if len(broken[v]) > 1:
                    del broken[v][rng.randrange(len(broken[v]))]
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerows(broken)
            damaged = tmp_path / f"{k:02d}.csv"
            damaged.write_text(buf.getvalue(), encoding="utf-8")
            res = read_file(damaged)
            for rec in res.records:
                assert rec["title"] in ref, (src.name, rec["title"])
                assert tuple(rec[f] for f in fields) in ref[rec["title"]], (src.name, rec["title"])
