"""Large CSV exports are streamed block by block, with the same records as a whole-file read."""
from __future__ import annotations

import json

import pytest

from bibliomap.io import encoding, read
from bibliomap.io.read import read_file


def _csv_files(corpora, fixtures):
    real = sorted(p for p in corpora.rglob("*.csv"))
    own = sorted(p for p in fixtures.rglob("*.csv"))
    return real + own


def _fingerprint(result):
    return json.dumps({"format": result.format, "encoding": result.encoding, "records": result.records,
                       "rejected": [r.to_dict() for r in result.rejected], "warnings": result.warnings,
                       "error": result.error}, sort_keys=True, default=str)


def test_streamed_csv_reads_give_the_same_records(corpora, fixtures, monkeypatch):
    files = _csv_files(corpora, fixtures)
    whole = {f: _fingerprint(read_file(f)) for f in files}
    monkeypatch.setattr(read, "STREAM_BYTES", 0)
    monkeypatch.setattr(encoding, "_BLOCK", 4096)  # many blocks, lines and quoted cells across block ends
    streamed_formats = set()
    for f in files:
        res = read_file(f)
        assert _fingerprint(res) == whole[f], f
        if read.REGISTRY.get(res.format) is not None and read.REGISTRY[res.format].streams:
            streamed_formats.add(res.format)
    assert {"scopus_csv", "ieee_csv", "lens_csv", "openalex_csv", "springer_csv"} <= streamed_formats


def test_streamed_reader_holds_only_the_head(corpora, monkeypatch):
    seen = []
    original = read._run

    def spy(path, spec, source, warnings, on_record):
        seen.append((source.streamed, len(source.text)))
        return original(path, spec, source, warnings, on_record)

    monkeypatch.setattr(read, "STREAM_BYTES", 0)
    monkeypatch.setattr(read, "_HEAD_BYTES", 2048)
    monkeypatch.setattr(read, "_run", spy)
    res = read_file(corpora / "scopus-csv" / "litstudy_scopus.csv")
    assert res.error is None and len(res.records) == 58
    assert seen == [(True, seen[0][1])] and seen[0][1] <= 2048


@pytest.mark.parametrize("enc", ["utf-16", "cp1252"])
def test_streamed_encodings_match_whole_file_decoding(tmp_path, enc, monkeypatch):
    text = "Title,Authors,Year\n" + "".join(f'"Caf\u00e9 na\u00efve study {i}","M\u00fcller, A.",2020\n' for i in range(500))
    path = tmp_path / "x.csv"
    path.write_bytes(text.encode(enc))
    decoded, denc, dwarn = encoding.decode(path.read_bytes())
    monkeypatch.setattr(encoding, "_BLOCK", 1000)
    assert encoding.scan_encoding(path) == (denc, dwarn)
    assert "".join(encoding.stream_lines(path, denc)) == decoded
