"""Noun-phrase rules, copyright removal and unification."""
from __future__ import annotations

from bibliomap.text.nounphrases import noun_phrases, phrase_texts, remove_copyright
from bibliomap.text.tagger import default_tagger
from bibliomap.text.terms import phrase_occurrences
from bibliomap.text.tokenize import tokenize
from bibliomap.text.unify import unify


def nps(text: str) -> list[str]:
    toks = tokenize([text])
    tags = default_tagger().tag_ids(toks.words, toks.sentence_starts)
    return phrase_texts(toks, noun_phrases(toks, tags), [text])


def test_longest_noun_phrase_only():
    assert nps("The artificial neural network is highly accurate.") == ["artificial neural network"]


def test_prepositions_split_and_excluded_adjectives_never_inside():
    assert nps("The degrees of freedom were counted.") == ["degrees", "freedom"]
    found = nps("Several other neural networks and many different image features were compared.")
    assert "neural networks" in found and "image features" in found
    assert not any(w in p.lower().split() for p in found for w in ("several", "other", "many", "different"))


def test_hyphenated_words_stay_in_the_phrase():
    assert "real-time systems" in nps("We build real-time systems.")


def test_structured_labels_are_ignored_on_request():
    corpus = ["BACKGROUND: Obesity is common. METHODS: We surveyed patients. RESULTS: Obesity rates rose. "
              "CONCLUSION: Obesity matters."]
    with_labels = phrase_occurrences(corpus, fields=("abstract",), ignore_structured_labels=False)
    without = phrase_occurrences(corpus, fields=("abstract",), ignore_structured_labels=True)
    assert {"background", "method", "result", "conclusion"} <= set(with_labels.vocabulary)
    assert not {"background", "method", "result", "conclusion"} & set(without.vocabulary)
    assert "obesity" in without.vocabulary


def test_copyright_statements_removed():
    assert remove_copyright("We study X. (c) 2020 Elsevier Ltd. All rights reserved.") == "We study X."
    assert remove_copyright("© 2019 IEEE. We study X. More here.") == "We study X. More here."
    assert remove_copyright("We study Y. Copyright © 2019 Elsevier B.V. Published by Elsevier Ltd.") == "We study Y."
    assert remove_copyright("No statement here.") == "No statement here."
    occ = phrase_occurrences(["Graphene sensors detect gas. © 2020 Elsevier Ltd. All rights reserved."], fields=("abstract",))
    assert "elsevier ltd" not in occ.vocabulary and "right" not in occ.vocabulary and "graphene sensor" in occ.vocabulary


def test_unification():
    assert unify("Artificial Neural Networks") == "artificial neural network"
    assert unify("neural networks") == "neural network"
    assert unify("data analyses") == "data analysis"
    assert unify("networks analyses") == "networks analysis"  # only the last word is singularized
    assert unify("Schrödinger équations") == "schrodinger equation"
    assert unify("social media") == "social media" and unify("big data") == "big data"
    assert unify("GANs") == "gan" and unify("AIDS") == "aids"
    assert unify("real-time systems") == "real-time system"


def test_unification_singularizes_only_plurals():
    assert unify("High Performance Computing") == "high performance computing"  # not "compute"
    assert unify("NVIDIA") == "nvidia" and unify("OpenCL") == "opencl"  # unknown words without -s stay
    assert unify("evaluation criteria") == "evaluation criterion" and unify("matrices") == "matrix"
    assert unify("image processing") == "image processing" and unify("systems biology") == "systems biology"
    assert unify("multi\u2010criteria analyses") == "multi-criteria analysis"  # U+2010 hyphen


def test_unicode_hyphen_joins_words():
    assert nps("We use multi\u2010criteria analysis here.") == ["multi\u2010criteria analysis"]


def test_all_capital_names_are_nouns_in_mixed_case_sentences():
    found = nps("We apply ELECTRE TRI and the PROMETHEE II method to Basel II rules.")
    assert found == ["ELECTRE TRI", "PROMETHEE II method", "Basel II rules"]
    assert "NEW METHOD" in nps("THE NEW METHOD OF SORTING IS GOOD.")  # all-capital sentence: tags kept


def test_field_gerunds_join_noun_phrases_only_after_a_nominal():
    found = nps("We propose a deep learning approach based on machine learning. The method using data is learning.")
    assert "deep learning approach" in found and "machine learning" in found
    assert "method using data" not in found and "method" in found
    assert "programming model" in nps("We use a programming model.")


def test_third_person_verbs_before_a_determiner_end_the_phrase():
    for text, subject in [("This paper presents a new method for graph layout.", "paper"),
                          ("The new model outperforms the baseline.", "new model"),
                          ("Our study reviews the literature on sorting.", "study")]:
        found = nps(text)
        assert subject in found and not any(p.startswith(subject + " ") for p in found), (text, found)
    # plural nouns that are no verb forms stay inside the phrase
    assert "decision makers" in nps("We interviewed decision makers the following year.")


def test_headline_case_titles_are_tagged_like_running_text():
    from bibliomap.text.casing import headline_texts, tagging_types

    toks = tokenize(["Ultrasonic Tomography Using Wave Propagation in GPU Clusters", "A plain sentence about GPU work."])
    assert headline_texts(toks, 2).tolist() == [True, False]
    types, vocabulary = tagging_types(toks, 2)
    words = [vocabulary[t] for t in types.tolist()]
    assert words[:3] == ["ultrasonic", "tomography", "using"] and "GPU" in words and "A" in words
    terms = set(phrase_occurrences(["Ultrasonic Tomography Using Wave Propagation"]).vocabulary)
    assert "ultrasonic tomography" in terms and "wave propagation" in terms


def test_single_letters_of_reported_statistics_are_no_noun_phrases():
    found = nps("Costs fell (P < 0.001) in a sample size of n = 30 with r \u2265 0.8, and the C language was used.")
    assert "sample size" in found and "C language" in found
    assert not any(p in ("P", "n", "r") for p in found), found


def test_p_values_of_a_real_medical_corpus_give_no_term_p(corpora):
    import re

    import bibliomap

    corpus = bibliomap.read(corpora / "pubmed-medline" / "pubmed.txt")
    abstracts = [a for a in corpus.values("abstract") if a and re.search(r"\b[Pp] ?[<=>\u2264]", a)]
    assert len(abstracts) >= 5  # the corpus reports p-values
    assert "p" not in phrase_occurrences(abstracts).vocabulary
