"""Reference keys computed for many references at once equal the one-by-one keys.

Reading computes a chunk's reference keys in one compiled pass over its Arrow column
(``reference_keys_array``, issue #2), leaving to Python only references the pass cannot
key byte by byte (non-ASCII digits or letters where they matter, Unicode whitespace,
OpenAlex works). These tests compare it with ``uncached_reference_key`` on every
reference of the real corpora, in every style, on hand-made hard cases, and through
ingest (``finalize_record(defer_keys=True)`` + the chunk's Arrow column).
"""
from __future__ import annotations

import pyarrow as pa
import pytest

import bibliomap
from bibliomap.corpus import finalize, references
from bibliomap.io import ingest
from bibliomap.io.read import read_file

STYLES = ("wos", "scopus", "generic")


@pytest.mark.parametrize("style", STYLES)
def test_batch_keys_equal_python_keys_on_every_real_reference(real_references, style):
    texts = [t for t, _ in real_references]
    got = references.reference_keys_array(pa.array(texts), style, compiled=True).to_pylist()
    expected = [references.uncached_reference_key(t, style) for t in texts]
    wrong = [(t, g, e) for t, g, e in zip(texts, got, expected) if g != e]
    assert not wrong, wrong[:5]
    assert sum(k is not None for k in got) > len(texts) // (3 if style != "generic" else 5)  # most have a key


def test_batch_keys_in_the_readers_style(real_references):
    for style in ("wos", "scopus"):
        texts = [t for t, s in real_references if s == style]
        assert len(texts) > 10_000
        got = references.reference_keys_array(pa.array(texts), style, compiled=True).to_pylist()
        assert got == [references.uncached_reference_key(t, style) for t in texts]


HARD = [
    "Aria M, 2017, J INFORMETR, V11, P959, DOI 10.1016/j.joi.2017.08.007",
    "Nolte E., 2004, J EPIDEMIOL COMMUN H, V58, P326, DOI DOI 10.1136/JECH.2003.011817",
    "Müller K, 2001, ÉCOL MODEL, V12, PA34",
    "Smith J, 20\u0661\u0667, NATURE, V1, P2",  # Arabic-Indic digits: a year for re's \d
    "Smith J, 2017, NATURE, V\u0661, P2",
    "Smith J, 2017, \u00c9cole, P2",
    "Smith J, 2017, Ecole\u00a0Normale, V3",  # no-break space
    "Smith J A B C D, 2017, X, V1, P1",
    "[Anonymous], 2017, X, V1, P1",
    "1999, NATURE, V1, P2",
    "W123456",
    "https://openalex.org/W42",
    "openalex:W7",
    "W\u0661\u0662",
    "DOI 10.1000/\u00c4BC.",
    "doi 10.\u0661\u0662\u0663\u0664/abc",
    "Aria, M., Cuccurullo, C., Bibliometrix (2017) Journal of Informetrics, 11 (4), pp. 959-975",
    "Aria M.; Cuccurullo C.; Bibliometrix, Journal of Informetrics, 11, 4, pp. 959-975, (2017)",
    "Aria M.; Title (2015) again, Journal, 11, 4, pp. 9-10, (2017).",
    "Aria, M., Title (20\u0661\u0667) Journal, 11",
    "Aria, M., Title (2017) Journal, \u0661\u0661 (4), pp. 5",
    "Aria M.; Title, Journal, \u0661\u0661, pp. 959-975, (2017)",
    "Aria, M., Title (2017) Journal, 11, \u00e9pp. 959",
    "Aria, M., Title (2017) Journal, 11, pp. \u0669\u0665",
    "Aria, M., Title (2017) Journal, 11, app. 959, pp. 12",
    "Aria, M., Title (2017) \ufb01eld Journal, 11, pp. 12",  # ligature: NFKD gives 'fi'
    "\u00c5str\u00f6m, K., Title (2017) J, 1, p. 2",
    "A B C D E, Title (2017) J, 1, p. 2",
    "(2000) Highway capacity manual, , National Academy of Sciences",
    "",
    "  Aria ,  M. , Title  (2017)  Journal ,  11  , pp.  959",  # spaces not collapsed
    "Aria\x1cM, 2017, J, V1, P2",
]


@pytest.mark.parametrize("style", STYLES)
def test_batch_keys_on_hard_cases(style):
    got = references.reference_keys_array(pa.array(HARD), style, compiled=True).to_pylist()
    assert got == [references.uncached_reference_key(t, style) for t in HARD]
    sliced = pa.array(["x"] + HARD)[1:]  # an array that starts inside its buffers
    assert references.reference_keys_array(sliced, style, compiled=True).to_pylist() == got


def test_batch_keys_of_nulls_and_empty_arrays():
    assert references.reference_keys_array(pa.array([], type=pa.string()), "wos").to_pylist() == []
    got = references.reference_keys_array(pa.array(["Aria M, 2017, J INFORMETR, V11, P959", None]), "wos").to_pylist()
    assert got == ["ref:aria|2017|v11|p959", None]


def _raw_records(path):
    return read_file(path).records


@pytest.mark.parametrize("folder,style", [("wos-bibtex", "wos"), ("scopus-bibtex", "scopus"), ("wos-plaintext", "wos"), ("scopus-csv", "scopus")])
def test_ingest_keys_equal_python_keys(corpora, folder, style):
    for path in sorted((corpora / folder).iterdir()):
        table = bibliomap.read(path).table
        refs = table.column("references").to_pylist()
        keys = table.column("reference_keys").to_pylist()
        assert sum(map(len, refs)) > 200
        for r, k in zip(refs, keys):
            assert k == [references.uncached_reference_key(t, style) for t in r]


def test_deferred_keys_mixed_styles_and_reader_keys(corpora):
    """A chunk whose records differ in style, or supply their own keys, is keyed record by record."""
    wos = _raw_records(corpora / "wos-bibtex" / "mcda_wos.bib")[:20]
    scopus = _raw_records(corpora / "scopus-bibtex" / "scopus.bib")[:20]
    supplied = dict(wos[0], references=["a ref", "another"], reference_keys=["doi:10.1/a", None])
    records = [finalize.finalize_record(dict(r), defer_keys=True) for r in wos + scopus + [supplied]]
    assert records[0][finalize.KEYS_PENDING] == "wos" and records[0]["reference_keys"] == []
    assert finalize.KEYS_PENDING not in records[-1]
    table = ingest._records_table(records)
    keys = table.column("reference_keys").to_pylist()
    refs = table.column("references").to_pylist()
    styles = ["wos"] * 20 + ["scopus"] * 20
    for r, k, s in zip(refs, keys, styles):
        assert k == [references.uncached_reference_key(t, s) for t in r]
    assert keys[-1] == ["doi:10.1/a", None]
    # one style: the chunk's Arrow column, same keys as finalizing one by one
    batch = ingest._records_table([finalize.finalize_record(dict(r), defer_keys=True) for r in wos])
    one_by_one = bibliomap.Corpus.from_records([finalize.finalize_record(dict(r)) for r in wos]).table
    assert batch.equals(one_by_one)


_PIECES = [",", ", ", ";", "; ", "(", ")", ".", " ", "p", "pp. ", "p. ", "P", "V", "DOI ", "W", "/", "[", "-", "_", "'", "10.",
           "1", "5", "9", "0", "2017", "(2017)", "(1999a)", "V12", "P34", "PA3", "é", "É", "\u0661", "\uff11", "\u00a0", "\u2009",
           "\u0130", "\u212a", "\x1c", "\t", "ß", "\ufb01", "\u0301", "\u0085", "\u3000", "openalex:", "https://openalex.org/", "a", "Z"]


def _perturbed(rng, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 5)):
        pos = rng.randint(0, len(chars))
        op = rng.random()
        if op < 0.45:
            chars[pos:pos] = [rng.choice(_PIECES)]
        elif chars:
            pos = min(pos, len(chars) - 1)
            if op < 0.75:
                del chars[pos]
            else:
                chars[pos] = rng.choice(_PIECES)
    return "".join(chars)


@pytest.mark.parametrize("style", ["wos", "scopus"])
def test_batch_keys_on_perturbed_real_references(real_references, style):
    """Real references with characters inserted, deleted or replaced (digits, separators,
    non-ASCII letters and digits, Unicode spaces, controls) key as in Python."""
    import random

    rng = random.Random(7)
    pool = [t for t, _ in real_references]
    texts = [_perturbed(rng, rng.choice(pool)) for _ in range(15_000)]
    texts += [" ".join(t.split()) for t in texts[:5_000]]
    got = references.reference_keys_array(pa.array(texts), style, compiled=True).to_pylist()
    wrong = [(t, g, e) for t, g in zip(texts, got) if g != (e := references.uncached_reference_key(t, style))]
    assert not wrong, wrong[:5]


def test_small_inputs_take_the_python_path_until_an_earlier_run_compiled_the_scan(monkeypatch):
    """A first run on an ordinary export does not pay seconds of compiling for a scan that saves
    milliseconds; once the scan is in numba's cache, it is used at any size."""
    texts = ["Aria M, 2017, J INFORMETR, V11, P959", "Cuccurullo C, 2016, SCIENTOMETRICS, V108, P595"]
    calls = []

    def scan(*args):
        calls.append(args)
        raise AssertionError("the compiled scan was called")

    monkeypatch.setattr(references, "_compiled_scan", lambda: scan)
    monkeypatch.setattr(references, "in_numba_cache", lambda *kernels: False)
    assert references.reference_keys_array(pa.array(texts), "wos").to_pylist() == references.reference_keys(texts, "wos")
    assert not calls
    monkeypatch.setattr(references, "in_numba_cache", lambda *kernels: True)
    with pytest.raises(AssertionError, match="compiled scan"):
        references.reference_keys_array(pa.array(texts), "wos")
