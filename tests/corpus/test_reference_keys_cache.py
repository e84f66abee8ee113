"""The fast roads of reading agree with the general ones on every real file.

Reading takes shortcuts where it spends its time (issue #2): reference keys for the
'wos' and 'scopus' styles without building parse dicts, memoized keys, text a BibTeX
reader marks as already clean (so finalizing does not clean it again), and BibTeX
tokenizer and cleaning fast paths. Each test runs the shortcut and the general road
on the real corpora (or checks the shortcut's premise there) and compares them.
"""
from __future__ import annotations

import re

import pytest

from bibliomap.corpus import references
from bibliomap.corpus.finalize import TEXT_CLEAN
from bibliomap.io.encoding import decode
from bibliomap.io.read import read_file
from bibliomap.io.readers import bibtex
from bibliomap.io.readers.base import Source

STYLES = ("wos", "scopus", "generic")


@pytest.fixture(scope="module")
def bib_sources(corpora) -> list[tuple[str, str]]:
    """(path, decoded text) of every real BibTeX export."""
    out = [(str(p), decode(p.read_bytes())[0]) for p in sorted(corpora.glob("*/*.bib"))]
    assert len(out) >= 4
    return out


def test_fast_keys_equal_the_general_parser_in_every_style(real_references):
    # every reference is tried in each style, so each fast road meets other formats too
    n_keys = 0
    for text, _ in real_references:
        for style in STYLES:
            key = references.uncached_reference_key(text, style)
            assert key == references.parse_reference(text, style)["key"], (style, text)
            n_keys += key is not None
    assert n_keys > 50_000


def test_memoized_keys_equal_computed_ones(real_references):
    caches = (references._cached_key, references._cached_wos_key)  # (Scopus keys are not memoized)
    for cache in caches:
        cache.cache_clear()
    twice = real_references + real_references[::-1]  # the second pass is served from the caches
    cached = [references.clean_reference_key(t, s) for t, s in twice]
    n_scopus = sum(s == "scopus" for _, s in real_references)
    assert sum(c.cache_info().hits for c in caches) >= len(real_references) - n_scopus > 10_000
    assert all(c.cache_info().currsize for c in caches)  # each cache was used
    assert cached == [references.uncached_reference_key(t, s) for t, s in twice]
    assert cached[: len(real_references)] == [references.reference_key(t, s) for t, s in real_references]
    by_style: dict[str, list[str]] = {}
    for t, s in real_references:
        by_style.setdefault(s, []).append(t)
    for style in STYLES:  # the list form, per style, as finalizing calls it
        texts = by_style.get(style, []) + [t for t, _ in real_references[:500]]
        assert references.reference_keys(texts, style) == [references.uncached_reference_key(t, style) for t in texts]


def test_fast_keys_on_edge_cases():
    cases = {
        ("Aria M, 2017, J INFORMETR, V11, P959, DOI 10.1016/J.JOI.2017.08.007.", "wos"): "doi:10.1016/j.joi.2017.08.007",
        ("[Anonymous], 2010, NATURE, V464, P1", "wos"): None,
        ("2010, NATURE, V464, P1", "wos"): None,
        ("Aria M, 20a7, J INFORMETR, V11, P959", "wos"): None,
        ("Aria M, 2017, J INFORMETR, V١١, PA959", "wos"): "ref:aria|2017|v١١|pa959",
        ("Aria, M., Title (2017) J, 11, pp. 959", "scopus"): "ref:aria|2017|v11|p959",
        ("Aria, M., Title (2017) Journal,", "scopus"): None,  # nothing after the source's comma: no source
        ("Aria, M., Title (2017) Journal of Informetrics, p. 9", "scopus"): "ref:aria|2017|sjou|p9",
        ("Aria, M., Title (2017) Journal, x, pp. 9", "scopus"): "ref:aria|2017|sjou|p9",
        ("Aria, M., Title, (2017)", "scopus"): None,
        ("Aria M.; Title, Journal, 11, 4, app. 9, pp. 959-975, (2017)", "scopus"): "ref:aria|2017|v11|p959",
        ("Aria M.; Music videos (2015) revisited, Journal, 11, 4, pp. 959-975, (2017)", "scopus"): "ref:aria|2017|v11|p959",
        ("Aria, M., Music videos (2015) revisited (2017) Journal, 11, pp. 959", "scopus"): "ref:aria|2015|v11|p959",
        ("Aria, M., Map p.p. 9 (2017) J, 11, pp. 959", "scopus"): "ref:aria|2017|v11|p9",
        ("Aria, M., Map app.x (2017) J, 11, pp. 959", "scopus"): "ref:aria|2017|v11|p959",
        ("Aria, M., Map ppp. 4 (2017) J, 11, pp. 959", "scopus"): "ref:aria|2017|v11|p959",
        ("Title only without a year", "scopus"): None,
        ("openalex:W42", "scopus"): "openalex:W42",
        ("https://openalex.org/W7", "wos"): "openalex:W7",
    }
    for (text, style), expected in cases.items():
        assert references.uncached_reference_key(text, style) == expected, text
        assert references.parse_reference(text, style)["key"] == expected, text


def test_scopus_page_shortcut_equals_its_pattern(real_references):
    texts = [t for t, _ in real_references] + ["app. 3 pp. 4", "ppp. 5", "_p. 6", "pp. 7", "x pp.", "ép. 8 (p. 9)"]
    for text in texts:
        m = references._PAGE_SCOPUS.search(text)
        fast = references._page_scopus(text)
        assert (m and m.group(1)) == (fast and fast.group(1)), text


def test_bibtex_text_marked_clean_is_clean(corpora, fixtures):
    def clean(v: object) -> bool:
        return isinstance(v, str) and v != "" and v == " ".join(v.split())

    marked = n_strings = 0
    for path in sorted(corpora.glob("*/*.bib")) + sorted(fixtures.glob("**/*.bib")):
        for rec in read_file(path).records:
            if rec.get(TEXT_CLEAN):
                marked += 1
                strings = [v for k, v in rec.items() if isinstance(v, str) and not k.startswith("_")]
                for k, v in rec.items():  # list items (references, keywords, affiliations, ...)
                    if isinstance(v, list) and not k.startswith("_"):
                        strings += [x for x in v if isinstance(x, str)]
                for a in rec["authors"]:
                    strings += [x for x in a.values() if isinstance(x, str)] + list(a.get("affiliations") or [])
                n_strings += len(strings)
                assert all(map(clean, strings)), (path, rec["provenance"], [x for x in strings if not clean(x)][:3])
    assert marked > 900 and n_strings > 50_000


def test_bibtex_field_fast_path_equals_the_general_path(bib_sources, monkeypatch):
    def entries(text: str, path: str) -> tuple[list, list, list]:
        source = Source(path=path, text=text, data=b"", encoding="utf-8", format="bibtex")
        return list(bibtex.iter_entries(source)), [r.to_dict() for r in source.rejected], source.warnings

    # the real files, and copies with broken pieces (unclosed braces, '#', '@', escapes) dropped in
    texts = []
    for path, text in bib_sources:
        texts.append((path, text))
        for k, junk in enumerate(["}", "{", " # x", "@", "\\{", "\n@misc{k,", '"', "\\"]):
            at = (k + 1) * len(text) // 11
            texts.append((path, text[:at] + junk + text[at:]))
    fast = [entries(t, p) for p, t in texts]
    monkeypatch.setattr(bibtex, "_SHORT_SIMPLE_FIELD_COMMA", re.compile(r"(?!)(x)(y)"))  # never matches
    monkeypatch.setattr(bibtex, "_braced_field_comma", lambda text, pos: None)
    general = [entries(t, p) for p, t in texts]
    assert fast == general
    assert sum(len(e[0]) for e in fast) > 4 * 900


def test_bibtex_cleaning_shortcuts_equal_their_definitions(bib_sources):
    assert set(bibtex.NON_SPACE_WHITESPACE) == {c for c in map(chr, range(0x110000)) if c.isspace() and c != " "}
    values = ["a\u2028b", " a", "a ", "a  b", "x" * 3000 + "\u00a0", "y" * 3000 + "  z", "\\textit{a}  b"]
    for _, text in bib_sources:
        source = Source(path="x.bib", text=text, data=b"", encoding="utf-8", format="bibtex")
        values += [v for _, _, _, _, fields in bibtex.iter_entries(source) for _, v in fields]
    for v in values:
        for verbatim in (False, True):
            assert bibtex._clean(v, verbatim) == " ".join(bibtex.decode_latex(v, verbatim).split())
        lines = [" ".join(bibtex.decode_latex(line, verbatim=True).split()) for line in v.split("\n")]
        assert bibtex._wos_references(v) == [r for r in (x[:-1].rstrip() if x.endswith(".") else x for x in lines) if r]
