"""Inline markup in titles and abstracts: IEEE's <sup>/<sub>/<italic>, Crossref's and Lens's JATS.

Databases pass typographic markup through ("CO<sub>2</sub> capture", "<jats:p>We ...").
Left in, it shows as literal tags in tables and reports and becomes terms ("sup", "italic").
Only known markup tags are removed, keeping what they enclose, so text such as "a < b"
or "x<y>z" in a formula is left alone. A paragraph tag becomes a space.
"""
from __future__ import annotations

import re

#: Inline and paragraph tags of HTML, IEEE Xplore and JATS (any ``jats:``/``mml:`` element).
_INLINE = r"sup|sub|inf|i|b|u|em|strong|italic|bold|sc|underline|span|tex|inline-formula|disp-formula|math"
_TAG = re.compile(rf"</?(?:{_INLINE}|(?:jats|mml):[a-z][a-z0-9-]*)(?:\s[^<>]*)?/?>", re.IGNORECASE)
_BLOCK = re.compile(r"</?(?:jats:)?(?:p|br|div|title|sec|abstract)(?:\s[^<>]*)?/?>", re.IGNORECASE)


def strip_markup(text: str) -> str:
    """``text`` without markup tags (content kept; paragraph breaks become spaces)."""
    if "<" not in text:
        return text
    text = _BLOCK.sub(" ", text)
    return " ".join(_TAG.sub("", text).split())
