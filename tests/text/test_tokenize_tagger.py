"""Tokenizer, sentence splitter and the shipped tagger."""
from __future__ import annotations

from bibliomap.text.tagger import UPOS, default_tagger
from bibliomap.text.tokenize import split_sentences, tokenize


def test_tokens_follow_treebank_conventions_and_keep_offsets():
    text = "We don't use real-time GANs (e.g. StyleGAN) in the U.S. with 3.5% accuracy."
    toks = tokenize([text])
    assert toks.words == ["We", "do", "n't", "use", "real", "-", "time", "GANs", "(", "e.g.", "StyleGAN", ")",
                          "in", "the", "U.S.", "with", "3.5", "%", "accuracy", "."]
    for w, a, b in zip(toks.words, toks.starts, toks.ends):
        assert text[a:b] == w or (w == "do" and text[a:b] == "do")


def test_sentence_split_respects_abbreviations_and_texts():
    assert split_sentences("Deep learning (DL) works. It is fast, i.e. good. Smith et al. found it. See Fig. 2 now! "
                           "COVID-19 is a disease.") == [
        "Deep learning (DL) works.", "It is fast, i.e. good.", "Smith et al. found it.", "See Fig. 2 now!",
        "COVID-19 is a disease."]
    toks = tokenize(["First text", None, "Second text. Another one."])
    assert toks.sentences() == [["First", "text"], ["Second", "text", "."], ["Another", "one", "."]]
    assert toks.text_index.tolist() == [0, 0, 2, 2, 2, 2, 2, 2]


def test_shipped_tagger_tags_simple_sentences():
    tagger = default_tagger()
    assert tagger.tag("The artificial neural network is highly accurate .".split()) == [
        "DET", "ADJ", "ADJ", "NOUN", "AUX", "ADV", "ADJ", "PUNCT"]
    tags = tagger.tag("We propose a new method for image segmentation .".split())
    assert tags[0] == "PRON" and tags[1] == "VERB" and tags[4] == "NOUN" and tags[5] == "ADP"
    assert tags[6:8] == ["NOUN", "NOUN"]
    assert set(UPOS) >= set(tags)


def test_tagger_is_deterministic_and_batch_independent():
    tagger = default_tagger()
    s1 = "Results show that the proposed model outperforms baselines .".split()
    s2 = "Protein folding remains hard .".split()
    alone = tagger.tag(s1)
    import numpy as np

    both = tagger.tag_ids(s2 + s1, np.array([0, len(s2), len(s2) + len(s1)]))
    assert [UPOS[i] for i in both[len(s2):]] == alone
