"""The "replaced with U+FFFD" warning means bytes were invalid, not that the text holds U+FFFD.

A valid file may carry U+FFFD as data (a vendor's own damaged title, copied on); that is
no decoding problem of ours. Files are written here byte by byte, so the invalid byte is
exactly where the test puts it. Whole-file reads and the block-by-block path for large
files must agree.
"""
from __future__ import annotations

import codecs

import pytest

from bibliomap.io import encoding, read
from bibliomap.io.read import read_file

_HEADER = "Rank,Publication ID,Title,Publication date,PubYear\r\n"


def _rows(n: int = 40, title: str = "Fungi of the Alps") -> str:
    return "".join(f"{i},pub.11990{i:05d},{title} {i},2020-01-01,2020\r\n" for i in range(1, n + 1))


@pytest.fixture(params=["whole", "streamed"])
def mode(request, monkeypatch):
    if request.param == "streamed":
        monkeypatch.setattr(read, "STREAM_BYTES", 0)
        monkeypatch.setattr(encoding, "_BLOCK", 256)  # many blocks: a bad byte far from the head
    return request.param


def _replaced(res) -> list[str]:
    return [w for w in res.warnings if "U+FFFD" in w]


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8])
def test_literal_replacement_character_in_valid_utf8_draws_no_warning(tmp_path, mode, bom):
    path = tmp_path / "dimensions_literal_fffd.csv"
    path.write_bytes(bom + (_HEADER + _rows(title="Caf\ufffd culture")).encode("utf-8"))
    res = read_file(path)
    assert res.error is None and len(res.records) == 40
    assert res.records[0]["title"] == "Caf\ufffd culture 1"  # kept as the data it is
    assert res.warnings == []


def test_invalid_byte_after_a_bom_still_warns_with_the_file_name(tmp_path, mode):
    path = tmp_path / "dimensions_bad_byte.csv"
    body = (_HEADER + _rows()).encode("utf-8").replace(b"Alps 33", b"Alps \xff33")
    path.write_bytes(codecs.BOM_UTF8 + body)
    res = read_file(path)
    assert res.error is None and len(res.records) == 40
    assert _replaced(res) == [f"{path}: invalid utf-8-sig byte sequences replaced with U+FFFD"]
    assert res.records[32]["title"] == "Fungi of the Alps \ufffd33"


def test_literal_and_invalid_together_warn_once(tmp_path, mode):
    path = tmp_path / "dimensions_both.csv"
    body = (_HEADER + _rows(title="Caf\ufffd")).encode("utf-8").replace(b"Caf\xef\xbf\xbd 7", b"Caf\xc3 7")
    path.write_bytes(codecs.BOM_UTF8 + body)
    assert len(_replaced(read_file(path))) == 1


def test_invalid_utf16_warns(tmp_path, mode):
    path = tmp_path / "dimensions_utf16.csv"
    path.write_bytes((_HEADER + _rows()).encode("utf-16") + b"\x00\xd8")  # a lone high surrogate at the end
    res = read_file(path)
    assert _replaced(res) == [f"{path}: invalid utf-16 byte sequences replaced with U+FFFD"]


def test_invalid_byte_without_bom_is_the_cp1252_fallback(tmp_path, mode):
    path = tmp_path / "dimensions_cp1252.csv"
    path.write_bytes((_HEADER + _rows()).encode("utf-8").replace(b"Alps 5,", b"Alps\xe9 5,"))
    res = read_file(path)
    assert res.encoding == "cp1252" and _replaced(res) == []
    assert res.warnings == [f"{path}: not valid UTF-8: decoded as cp1252; check accented characters"]


def test_decode_and_scan_agree_on_literal_replacement_characters(tmp_path):
    data = "a,b\r\n\ufffd,\ufffd\r\n".encode("utf-8")
    assert encoding.decode(data)[2] is None
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    assert encoding.scan_encoding(path) == ("utf-8", None)
