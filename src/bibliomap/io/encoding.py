"""Decoding export files: BOMs, UTF-16 without BOM, and a reported cp1252 fallback."""
from __future__ import annotations

import codecs
import os
from collections.abc import Iterator

_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


def _declared_encoding(head: bytes) -> str | None:
    """The encoding a BOM declares, or UTF-16 recognized by its NUL pattern; None otherwise."""
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return enc
    head = head[:4000]
    if len(head) >= 4:
        even_nuls = head[0::2].count(0)
        odd_nuls = head[1::2].count(0)
        half = len(head) / 2
        if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
            return "utf-16-le"
        if even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
            return "utf-16-be"
    return None


def detect_encoding(data: bytes) -> str:
    """Guess the encoding of ``data``: BOM, then UTF-16 by NUL pattern, UTF-8, else cp1252."""
    enc = _declared_encoding(data)
    if enc is not None:
        return enc
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def _fallback_warning(enc: str) -> str:
    return f"not valid UTF-8: decoded as {enc}; check accented characters"


def _replaced_warning(enc: str) -> str:
    """Said only when a strict decode failed and invalid bytes really were replaced."""
    return f"invalid {enc} byte sequences replaced with U+FFFD"


def decode(data: bytes) -> tuple[str, str, str | None]:
    """Decode bytes; returns (text, encoding, warning or None).

    The warning says when the cp1252/Latin-1 fallback was used, or when invalid
    byte sequences had to be replaced, so the ingest report can tell the user that
    characters may be wrong. A U+FFFD already present in valid text is data, not
    damage, so it draws no warning: only a failed strict decode does. UTF-8 is
    validated and decoded in one pass.
    """
    enc = _declared_encoding(data)
    if enc is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            enc = "cp1252"
        else:
            return _clean(text), "utf-8", None
    if enc == "cp1252":
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            enc = "latin-1"
        return _clean(text), enc, _fallback_warning(enc)
    try:
        return _clean(data.decode(enc)), enc, None
    except UnicodeDecodeError:
        return _clean(data.decode(enc, errors="replace")), enc, _replaced_warning(enc)


def _clean(text: str) -> str:
    """Text without a leading BOM, and with old-Mac CR-only line ends read as LF."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if cr_only(text):
        text = text.replace("\r", "\n")
    return text


def cr_only(text: str) -> bool:
    """Line ends are bare CRs (classic Mac OS exports): CRs and not a single LF."""
    return "\r" in text and "\n" not in text


#: Block size for scanning and streaming large files.
_BLOCK = 1 << 22


def _decodes(path: str | os.PathLike, enc: str) -> bool:
    """Whether the whole file decodes strictly as ``enc``, checked block by block.

    Strict, so that a U+FFFD written in the file itself is not mistaken for a
    replaced invalid byte (which is what the caller's warning is about).
    """
    decoder = codecs.getincrementaldecoder(enc)("strict")
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(_BLOCK), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def scan_encoding(path: str | os.PathLike) -> tuple[str, str | None]:
    """``decode``'s encoding and warning for a file, found without holding its text in memory."""
    with open(path, "rb") as f:
        head = f.read(4000)
    enc = _declared_encoding(head)
    if enc is not None:
        return enc, None if _decodes(path, enc) else _replaced_warning(enc)
    if _decodes(path, "utf-8"):
        return "utf-8", None
    enc = "cp1252" if _decodes(path, "cp1252") else "latin-1"
    return enc, _fallback_warning(enc)


def stream_lines(path: str | os.PathLike, enc: str) -> Iterator[str]:
    """The decoded lines of a file, ends kept, split at "\\n" only (as ``str.find`` on the whole
    text would), a leading BOM dropped; at most one block is in memory at a time."""
    with open(path, encoding=enc, errors="replace", newline="") as f:
        pending = ""
        first, old_mac = True, False
        for block in iter(lambda: f.read(_BLOCK), ""):
            if first:
                old_mac = cr_only(block)
                block, first = _clean(block), False
            elif old_mac:
                block = block.replace("\r", "\n")
            block = pending + block
            cut = block.rfind("\n") + 1
            pending = block[cut:]
            start = 0
            while start < cut:
                nl = block.index("\n", start) + 1
                yield block[start:nl]
                start = nl
        if pending:
            yield pending
