"""The compiled tokenizer agrees with its specification (the regular expression and the Python
sentence splitter in ``tokenize.reference_tokenize``) on real texts and on mutated ones."""
from __future__ import annotations

import random

import numpy as np
import pytest

import bibliomap
from bibliomap.text import tokenize as tk

REAL = ["pubmed-medline/pubmed.txt", "wos-bibtex/wos.bib", "scopus-bibtex/scopus.bib", "scopus-csv/litstudy_scopus.csv",
        "demo/ieee_1.csv"]

#: characters and pieces that exercise every rule: URLs, e-mails, abbreviations, clitics, hyphens,
#: case folds (ſ, K, İ), other planes, combining marks, paragraph breaks
PIECES = list(" \n\t\r.,;:!?()[]{}'\"’‘“”-_@/+<>…‐\u00a0éßİıſK中ﬁ0123456789aAnNtTsSwhpeé") + [
    "n't", "N’T", "http://", "https://a", "www.", "e.g.", "i.e", "et al.", "ETC. ", "Fig. 2", "'s", "’RE", "\n\n",
    "𝐀", "😀", "\u0300", "a.b@c.d", "U.S.", "3.5", "1,000", "No.Ph.D.", "...", "--", "__"]


def _texts(corpora) -> list[str]:
    out: list[str] = []
    for rel in REAL:
        corpus = bibliomap.read(corpora / rel)
        for field in ("title", "abstract"):
            out.extend(t for t in corpus.values(field) if isinstance(t, str))
    return out


@pytest.fixture(autouse=True)
def _always_compiled(monkeypatch) -> None:
    """Use the compiled scanner whatever the input's size."""
    monkeypatch.setattr(tk, "COMPILED_MIN_CODE_POINTS", 0)


def _assert_same(texts: list[str | None]) -> None:
    fast = tk.tokenize(texts)
    words, starts, ends, text_index, sentence_starts = tk.reference_tokenize(texts)
    assert fast.words == words
    assert fast.starts.tolist() == starts
    assert fast.ends.tolist() == ends
    assert fast.text_index.tolist() == text_index
    assert fast.sentence_starts.tolist() == sentence_starts


def test_real_texts_tokenize_as_specified(corpora) -> None:
    texts = _texts(corpora)
    assert len(texts) > 1000
    _assert_same(texts)


def test_mutated_texts_tokenize_as_specified(corpora) -> None:
    rng = random.Random(20)
    texts = _texts(corpora)
    for _ in range(1500):
        chars = list(rng.choice(texts)[: rng.randint(0, 400)])
        for _ in range(rng.randint(1, 40)):
            at = rng.randint(0, len(chars))
            chars[at:at + rng.randint(0, 3)] = [rng.choice(PIECES)]
        text = "".join(chars)
        try:
            _assert_same([text])
        except AssertionError:
            pytest.fail(f"tokenize differs from its specification on {text!r}")


def test_small_batches_share_word_types(monkeypatch) -> None:
    """Texts split over several batches keep one type per distinct string, and the tables grow."""
    monkeypatch.setattr(tk, "_BATCH_CODE_POINTS", 50)
    texts = [f"Word{i % 7} and more words {i}. Next sentence here" for i in range(20000)]
    toks = tk.tokenize(texts)
    assert len(toks.vocabulary) == len(set(toks.vocabulary))
    assert [toks.vocabulary[t] for t in toks.types.tolist()] == tk.reference_tokenize(texts)[0]
    assert len(toks.vocabulary) > 1 << 14  # beyond the first table size: grown on the way


def test_empty_inputs() -> None:
    toks = tk.tokenize([None, "", "   "])
    assert len(toks) == 0 and toks.sentence_starts.tolist() == [0]
    assert toks.types.dtype == np.int64


def test_small_inputs_by_regex_agree(corpora, monkeypatch) -> None:
    """Below the size threshold the regular expression tokenizes, with the same result."""
    texts = _texts(corpora)[:300]
    compiled = tk.tokenize(texts)
    monkeypatch.setattr(tk, "COMPILED_MIN_CODE_POINTS", 10**12)
    by_regex = tk.tokenize(texts)
    assert by_regex.words == compiled.words
    assert by_regex.vocabulary == compiled.vocabulary
    assert np.array_equal(by_regex.types, compiled.types)
    assert np.array_equal(by_regex.sentence_starts, compiled.sentence_starts)
