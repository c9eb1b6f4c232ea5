#!/usr/bin/env python
"""Learn the weights of rasd's story similarity (a logistic regression over pair signals).

Training pairs, all built deterministically (fixed seeds, sorted inputs):

(a) the bundled sample corpus: every pair of its 53 articles, 1 when both
    carry the same gold story label, else 0 (extraction + enrichment as the
    pipeline runs them; IDF from the sample corpus itself);
(b) SaudiNewsNet (../shared/data/saudinewsnet/*.zip): articles sharing an
    identical first 300 characters of content are positives (at most 3 pairs
    per group), random pairs from the same day and from different days are
    negatives (weak but real labels); IDF from all 31k articles. Days from
    2015-08-08 on are held out;
(c) Arabic News Stance (../shared/data/ans/stance/*.csv): "agree" pairs
    (paraphrased headlines of the same news) are positives, headlines of two
    different rows are negatives; each headline is a title-only article.
    train+dev for training, test held out. The "disagree" pairs are
    contradictions of the same news (same event, opposite claim): not used
    for training, only reported (Pearson of the score with agree=1/disagree=0).

Each source weighs the same in the fit, and within a source positives and
negatives weigh the same. Writes rasd/data/stories/similarity.json (the
weights, the date scale, and the held-out quality measured here) and
rasd/data/stories/reference_df.json (document frequencies of the sample
corpus, the IDF for `rasd similarity --pairs`).

    python bench/train_similarity.py [--shared ../shared] [--dry-run]
    python bench/train_similarity.py --tune [--tune-limit N] [--cache DIR]   # the clusterer's settings

Needs scikit-learn (pinned in requirements.lock). Sources missing under
--shared are skipped (the sample corpus alone still trains a model).
"""
from __future__ import annotations

import argparse
import csv
import glob
import json
import os
import random
import sys
import time
import zipfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from rasd.records import StoryDoc
from rasd.stories.features import DocumentFrequencies, analyze, parse_time, vectorize
from rasd.stories.similarity import (
    DATA_DIR,
    DEFAULT_DATE_TAU,
    FEATURES,
    REFERENCE_DF_PATH,
    compute_signals,
)

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = Path(os.environ.get("RASD_SHARED", REPO.parent / "shared"))
SEED = 20250301
SNN_TEST_FROM = "2015-08-08"
SNN_MAX_PAIRS_PER_GROUP = 3
SNN_PREFIX = 300
NEG_PER_POS = 2
USE = list(FEATURES)  # the model's inputs (--drop removes some, for ablations)
HARD_NEG_MIN_DAYS = 5


# ---------------------------------------------------------------------------
# Sources


def sample_docs():
    """(StoryDoc list, story label list, gold file keys) for the sample corpus."""
    from rasd.stories.evaluate import sample_story_docs

    docs, labels = sample_story_docs()
    return docs, labels


def sample_pairs(labels: list[str | None]):
    pairs = []
    for i in range(len(labels)):
        for j in range(i + 1, len(labels)):
            y = int(labels[i] is not None and labels[i] == labels[j])
            pairs.append((i, j, y))
    return pairs


def load_snn(root: Path) -> list[dict]:
    docs = []
    for f in sorted(glob.glob(str(root / "*.zip"))):
        with zipfile.ZipFile(f) as z:
            for name in sorted(z.namelist()):
                docs.extend(json.loads(z.read(name)))
    return docs


def snn_pairs(raw: list[dict], rng: random.Random):
    """Positive pairs (shared 300-char content prefix) and random negatives, with a day split."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(raw):
        content = (d.get("content") or "").strip()
        if len(content) < SNN_PREFIX:
            continue
        groups[(d.get("content") or "")[:SNN_PREFIX]].append(i)
    pos = []
    gid_of: dict[int, int] = {}
    for gid, (_, members) in enumerate(sorted(groups.items(), key=lambda kv: kv[1][0])):
        for m in members:
            gid_of[m] = gid
        if len(members) < 2 or len(members) > 10:  # big groups are templates, not one story
            continue
        cand = [(a, b) for k, a in enumerate(members) for b in members[k + 1 :]]
        rng.shuffle(cand)
        pos.extend(cand[:SNN_MAX_PAIRS_PER_GROUP])
    day = [(d.get("date_extracted") or "")[:10] for d in raw]
    by_day: dict[str, list[int]] = defaultdict(list)
    for i in range(len(raw)):
        if len((raw[i].get("content") or "").strip()) >= 200:
            by_day[day[i]].append(i)
    days = sorted(by_day)
    neg = []
    for a, _ in pos:
        test = day[a] >= SNN_TEST_FROM
        pool_days = [x for x in days if (x >= SNN_TEST_FROM) == test]
        for k in range(NEG_PER_POS):
            same_day = k % 2 == 0
            d1 = day[a] if same_day else rng.choice(pool_days)
            d2 = d1 if same_day else rng.choice([x for x in pool_days if x != d1])
            while True:
                i, j = rng.choice(by_day[d1]), rng.choice(by_day[d2])
                if i != j and gid_of.get(i, -1 - i) != gid_of.get(j, -2 - j):
                    break
            neg.append((i, j))
    out = [(a, b, 1) for a, b in pos] + [(a, b, 0) for a, b in neg]
    split = ["test" if min(day[a], day[b]) >= SNN_TEST_FROM else "train" for a, b, _ in out]
    # a pair straddling the split date goes to train only when both ends are before it
    keep = [k for k, (a, b, _) in enumerate(out) if (day[a] >= SNN_TEST_FROM) == (day[b] >= SNN_TEST_FROM)]
    return [out[k] for k in keep], [split[k] for k in keep], gid_of


def snn_hard_negatives(raw: list[dict], analyses, df, gid_of: dict[int, int], rng: random.Random, n: int):
    """Same-topic pairs of different events: an article and one of its 5 nearest
    neighbours (tf-idf cosine) published at least HARD_NEG_MIN_DAYS days apart.

    Only August articles (date_extracted is the publication date from 2015-08-01
    on); pairs in one prefix group or with cosine > 0.7 (a republished article)
    are skipped.
    """
    from datetime import date

    from scipy import sparse

    aug = [i for i, d in enumerate(raw)
           if (d.get("date_extracted") or "") >= "2015-08-01" and len((d.get("content") or "").strip()) >= 200]
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for r, i in enumerate(aug):
        for t, w in vectorize(analyses[i], df).terms.items():
            rows.append(r)
            cols.append(vocab.setdefault(t, len(vocab)))
            vals.append(w)
    X = sparse.csr_matrix((vals, (rows, cols)), shape=(len(aug), len(vocab)))
    ordinal = np.array([date.fromisoformat(raw[i]["date_extracted"][:10]).toordinal() for i in aug])
    anchors = rng.sample(range(len(aug)), min(n * 2, len(aug)))
    out = []
    for start in range(0, len(anchors), 500):
        chunk = anchors[start : start + 500]
        S = (X[chunk] @ X.T).toarray()
        for k, r in enumerate(chunk):
            far = np.abs(ordinal - ordinal[r]) >= HARD_NEG_MIN_DAYS
            s = np.where(far & (S[k] <= 0.7), S[k], -1.0)
            top = [int(j) for j in np.argsort(-s, kind="stable")[:5] if s[j] > 0]
            top = [j for j in top if gid_of.get(aug[j], -1) != gid_of.get(aug[r], -2)]
            if top:
                out.append((aug[r], aug[rng.choice(top)], 0))
            if len(out) >= n:
                return out
    return out


def snn_story_doc(d: dict, seq: int, enrichment=None) -> StoryDoc:
    doc = StoryDoc(
        article_id=f"snn{seq}",
        title=d.get("title") or None,
        body=d.get("content") or "",
        published=(d.get("date_extracted") or None),
        outlet=d.get("source"),
        seq=seq,
    )
    if enrichment is not None:
        _attach(doc, enrichment)
    return doc


def _attach(doc: StoryDoc, enrichment) -> None:
    for m in enrichment.mentions:
        doc.entities[m.entity_key] = doc.entities.get(m.entity_key, 0) + 1
    for e in enrichment.entities:
        doc.entities.setdefault(e.key, 1)
        doc.entity_types[e.key] = e.type
        doc.entity_names[e.key] = e.name


def load_ans(root: Path):
    rows = {}
    for split in ("train", "dev", "test"):
        path = root / f"{split}.csv"
        if path.exists():
            with open(path, encoding="utf-8", newline="") as fh:
                rows[split] = [(r["s1"].strip(), r["s2"].strip(), r["stance"].strip()) for r in csv.DictReader(fh)]
    return rows


# ---------------------------------------------------------------------------
# Features


def pair_features(vectors, pairs, tau):
    """Feature matrix and labels; a pair (a, b, y, gap) overrides the time gap between a and b."""
    rows = []
    for p in pairs:
        gap = p[3] if len(p) > 3 else False
        sig = compute_signals(vectors[p[0]], vectors[p[1]], tau, gap)
        rows.append([sig[f] for f in USE])
    return np.array(rows), np.array([p[2] for p in pairs])


def source_weights(y: np.ndarray, total: float) -> np.ndarray:
    w = np.zeros(len(y))
    for cls in (0, 1):
        n = int((y == cls).sum())
        if n:
            w[y == cls] = total / 2 / n
    return w


def fit(parts, C: float):
    from sklearn.linear_model import LogisticRegression

    X = np.vstack([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    w = np.concatenate([source_weights(p[1], 1.0) for p in parts])
    model = LogisticRegression(C=C, max_iter=2000)
    model.fit(X, y, sample_weight=w * len(y) / w.sum())
    return model


def auc(y, s) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, s)) if len(set(y.tolist())) == 2 else float("nan")


def best_f1(y, s) -> tuple[float, float]:
    """Best F1 over thresholds, and the threshold."""
    order = np.argsort(-s)
    ys = y[order]
    tp = np.cumsum(ys)
    fp = np.cumsum(1 - ys)
    P = tp / np.maximum(tp + fp, 1)
    R = tp / max(ys.sum(), 1)
    F = 2 * P * R / np.maximum(P + R, 1e-9)
    k = int(np.argmax(F))
    return float(F[k]), float(s[order][k])


TUNE_GRID = [
    {"link": "mean", "threshold": t, "window_days": w} for t in (0.6, 0.7, 0.8) for w in (2.0, 3.0, 5.0)
] + [{"link": "max", "threshold": t} for t in (0.5, 0.7, 0.9)] + [{"link": "max_mean", "threshold": 0.8},
                                                                  {"link": "centroid", "threshold": 0.5}] + [
    {"link": "mean", "threshold": 0.4, "window_days": 3.0, "size_slope": s, "size_knee": k}
    for s, k in ((0.0, 20), (0.05, 20), (0.1, 20), (0.1, 10), (0.15, 10), (0.2, 20))
]


def tune(shared: Path, enrich_text, resources, limit: int | None, similarity_path: Path | None) -> None:
    """Cluster the sample corpus (BCubed vs gold) and SaudiNewsNet (recall of the pairs
    sharing their first 300 characters, largest stories) for each setting of TUNE_GRID."""
    import itertools

    from rasd.stories.cluster import StoryClusterer, publication_order
    from rasd.stories.evaluate import evaluate_sample
    from rasd.stories.similarity import StorySimilarity

    sim = StorySimilarity.load(similarity_path)
    snn_dir = shared / "data" / "saudinewsnet"
    raw = load_snn(snn_dir) if snn_dir.exists() else []
    if limit:
        raw = raw[:limit]
    t0 = time.time()
    docs = [snn_story_doc(d, i, enrich_text(d.get("content") or "", resources)) for i, d in enumerate(raw)]
    if raw:
        print(f"saudinewsnet: {len(docs)} articles enriched in {time.time() - t0:.0f}s")
    ordered = publication_order(docs)
    groups: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(raw):
        if len((d.get("content") or "").strip()) >= SNN_PREFIX:
            groups[d["content"][:SNN_PREFIX]].append(i)
    pairs = [p for v in groups.values() if 2 <= len(v) <= 10 for p in itertools.combinations(v, 2)]
    for setting in TUNE_GRID:
        s = evaluate_sample(similarity=sim, **setting)
        line = f"{json.dumps(setting)}: sample BCubed P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f}"
        if docs:
            c = StoryClusterer(sim, **setting)
            t = time.time()
            for d in ordered:
                c.add(d)
            rate = len(ordered) / (time.time() - t)
            where = c.assignments()
            rec = sum(where[docs[a].article_id] == where[docs[b].article_id] for a, b in pairs) / max(len(pairs), 1)
            sizes = sorted(map(len, c.stories().values()), reverse=True)
            line += (f" | snn prefix-dup pair recall {rec:.3f} ({len(pairs)} pairs), stories {len(sizes)}, "
                     f"largest {sizes[:5]}, {rate:.0f} articles/s")
        print(line, flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--tau", type=float, default=DEFAULT_DATE_TAU)
    ap.add_argument("--dry-run", action="store_true", help="measure only, write nothing")
    ap.add_argument("--out", type=Path, default=DATA_DIR)
    ap.add_argument("--cache", type=Path, default=None, help="folder to cache enrichments in (development)")
    ap.add_argument("--tune", action="store_true",
                    help="instead of training, grid the clusterer's threshold/window/link (sample + SaudiNewsNet)")
    ap.add_argument("--tune-limit", type=int, default=None, help="use only the first N SaudiNewsNet articles")
    ap.add_argument("--drop", default="", help="comma-separated features to leave out (ablation)")
    args = ap.parse_args()
    for f in filter(None, args.drop.split(",")):
        USE.remove(f)
    t0 = time.time()
    rng = random.Random(SEED)
    tau = args.tau
    from rasd.enrich.stage import enrich_text as _enrich_text
    from rasd.enrich.stage import load_resources

    cache: dict = {}
    cache_path = args.cache / "enrich.pkl" if args.cache else None
    if cache_path and cache_path.exists():
        import pickle

        cache = pickle.loads(cache_path.read_bytes())

    def enrich_text(text, res):
        from rasd.records import content_hash

        key = content_hash(text)
        if key not in cache:
            cache[key] = _enrich_text(text, res)
        return cache[key]

    resources = load_resources()
    if args.tune:
        tune(args.shared, enrich_text, resources, args.tune_limit, None if args.out == DATA_DIR else args.out / "similarity.json")
        if cache_path:
            import pickle

            cache_path.parent.mkdir(parents=True, exist_ok=True)
            cache_path.write_bytes(pickle.dumps(cache))
        return 0

    # (a) sample corpus -------------------------------------------------
    docs, labels = sample_docs()
    sdf = DocumentFrequencies()
    analyses = [analyze(d) for d in docs]
    for a in analyses:
        sdf.add(a)
    svec = [vectorize(a, sdf) for a in analyses]
    spairs = sample_pairs(labels)
    Xs, ys = pair_features(svec, spairs, tau)
    print(f"sample: {len(docs)} articles, {len(spairs)} pairs ({int(ys.sum())} same-story)")
    # story-grouped folds for held-out measurement
    group = [lab if lab is not None else f"single{i}" for i, lab in enumerate(labels)]
    gnames = sorted(set(group))
    fold_of_group = {g: k % 4 for k, g in enumerate(gnames)}
    sfold = [(fold_of_group[group[a]], fold_of_group[group[b]]) for a, b, _ in spairs]
    sample_gaps = [abs(svec[a].time - svec[b].time) for a, b, y in spairs
                   if y == 1 and svec[a].time is not None and svec[b].time is not None]

    # (b) SaudiNewsNet ------------------------------------------------------
    # shifted copies of the negatives (different stories whatever their dates, see below)
    s_shift = [(a, b, 0, rng.choice(sample_gaps)) for a, b, y in spairs if y == 0]
    Xs_shift, ys_shift = pair_features(svec, s_shift, tau)
    s_shift_fold = [(fold_of_group[group[a]], fold_of_group[group[b]]) for a, b, _, _ in s_shift]
    parts_train, parts_test = {"sample": (np.vstack([Xs, Xs_shift]), np.concatenate([ys, ys_shift]))}, {}
    snn_dir = args.shared / "data" / "saudinewsnet"
    if snn_dir.exists():
        raw = load_snn(snn_dir)
        pairs, split, gid_of = snn_pairs(raw, rng)
        ndf = DocumentFrequencies()
        plain = [analyze(snn_story_doc(d, i)) for i, d in enumerate(raw)]
        for a in plain:  # IDF over the whole corpus (terms only, no enrichment needed)
            ndf.add(a)
        n_pos = sum(p[2] for p in pairs)
        hard = snn_hard_negatives(raw, plain, ndf, gid_of, rng, n_pos)
        # Each hard negative is used twice: with its real gap (>= 5 days) and with a
        # gap drawn from the positives' gaps. Both events differ whatever their dates,
        # so the date cannot explain away topical similarity (without the copy, every
        # same-topic negative is far apart and closeness in time alone looks decisive).
        pos_gaps = sorted(abs(parse_time(raw[a]["date_extracted"]) - parse_time(raw[b]["date_extracted"]))
                          for a, b, y in pairs if y == 1)
        pos_gaps += [g for g in sample_gaps]
        shifted = [(a, b, 0, rng.choice(pos_gaps)) for a, b, _ in hard]
        pairs += hard + shifted
        hard_split = ["test" if (raw[a].get("date_extracted") or "") >= SNN_TEST_FROM else "train" for a, _, _ in hard]
        split += hard_split + hard_split
        hard_flag = [False] * (len(pairs) - 2 * len(hard)) + [True] * (2 * len(hard))
        needed = sorted({i for p in pairs for i in p[:2]})
        nvec = {}
        for i in needed:
            d = raw[i]
            enr = enrich_text(d.get("content") or "", resources)
            nvec[i] = vectorize(analyze(snn_story_doc(d, i, enr)), ndf)
        tr = [p for p, s in zip(pairs, split) if s == "train"]
        te = [p for p, s in zip(pairs, split) if s == "test"]
        parts_train["snn"] = pair_features(nvec, tr, tau)
        parts_test["snn"] = pair_features(nvec, te, tau)
        cross = np.array([raw[p[0]]["source"] != raw[p[1]]["source"] for p in te])
        parts_test["snn_cross_outlet_pos"] = (parts_test["snn"][0], parts_test["snn"][1], cross)
        te_hard = np.array([h for h, s_ in zip(hard_flag, split) if s_ == "test"])
        parts_test["snn_hard_neg"] = (parts_test["snn"][0], parts_test["snn"][1], te_hard)
        print(f"saudinewsnet: {len(raw)} articles, pairs train {len(tr)} test {len(te)} "
              f"(positives {n_pos}, hard negatives {len(hard)}), {time.time() - t0:.0f}s")
    else:
        print(f"skip SaudiNewsNet: {snn_dir} not found")

    # (c) ANS stance --------------------------------------------------------
    ans_dir = args.shared / "data" / "ans" / "stance"
    ans_disagree = None
    if ans_dir.exists():
        rows = load_ans(ans_dir)
        heads = sorted({s for split in rows.values() for r in split for s in r[:2]})
        index = {h: k for k, h in enumerate(heads)}
        adf = DocumentFrequencies()
        aan = []
        for k, h in enumerate(heads):
            doc = StoryDoc(article_id=f"ans{k}", title=h, body=h, published=None, outlet=None, seq=k)
            _attach(doc, enrich_text(h, resources))
            a = analyze(doc)
            aan.append(a)
            adf.add(a)
        avec = [vectorize(a, adf) for a in aan]

        def ans_part(split_rows):
            pos = [(index[s1], index[s2], 1) for s1, s2, st in split_rows if st == "agree"]
            neg = []
            for s1, _, st in split_rows:
                if st != "agree":
                    continue
                for _ in range(NEG_PER_POS):
                    while True:
                        other = rng.choice(split_rows)[1]
                        if other != s1 and index[other] != index[s1]:
                            break
                    neg.append((index[s1], index[other], 0))
            return pos + neg

        tr = ans_part(rows.get("train", []) + rows.get("dev", []))
        te = ans_part(rows.get("test", []))
        parts_train["ans"] = pair_features(avec, tr, tau)
        parts_test["ans"] = pair_features(avec, te, tau)
        dis = [(index[s1], index[s2], int(st == "agree")) for s1, s2, st in rows.get("test", []) if st in ("agree", "disagree")]
        ans_disagree = pair_features(avec, dis, tau)
        print(f"ans: {len(heads)} headlines, pairs train {len(tr)} test {len(te)}")
    else:
        print(f"skip ANS: {ans_dir} not found")

    # Single-feature AUCs (what each signal separates on its own) ----------
    print("\nsingle-signal AUC (train parts):")
    for name, (X, y) in parts_train.items():
        print(f"  {name:>7}: " + "  ".join(f"{f}={auc(y, X[:, k]):.3f}" for k, f in enumerate(USE)))

    # Held-out quality --------------------------------------------------------
    held: dict = {}
    # sample: 4 story-grouped folds; test pairs touch the fold, train pairs do not
    s_scores = np.zeros(len(ys))
    s_mask = np.zeros(len(ys), dtype=bool)
    for k in range(4):
        test_idx = np.array([fa == k or fb == k for fa, fb in sfold])
        train_idx = np.array([fa != k and fb != k for fa, fb in sfold])
        shift_idx = np.array([fa != k and fb != k for fa, fb in s_shift_fold])
        parts = [(np.vstack([Xs[train_idx], Xs_shift[shift_idx]]), np.concatenate([ys[train_idx], ys_shift[shift_idx]]))]
        parts += [v for n, v in parts_train.items() if n != "sample"]
        m = fit(parts, args.C)
        s_scores[test_idx] = m.predict_proba(Xs[test_idx])[:, 1]
        s_mask |= test_idx
    held["sample_cv_auc"] = auc(ys, s_scores)
    held["sample_cv_best_f1"] = best_f1(ys, s_scores)[0]
    model = fit(list(parts_train.values()), args.C)
    for name, part in parts_test.items():
        if name == "snn_hard_neg":  # positives vs the same-topic, different-event negatives only
            X, y, flag = part
            keep = (y == 1) | flag
            held["snn_pos_vs_hard_neg_auc"] = auc(y[keep], model.predict_proba(X[keep])[:, 1])
            continue
        if name == "snn_cross_outlet_pos":
            X, y, cross = part
            keep = (y == 0) | cross
            held["snn_cross_outlet_auc"] = auc(y[keep], model.predict_proba(X[keep])[:, 1])
            continue
        X, y = part
        p = model.predict_proba(X)[:, 1]
        held[f"{name}_auc"] = auc(y, p)
        held[f"{name}_pearson"] = float(np.corrcoef(p, y)[0, 1])
    if ans_disagree is not None:
        X, y = ans_disagree
        p = model.predict_proba(X)[:, 1]
        held["ans_agree_vs_disagree_pearson"] = float(np.corrcoef(p, y)[0, 1])
        held["ans_agree_vs_disagree_auc"] = auc(y, p)
        held["ans_disagree_mean_score"] = float(p[y == 0].mean())
        held["ans_agree_mean_score"] = float(p[y == 1].mean())
    held = {k: round(v, 4) for k, v in held.items()}
    print("\nheld-out:", json.dumps(held, indent=1))
    weights = [round(float(w), 5) for w in model.coef_[0]]
    intercept = round(float(model.intercept_[0]), 5)
    print("weights:", dict(zip(USE, weights)), "intercept", intercept)

    import sklearn

    out = {
        "features": list(USE),
        "weights": weights,
        "intercept": intercept,
        "date_tau": tau,
        "trained": {
            "script": "bench/train_similarity.py",
            "sklearn": sklearn.__version__,
            "C": args.C,
            "seed": SEED,
            "pairs": {n: {"n": len(v[1]), "positives": int(v[1].sum())} for n, v in parts_train.items()},
            "held_out": held,
        },
    }
    if cache_path:
        import pickle

        cache_path.parent.mkdir(parents=True, exist_ok=True)
        cache_path.write_bytes(pickle.dumps(cache))
    if not args.dry_run:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "similarity.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        ref = sdf.to_dict()
        (args.out / REFERENCE_DF_PATH.name).write_text(json.dumps(ref, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {args.out / 'similarity.json'} and {args.out / REFERENCE_DF_PATH.name}")
    print(f"done in {time.time() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
