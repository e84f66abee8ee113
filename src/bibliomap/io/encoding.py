"""Decoding export files: BOMs, UTF-16 without BOM, and a reported cp1252 fallback."""
from __future__ import annotations

import codecs

_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


def detect_encoding(data: bytes) -> str:
    """Guess the encoding of ``data``: BOM, then UTF-16 by NUL pattern, UTF-8, else cp1252."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc
    head = data[:4000]
    if len(head) >= 4:
        even_nuls = head[0::2].count(0)
        odd_nuls = head[1::2].count(0)
        half = len(head) / 2
        if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
            return "utf-16-le"
        if even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
            return "utf-16-be"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def decode(data: bytes) -> tuple[str, str, str | None]:
    """Decode bytes; returns (text, encoding, warning or None).

    The warning says when the cp1252/Latin-1 fallback was used, so the ingest
    report can tell the user that characters may be wrong.
    """
    enc = detect_encoding(data)
    if enc == "cp1252":
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            enc = "latin-1"
        return _clean(text), enc, f"not valid UTF-8: decoded as {enc}; check accented characters"
    text = data.decode(enc, errors="replace")
    warning = None
    if "\ufffd" in text:
        warning = f"invalid {enc} byte sequences replaced with U+FFFD"
    return _clean(text), enc, warning


def _clean(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    return text
