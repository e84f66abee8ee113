"""Retrain bibliomap's UPOS tagger from UD English-EWT, reproducibly, and report its accuracy.

    python scripts/train_tagger.py [--data ../shared/data/ud-english-ewt] [--out src/bibliomap/text/models/upos-ewt.npz]

Train split = the files of file-lists/files.train concatenated in order (the official train
file); the dev split chooses the number of epochs; the test split is only reported. Pass 2
is trained on jackknifed pass-1 tags (5 folds) so it sees realistic right-context errors.
Deterministic: fixed seeds, no threading in the learner.
"""
from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict
from pathlib import Path

import numba
import numpy as np

from bibliomap.text import tagger as T

ROOT = Path(__file__).resolve().parents[1]
N_HIST_ROWS = 0


def read_conllu(text: str) -> list[tuple[list[str], list[int]]]:
    """(words, UPOS ids) per sentence; multiword-token ranges and empty nodes are skipped."""
    sents, words, tags = [], [], []
    tag_id = {t: i for i, t in enumerate(T.UPOS)}
    for line in text.split("\n"):
        if not line.strip():
            if words:
                sents.append((words, tags))
                words, tags = [], []
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        words.append(cols[1])
        tags.append(tag_id[cols[3]])
    if words:
        sents.append((words, tags))
    return sents


def load_splits(data: Path):
    names = (data / "file-lists" / "files.train").read_text().split()
    train_text = "".join((data / "sources" / n).read_text(encoding="utf-8") for n in names)
    train = read_conllu(train_text)
    dev = read_conllu((data / "en_ewt-ud-dev.conllu").read_text(encoding="utf-8"))
    test = read_conllu((data / "en_ewt-ud-test.conllu").read_text(encoding="utf-8"))
    return train, dev, test


class Encoded:
    """Sentences as type ids + a per-(offset, type) feature CSR over a shared feature index."""

    def __init__(self, sents, index: dict[str, int], conj_index: dict[str, int]):
        self.type_of: dict[str, int] = {}
        types = [self.type_of.setdefault(w, len(self.type_of)) for ws, _ in sents for w in ws]
        vocab = list(self.type_of) + [T.PADS[-2], T.PADS[-1], T.PADS[1], T.PADS[2]]
        self.vocab = vocab
        self.types = np.array(types, dtype=np.int64)
        self.gold = np.array([t for _, ts in sents for t in ts], dtype=np.int64)
        lens = [len(ws) for ws, _ in sents]
        self.bounds = np.concatenate([[0], np.cumsum(lens)]).astype(np.int64)
        grow = index is not None and len(index) == 0
        ptr, idx = [0], []
        for o in range(len(T.OFFSETS)):
            for w in vocab:
                for f in T.type_features(w)[o]:
                    j = index.get(f)
                    if j is None and grow:
                        j = index[f] = len(index)
                    if j is not None:
                        idx.append(j)
                ptr.append(len(idx))
        self.ptr = np.array(ptr, dtype=np.int64)
        self.idx = np.array(idx, dtype=np.int64)
        self.n_types = len(vocab)
        self.conj = np.array([conj_index.get(w.lower(), -1) for w in vocab[:-4]] + [-1] * 4, dtype=np.int64)


@numba.njit(cache=True)
def _hist_rows(p1, p2, n1, n2, f, cj, pass2, nh, rows):
    """History weight rows of one token (same layout as bibliomap.text.tagger._decode)."""
    rows[0] = T.H_PREV + p1
    rows[1] = T.H_PREV2 + p2
    rows[2] = T.H_PREV12 + p1 * nh + p2
    k = 3
    if cj >= 0:
        rows[k] = T.H_CONJ + 2 * cj * nh + p1
        k += 1
    if not pass2:
        return k
    rows[k] = T.H_NEXT + n1
    rows[k + 1] = T.H_NEXT2 + n2
    rows[k + 2] = T.H_NEXT12 + n1 * nh + n2
    rows[k + 3] = T.H_PREVNEXT + p1 * nh + n1
    rows[k + 4] = T.H_FIRST + f
    k += 5
    if cj >= 0:
        rows[k] = T.H_CONJ + 2 * cj * nh + nh + n1
        k += 1
    return k


@numba.njit(cache=True)
def _run(W, U, H, HU, ptr, idx, n_types, types, bounds, gold, forced, conj, first, pass2, order, learn, c0, out):
    """One pass over sentences in ``order``: greedy decode, and perceptron updates when learning."""
    n_tags = W.shape[1]
    nh = n_tags + 1
    pad = n_types - 4
    scores = np.empty(n_tags)
    rows = np.empty(10, dtype=np.int64)
    c = c0
    for s in order:
        a = bounds[s]
        b = bounds[s + 1]
        for i in range(a, b):
            ti = types[i]
            if forced[ti] >= 0:
                out[i] = forced[ti]
                continue
            ctx = (types[i - 2] if i - 2 >= a else pad, types[i - 1] if i - 1 >= a else pad + 1, ti,
                   types[i + 1] if i + 1 < b else pad + 2, types[i + 2] if i + 2 < b else pad + 3)
            p1 = out[i - 1] if i - 1 >= a else n_tags
            p2 = out[i - 2] if i - 2 >= a else n_tags
            n1 = first[i + 1] if i + 1 < b else n_tags
            n2 = first[i + 2] if i + 2 < b else n_tags
            nr = _hist_rows(p1, p2, n1, n2, first[i], conj[ti], pass2, nh, rows)
            scores[:] = 0.0
            for o in range(5):
                r = o * n_types + ctx[o]
                for q in range(ptr[r], ptr[r + 1]):
                    scores += W[idx[q]]
            for q in range(nr):
                scores += H[rows[q]]
            best = 0
            for k in range(1, n_tags):
                if scores[k] > scores[best]:
                    best = k
            c += 1
            if learn and best != gold[i]:
                g = gold[i]
                for o in range(5):
                    r = o * n_types + ctx[o]
                    for q in range(ptr[r], ptr[r + 1]):
                        f = idx[q]
                        W[f, g] += 1.0
                        W[f, best] -= 1.0
                        U[f, g] += c
                        U[f, best] -= c
                for q in range(nr):
                    f = rows[q]
                    H[f, g] += 1.0
                    H[f, best] -= 1.0
                    HU[f, g] += c
                    HU[f, best] -= c
            out[i] = best
    return c


class Learner:
    def __init__(self, n_features: int, pass2: bool, n_hist: int):
        self.W = np.zeros((n_features, T.N_TAGS))
        self.U = np.zeros_like(self.W)
        self.H = np.zeros((n_hist, T.N_TAGS))
        self.HU = np.zeros_like(self.H)
        self.c = 0
        self.pass2 = pass2

    def averaged(self):
        c = max(self.c, 1)
        return self.W - self.U / c, self.H - self.HU / c

    def epoch(self, enc: Encoded, forced, first, rng):
        order = rng.permutation(len(enc.bounds) - 1).astype(np.int64)
        out = np.zeros(len(enc.types), dtype=np.int64)
        self.c = _run(self.W, self.U, self.H, self.HU, enc.ptr, enc.idx, enc.n_types, enc.types, enc.bounds,
                      enc.gold, forced, enc.conj, first, self.pass2, order, True, self.c, out)


def predict(W, H, enc: Encoded, forced, first, pass2: bool) -> np.ndarray:
    out = np.zeros(len(enc.types), dtype=np.int64)
    order = np.arange(len(enc.bounds) - 1, dtype=np.int64)
    _run(W, np.zeros((1, 1)), H, np.zeros((1, 1)), enc.ptr, enc.idx, enc.n_types, enc.types, enc.bounds,
         enc.gold, forced, enc.conj, first, pass2, order, False, 0, out)
    return out


def forced_for(enc: Encoded, tagdict: dict[str, int]) -> np.ndarray:
    return np.array([tagdict.get(w, -1) for w in enc.vocab], dtype=np.int64)


def build_tagdict(train, min_count: int, min_share: float) -> dict[str, int]:
    """Frequent words whose tag in train is (nearly) always the same."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for ws, ts in train:
        for w, t in zip(ws, ts):
            counts[w][t] += 1
    out = {}
    for w, cnt in counts.items():
        tag, k = cnt.most_common(1)[0]
        n = sum(cnt.values())
        if n >= min_count and k / n >= min_share:
            out[w] = tag
    return out


def train_pass(train_enc, dev_enc, n_features, forced_tr, forced_dev, first_tr, first_dev, pass2, max_epochs, seed,
               log=True):
    """Train up to max_epochs; keep the averaged weights of the best dev epoch."""
    rng = np.random.default_rng(seed)
    learner = Learner(n_features, pass2, N_HIST_ROWS)
    best = (-1.0, None, None, 0)
    for ep in range(1, max_epochs + 1):
        learner.epoch(train_enc, forced_tr, first_tr, rng)
        if dev_enc is None:
            continue
        W, H = learner.averaged()
        acc = float(np.mean(predict(W, H, dev_enc, forced_dev, first_dev, pass2) == dev_enc.gold))
        if log:
            print(f"  pass{2 if pass2 else 1} epoch {ep}: dev {acc:.4f}", flush=True)
        if acc > best[0]:
            best = (acc, W.copy(), H.copy(), ep)
    if dev_enc is None:
        W, H = learner.averaged()
        return W, H, max_epochs
    return best[1], best[2], best[3]


def prune(W: np.ndarray, features: list[str], threshold: float):
    keep = np.abs(W).max(axis=1) >= threshold
    keep[[i for i, f in enumerate(features) if f == "bias"]] = True
    kept = [f for f, k in zip(features, keep) if k]
    return kept, W[keep]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "ud-english-ewt")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "bibliomap" / "text" / "models" / T.MODEL_FILE)
    ap.add_argument("--epochs", type=int, default=16)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--tagdict-count", type=int, default=20, help="tag dictionary: minimum occurrences of a word")
    ap.add_argument("--tagdict-share", type=float, default=0.99, help="tag dictionary: minimum share of its main tag")
    ap.add_argument("--conj", type=int, default=5000, help="most frequent words given word x neighbour-tag features")
    ap.add_argument("--prune", type=float, default=0.5, help="drop features whose largest |weight| is below this")
    ap.add_argument("--no-pass2", action="store_true")
    args = ap.parse_args()
    t0 = time.time()
    train, dev, test = load_splits(args.data)
    print(f"train {len(train)} sentences / {sum(len(w) for w, _ in train)} words; dev {len(dev)}; test {len(test)}")
    tagdict = build_tagdict(train, min_count=args.tagdict_count, min_share=args.tagdict_share)
    print(f"tag dictionary: {len(tagdict)} words")
    global N_HIST_ROWS
    lower_counts = Counter(w.lower() for ws, _ in train for w in ws)
    conj_words = sorted(w for w, _ in sorted(lower_counts.items(), key=lambda kv: (-kv[1], kv[0]))[: args.conj])
    conj_index = {w: i for i, w in enumerate(conj_words)}
    N_HIST_ROWS = T.hist_size(len(conj_words))
    index: dict[str, int] = {}
    tr = Encoded(train, index, conj_index)
    features = [None] * len(index)
    for f, i in index.items():
        features[i] = f
    dv, ts = Encoded(dev, index, conj_index), Encoded(test, index, conj_index)
    n_f = len(index)
    print(f"{n_f} features")
    fz = {k: forced_for(e, tagdict) for k, e in (("tr", tr), ("dv", dv), ("ts", ts))}
    zero = {k: np.zeros(len(e.types), dtype=np.int64) for k, e in (("tr", tr), ("dv", dv), ("ts", ts))}

    W1, H1, ep1 = train_pass(tr, dv, n_f, fz["tr"], fz["dv"], zero["tr"], zero["dv"], False, args.epochs, 1)
    dev1 = predict(W1, H1, dv, fz["dv"], zero["dv"], False)
    test1 = predict(W1, H1, ts, fz["ts"], zero["ts"], False)
    print(f"pass 1 (best epoch {ep1}): dev {np.mean(dev1 == dv.gold):.4f} test {np.mean(test1 == ts.gold):.4f}")
    f1, w1 = prune(W1, features, args.prune)
    model1 = (f1, w1, H1)
    model2 = None
    if not args.no_pass2:
        # Jackknifed pass-1 tags on train: each fold tagged by a pass-1 model trained without it.
        n_s = len(train)
        fold_of = np.arange(n_s) % args.folds
        jack = np.zeros(len(tr.types), dtype=np.int64)
        for k in range(args.folds):
            sub = [train[i] for i in range(n_s) if fold_of[i] != k]
            held = [train[i] for i in range(n_s) if fold_of[i] == k]
            e_sub, e_held = Encoded(sub, index, conj_index), Encoded(held, index, conj_index)
            Wk, Hk, _ = train_pass(e_sub, None, n_f, forced_for(e_sub, tagdict), None,
                                   np.zeros(len(e_sub.types), dtype=np.int64), None, False, ep1, 1, log=False)
            pk = predict(Wk, Hk, e_held, forced_for(e_held, tagdict), np.zeros(len(e_held.types), dtype=np.int64), False)
            pos = np.concatenate([np.arange(tr.bounds[i], tr.bounds[i + 1]) for i in range(n_s) if fold_of[i] == k])
            jack[pos] = pk
            print(f"  fold {k}: held-out pass-1 accuracy {np.mean(pk == e_held.gold):.4f}", flush=True)
        W2, H2, ep2 = train_pass(tr, dv, n_f, fz["tr"], fz["dv"], jack, dev1, True, args.epochs, 2)
        dev2 = predict(W2, H2, dv, fz["dv"], dev1, True)
        test2 = predict(W2, H2, ts, fz["ts"], test1, True)
        print(f"pass 2 (best epoch {ep2}): dev {np.mean(dev2 == dv.gold):.4f} test {np.mean(test2 == ts.gold):.4f}")
        f2, w2 = prune(W2, features, args.prune)
        model2 = (f2, w2, H2)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    T.save(args.out, model1, model2, tagdict, conj_words)
    print(f"saved {args.out} ({args.out.stat().st_size / 1e6:.1f} MB; pass-1 features kept {len(model1[0])}"
          + (f", pass-2 {len(model2[0])}" if model2 else "") + ")")
    # Evaluate the saved (pruned, float16) model through the runtime code path.
    tagger = T.load(args.out)
    for name, sents in (("dev", dev), ("test", test)):
        words = [w for ws, _ in sents for w in ws]
        gold = np.array([t for _, tg in sents for t in tg])
        bounds = np.concatenate([[0], np.cumsum([len(ws) for ws, _ in sents])])
        pred = tagger.tag_ids(words, bounds)
        print(f"shipped model UPOS accuracy on EWT {name}: {np.mean(pred == gold) * 100:.2f}% ({len(gold)} words)")
    print(f"done in {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
