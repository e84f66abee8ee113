"""The relevance score: co-occurrence KL, termhood against academic prose, their combination, and
the background model of academic prose (leave-one-field-out)."""
from __future__ import annotations

import glob

import numpy as np
import pytest
from scipy import sparse

import bibliomap
from bibliomap.text.background import default_background, load, save, title_fingerprints
from bibliomap.text.relevance import (academic_specificity, boilerplate, concentrated_usage, cooccurrence,
                                      core_vocabulary, flat_usage, kl_relevance, not_concentrated, relevance_scores,
                                      residual_idf, termhood, topical_usage)


def _doc_term():
    # 6 documents x 4 terms: "alpha" and "beta" always together, "gamma" everywhere, "delta" with both groups
    rows = [[1, 1, 1, 0], [1, 1, 1, 0], [1, 1, 1, 1], [0, 0, 1, 1], [0, 0, 1, 1], [0, 0, 1, 1]]
    return sparse.csr_matrix(np.array(rows, dtype=float))


def test_kl_ranks_a_concentrated_profile_above_an_even_one():
    # term 0 co-occurs with everything evenly; terms 1-2 and 3-4 form two tight pairs
    c = np.array([[0, 1, 1, 1, 1], [1, 0, 6, 0, 0], [1, 6, 0, 0, 0], [1, 0, 0, 0, 6], [1, 0, 0, 6, 0]], dtype=float)
    kl = kl_relevance(sparse.csr_matrix(c))
    assert kl[0] < kl[1:].min()
    assert kl[1] == pytest.approx(kl[3])
    assert kl_relevance(sparse.csr_matrix((3, 3))).tolist() == [0.0, 0.0, 0.0]


def test_academic_specificity_is_the_log_ratio_of_shares():
    s = academic_specificity(np.array([0.01, 0.01, 0.001]), np.array([0.01, 0.0001, 0.0001]))
    assert s[0] == pytest.approx(0.0)          # as common as in academic prose: boilerplate
    assert s[1] == pytest.approx(np.log(100))  # a hundred times more common here: topical
    assert s[1] - s[2] == pytest.approx(np.log(10))


def test_termhood_parts_each_move_the_score_the_right_way():
    share, academic = np.full(4, 0.01), np.full(4, 0.001)
    docs = np.array([20, 20, 20, 20])
    base = termhood(share, academic, docs, title_documents=np.array([0, 10, 0, 0]))
    assert base[1] > base[0] == base[2]  # named in titles
    kw = termhood(share, academic, docs, is_keyword=np.array([False, False, False, True]))
    assert kw[3] - kw[0] == pytest.approx(1.0)
    spec = termhood(np.array([0.01, 0.02, 0.04, 0.08]), academic, docs)
    assert np.all(np.diff(spec) > 0)


def test_weight_zero_is_plain_kl_and_the_combination_is_standardized():
    x = _doc_term()
    score = np.array([3.0, 1.0, -2.0, 0.5])
    assert np.array_equal(relevance_scores(x, score, specificity_weight=0.0), kl_relevance(cooccurrence(x)))
    assert np.array_equal(relevance_scores(x, None), kl_relevance(cooccurrence(x)))
    combined = relevance_scores(x, score, specificity_weight=0.5)
    assert combined.mean() == pytest.approx(0.0, abs=1e-12)
    assert np.array_equal(np.argsort(relevance_scores(x, score, specificity_weight=1.0)), np.argsort(score))
    with pytest.raises(ValueError, match="specificity_weight"):
        relevance_scores(x, score, specificity_weight=1.5)
    with pytest.raises(ValueError, match="4 columns"):
        relevance_scores(x, score[:3])


def test_core_vocabulary_needs_both_frequency_and_a_high_ratio():
    docs = np.array([300, 200, 100, 50, 20, 10, 5])
    spec = np.log(np.array([40.0, 2.0, 12.0, 50.0, 50.0, 50.0, 1.0]))  # median candidate: 40
    assert not core_vocabulary(docs, spec, top=3).any()  # 40 / 40: as specific as the median candidate
    spec = np.log(np.array([40.0, 2.0, 12.0, 50.0, 1.0, 1.0, 1.0]))  # median candidate: 2
    assert core_vocabulary(docs, spec, top=3).tolist() == [True, False, False, False, False, False, False]


def test_background_round_trip_and_fingerprints(tmp_path):
    bg = default_background()
    save(tmp_path / "bg.npz", bg)
    again = load(tmp_path / "bg.npz")
    assert again.terms == bg.terms and again.fields == bg.fields and np.array_equal(again.counts, bg.counts)
    assert all(np.array_equal(a, b) for a, b in zip(again.fingerprints, bg.fingerprints))
    fp = title_fingerprints(["GPU Programming: A Survey", "gpu programming - a survey", "Short", None])
    assert len(fp) == 1  # case and punctuation do not matter; very short titles identify nothing


def test_background_never_holds_the_measured_corpus_field(corpora):
    """Leave-one-field-out: measuring a shared corpus, its own group and every group of its field
    are left out, and its domain terms are far more frequent than in the prose that remains."""
    bg = default_background()
    demo = bibliomap.read(*sorted(glob.glob(str(corpora / "demo" / "*.csv"))))
    left_out = bg.groups_left_out(title_fingerprints(demo.values("title")))
    assert {bg.fields[g] for g in left_out} == {"gpu-computing"}
    assert "ieee-gpu-programming" in {bg.groups[g] for g in left_out}
    p_out, n_out = bg.probabilities(["gpu", "cuda", "paper", "approach"], left_out)
    p_all, n_all = bg.probabilities(["gpu", "cuda", "paper", "approach"])
    assert n_out < n_all
    assert p_out[0] < p_all[0] / 20 and p_out[1] < p_all[1] / 20  # the GPU field's words are gone
    assert p_out[2] > p_out[0] * 40 and p_out[3] > p_out[0] * 40  # boilerplate stays common (NSF's computing grants name GPUs)
    mcda = bibliomap.read(str(corpora / "wos-bibtex" / "mcda_wos.bib"))
    assert bg.groups_left_out(title_fingerprints(mcda.values("title"))) == []  # no decision-analysis group
    assert not any(f.startswith("decision") or f in ("bibliometrics", "materials") for f in bg.fields)  # GPL sources gone
    arxiv = [n for n, g in zip(bg.n_documents, bg.groups) if g.startswith("arxiv-")]
    assert sum(arxiv) > 6000 and {"physics", "mathematics", "computer-science", "life-sciences", "humanities"} <= set(bg.fields)


def test_spread_tells_boilerplate_from_a_field_s_words():
    """Evenness across the background's fields: boilerplate is used alike everywhere, a field's words
    in one or two fields; unseen terms have evenness 0."""
    bg = default_background()
    even, count = bg.spread(["approach", "paper", "gpu", "quark", "no such term at all"])
    assert even[0] > 0.6 and even[1] > 0.6 and count[0] > 300
    assert even[2] < 0.2 and even[3] < 0.2
    assert even[4] == 0 and count[4] == 0


def test_spread_counts_a_field_once_however_many_collections_hold_it():
    """Evenness is across research fields: merging the physics collections of the shipped model (those
    large enough to count) into one changes no term's evenness or count, whereas it would change a
    spread across collections."""
    import dataclasses

    from bibliomap.text.background import MIN_GROUP_DOCUMENTS

    bg = default_background()
    physics = [g for g, f in enumerate(bg.fields) if f == "physics" and bg.n_documents[g] >= MIN_GROUP_DOCUMENTS]
    assert len(physics) > 5
    rest = [g for g in range(len(bg.groups)) if g not in physics]
    merged = dataclasses.replace(
        bg, groups=[bg.groups[g] for g in rest] + ["physics"], fields=[bg.fields[g] for g in rest] + ["physics"],
        n_documents=np.append(bg.n_documents[rest], bg.n_documents[physics].sum()),
        counts=np.vstack([bg.counts[rest], bg.counts[physics].sum(axis=0, keepdims=True)]),
        fingerprints=[bg.fingerprints[g] for g in rest] + [np.concatenate([bg.fingerprints[g] for g in physics])])
    terms = ["approach", "paper", "quark", "literature", "case study", "gpu", "patient"]
    even, count = bg.spread(terms)
    even2, count2 = merged.spread(terms)
    assert np.allclose(even, even2) and np.array_equal(count, count2)
    assert even[2] < 0.2 < 0.6 < even[0]  # "quark" is physics's alone, "approach" every field's


def test_common_phrases_on_a_boilerplate_head_are_boilerplate(corpora):
    """On a real health-policy corpus (pubmed.txt): phrases common in academic prose that are idioms of
    a few fields ("present study", "literature review": uneven themselves) are boilerplate because
    their head is; topical phrases on the same heads, rare in academic prose or far more frequent
    here ("sensitivity analysis", "decision analysis"), are selected."""
    from bibliomap.text.terms import extract_terms

    res = extract_terms(bibliomap.read(str(corpora / "pubmed-medline" / "pubmed.txt")))
    cand = set(res.terms.term[res.terms.occurrences >= 10])
    idioms = {"present study", "literature review", "case study"}
    topical = {"sensitivity analysis", "decision analysis", "multicriteria decision analysis"}
    assert idioms | topical <= cand
    assert not idioms & set(res.labels) and topical <= set(res.labels)
    even, count = default_background().spread(sorted(idioms) + ["study", "review"])
    assert (even[:2] < 0.6).all() and (count[:3] >= 20).all()  # not boilerplate by their own spread
    assert (even[3:] >= 0.6).all()                               # but their heads are


def test_boilerplate_needs_even_spread_commonness_and_no_excess_here():
    even = np.array([0.8, 0.8, 0.8, 0.1, 0.8, 0.0])
    count = np.array([500, 500, 10, 500, 500, 0])
    spec = np.array([1.0, 1.0 + np.log(20), 1.0, 1.0, 1.2, 6.0])  # median 1.1
    assert boilerplate(even, count, spec).tolist() == [True, False, False, False, True, False]
    # a phrase uneven itself (0.1) but common, on an evenly spread common head, is boilerplate too
    head_even, head_count = np.array([0, 0, 0, 0.8, 0, 0]), np.array([0, 0, 0, 900, 0, 0])
    assert boilerplate(even, count, spec, head_evenness=head_even, head_count=head_count)[3]
    assert not boilerplate(even, np.array([500, 500, 10, 5, 500, 0]), spec, head_evenness=head_even,
                           head_count=head_count)[3]  # rare in academic prose: judged by its own spread


def test_residual_idf_is_zero_for_chance_spread_and_positive_for_bursts():
    n = 1000
    chance = n * -np.expm1(-50 / n)  # the documents Poisson predicts for 50 occurrences
    r = residual_idf(np.array([50, 50, 10]), np.array([chance, 20, 10]), n)
    assert r[0] == pytest.approx(0.0, abs=1e-9)  # spread as chance spreads it
    assert r[1] > 1.0                             # 50 occurrences in 20 documents: bursty
    assert r[2] == pytest.approx(np.log2(-np.expm1(-10 / n) * n / 10))  # once per document: slightly below 0
    assert r[2] < 0


def test_flat_usage_needs_no_bursts_no_titles_and_low_specificity():
    ridf = np.array([0.0, 0.5, 0.0, 0.0, 0.0])
    title = np.array([0.0, 0.0, 0.3, 0.0, 0.05])
    spec = np.array([-1.0, -1.0, -1.0, 2.0, -0.5])  # median -1.0 ... -0.5 is above it
    assert flat_usage(ridf, title, spec).tolist() == [False, False, False, False, False]
    spec = np.array([-2.0, -2.0, -2.0, 2.0, 0.0, 1.0, 1.5])  # median 0.0
    ridf, title = np.append(ridf, [0.0, 0.0]), np.append(title, [0.0, 0.0])
    assert flat_usage(ridf, title, spec).tolist() == [True, False, False, False, False, False, False]


def test_corpus_flat_usage_drops_applied_prose_the_background_misses(corpora):
    """On three real corpora: words of applied academic prose that the background's fields spread unevenly
    ("literature" is a topic of its humanities queries; "effectiveness" and "practice" are rare in physics
    and mathematics), so the field-spread test passes them, are used flat here (once per abstract, never
    in a title, less specific than the median candidate) and are not selected; the corpus's topics stay
    selected, flat or not ("cost-effectiveness" and "multiple criterion" are used once per abstract too,
    but far more here than in academic prose)."""
    from bibliomap.text.terms import extract_terms

    cases = {"pubmed-medline/pubmed.txt": ({"literature", "effectiveness", "practice"}, {"cost-effectiveness", "sensitivity analysis"}),
             "scopus-bibtex/scopus.bib": ({"literature"}, {"electre tri", "multiple criterion"})}
    for path, (flat, topical) in cases.items():
        res = extract_terms(bibliomap.read(str(corpora / path)))
        cand = set(res.terms.term[res.terms.occurrences >= 10])
        assert flat | topical <= cand
        assert not flat & set(res.labels), path
        assert topical <= set(res.labels), path
        bg = default_background()
        even, count = bg.spread(sorted(flat), bg.groups_left_out(res.phrases.fingerprints))
        assert (even < 0.6).all() and (count >= 20).all()  # common in academic prose, but not boilerplate by spread


def test_not_concentrated_needs_spread_commonness_and_a_field_that_uses_it_more():
    even = np.array([0.55, 0.55, 0.45, 0.55])
    count = np.array([100, 100, 100, 10])
    share = np.array([0.001, 0.003, 0.001, 0.001])
    top = np.full(4, 0.002)
    assert not_concentrated(even, count, share, top).tolist() == [True, False, False, False]


def test_spread_prose_another_field_uses_more_is_dropped_and_the_corpus_topics_stay(corpora):
    """On pubmed.txt (health decision analysis): "evidence", "perspective" and "individual" are spread
    across academic prose less evenly than boilerplate (evenness 0.5-0.6), and some field (public
    administration, life sciences, psychology) uses each more than this corpus does: not selected. "uncertainty",
    "selection" and "disease" are as spread, but this corpus uses them more than any field: selected."""
    from bibliomap.text.terms import extract_terms, term_counts

    res = extract_terms(bibliomap.read(str(corpora / "pubmed-medline/pubmed.txt")))
    ph = res.phrases
    bg = default_background()
    left_out = bg.groups_left_out(ph.fingerprints)
    in_text, _ = term_counts(ph)
    dropped, kept = ["evidence", "perspective", "individual"], ["uncertainty", "selection", "disease"]
    even, count, top = bg.field_spread(dropped + kept, left_out)
    assert ((even >= 0.5) & (even < 0.6) & (count >= 20)).all()
    share = np.array([in_text[ph.vocabulary.index(t)] for t in dropped + kept]) / in_text.sum()
    assert (share[:3] < top[:3]).all() and (share[3:] > top[3:]).all()
    cand = set(res.terms.term[res.terms.occurrences >= 10])
    assert set(dropped) | set(kept) <= cand
    assert not set(dropped) & set(res.labels)
    assert set(kept) <= set(res.labels)


def test_topical_usage_needs_both_bursts_and_titles():
    ridf = np.array([0.6, 0.6, 0.1, 0.5])
    title = np.array([0.3, 0.1, 0.5, 0.2])
    assert topical_usage(ridf, title).tolist() == [True, False, False, True]


def test_concentrated_usage_needs_both_a_high_ratio_and_bursts():
    ratio = np.array([4.0, 4.0, 2.0, np.inf, 3.0])
    ridf = np.array([0.3, 0.05, 0.3, 0.3, 0.2])
    assert concentrated_usage(ratio, ridf).tolist() == [True, False, False, True, True]


def test_a_word_used_here_far_more_than_in_any_field_is_no_boilerplate_here(corpora):
    """On mcda_wos.bib (decision analysis): "weight" is common and evenly spread in academic prose (the
    background alone calls it boilerplate), but this corpus uses it more than three times as much as any
    field and repeats it within its documents: selected. "consideration" is as concentrated but said once per
    abstract ("taking into consideration"): still not selected."""
    from bibliomap.text.terms import candidate_boilerplate, candidate_concentration, extract_terms, term_counts

    res = extract_terms(bibliomap.read(str(corpora / "wos-bibtex/mcda_wos.bib")))
    ph = res.phrases
    cand = np.array([ph.vocabulary.index(t) for t in ("weight", "consideration")])
    assert candidate_boilerplate(ph, cand, np.zeros(2)).all()  # by the background's spread alone
    assert (candidate_concentration(ph, cand) >= 3).all()
    in_text, _ = term_counts(ph)
    docs = res.terms.set_index("term").loc[["weight", "consideration"], "occurrences"].to_numpy()
    ridf = residual_idf(in_text[cand], docs, ph.n_documents)
    assert ridf[0] >= 0.2 > 0.1 >= ridf[1]
    assert "weight" in res.labels and "consideration" not in res.labels


def test_a_bursty_title_word_of_the_corpus_is_no_boilerplate_here(corpora):
    """On two real corpora: "integration" (decision analysis, scopus.bib) and "efficiency" (health policy,
    pubmed.txt) are common and evenly spread in academic prose, so the background alone calls them
    boilerplate, but each corpus repeats them within its documents and names them in titles: they are
    selected; flat academic prose of the same corpora ("literature") still is not."""
    from bibliomap.text.terms import candidate_boilerplate, extract_terms, term_counts

    for path, term in (("scopus-bibtex/scopus.bib", "integration"), ("pubmed-medline/pubmed.txt", "efficiency")):
        res = extract_terms(bibliomap.read(str(corpora / path)))
        ph = res.phrases
        k = ph.vocabulary.index(term)
        spec = np.zeros(1)  # the ratio test of boilerplate is not what spares it: judge by spread alone
        assert candidate_boilerplate(ph, np.array([k]), spec)[0], path
        in_text, title_docs = term_counts(ph)
        docs = res.terms.set_index("term").loc[term, "occurrences"]
        assert residual_idf(in_text[k:k + 1], np.array([docs]), ph.n_documents)[0] >= 0.5
        assert title_docs[k] / docs >= 0.2
        assert term in res.labels and "literature" not in res.labels


def _term_counts(bg, group: int) -> dict[str, int]:
    row = bg.counts[group]
    return {bg.terms[i]: int(row[i]) for i in np.flatnonzero(row)}


def test_shipped_background_is_rebuilt_from_its_sources(corpora, tmp_path):
    """scripts/build_background.py reproduces every group of the shipped model whose source is in the
    shared corpora (litstudy's exports) term for term; the arXiv and systematic-review groups, whose
    tables are fetched rather than committed, are in the model with their fields."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    tables = tmp_path / "tables"
    tables.mkdir()
    out = tmp_path / "bg.npz"
    subprocess.run([sys.executable, str(root / "scripts" / "build_background.py"), "--corpora", str(corpora),
                    "--tables", str(tables), "--out", str(out)], check=True, capture_output=True)
    rebuilt, shipped = load(out), default_background()
    assert set(rebuilt.groups) < set(shipped.groups)
    for g, name in enumerate(rebuilt.groups):
        k = shipped.groups.index(name)
        assert rebuilt.n_documents[g] == shipped.n_documents[k]
        assert _term_counts(rebuilt, g) == _term_counts(shipped, k), name
    reviews = {f: n for name, f, n in zip(shipped.groups, shipped.fields, shipped.n_documents) if name.startswith("review-")}
    assert {"public-administration", "preclinical-medicine", "software-engineering", "psychology"} <= set(reviews)
    assert sum(reviews.values()) > 5000
    grants = {name: n for name, f, n in zip(shipped.groups, shipped.fields, shipped.n_documents) if f == "research-grants"}
    assert len(grants) == 7 and set(grants.values()) == {600}  # one field: seven NSF directorates, 600 awards each
