"""Markup tags in titles and abstracts are removed, their content kept."""
from __future__ import annotations

from bibliomap.corpus.markup import strip_markup


def test_inline_and_jats_tags_removed_content_kept():
    assert strip_markup("CO<sub>2</sub> capture at 10<sup>-3</sup> K") == "CO2 capture at 10-3 K"
    assert strip_markup("<jats:p>We study <jats:italic>E. coli</jats:italic>.</jats:p><jats:p>Next.</jats:p>") == \
        "We study E. coli. Next."
    assert strip_markup('An <italic>in situ</italic> <inline-formula><tex>$\\alpha$</tex></inline-formula> test') == \
        "An in situ $\\alpha$ test"
    assert strip_markup("Line one<br/>line two") == "Line one line two"


def test_text_that_only_looks_like_markup_is_kept():
    for text in ("a < b and c > d", "x<y>z holds", "Plain text", "<unknown>tag</unknown> stays"):
        assert strip_markup(text) == text
