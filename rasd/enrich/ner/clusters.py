"""Build word clusters from unlabelled Arabic news text (offline, reproducible).

Recipe: tokenise + normalise the corpus (SaudiNewsNet zips, plus optionally the token column
of CoNLL files), count directional window co-occurrences (positions -2,-1,+1,+2) of every word
with frequency >= --min-count against the --contexts most frequent words, re-weight with
positive PMI (context-distribution smoothing 0.75), reduce with a truncated SVD (--dim),
L2-normalise, then run k-means at several granularities (--ks). Each word gets one cluster id
per granularity. Output: gzipped TSV ``word<TAB>id_k1<TAB>id_k2...`` with a header line, and
(--emb-out) the first 100 SVD dimensions of the 60k most frequent words as the BiLSTM's frozen
word embeddings (``emb.npz``, float16).

Usage (what the shipped files were built with; ~5-10 min on 2 cores):

    python -m rasd.enrich.ner.clusters --from ../shared/data/saudinewsnet \\
        --conll ../shared/data/anercorp/ANERcorp_camelstyle_train.txt \\
        --out rasd/data/ner/clusters.tsv.gz --emb-out rasd/data/ner/emb.npz

Needs numpy, scipy and scikit-learn at build time only; tagging just reads the TSV.
"""

from __future__ import annotations

import argparse
import glob
import gzip
import json
import os
import sys
import time
import zipfile
from collections import Counter

from .features import cluster_key, tokenize


def iter_corpus(news_dir: str | None, conll: list[str]):
    if news_dir:
        for p in sorted(glob.glob(os.path.join(news_dir, "*.zip"))):
            with zipfile.ZipFile(p) as z:
                for name in sorted(z.namelist()):
                    if not name.endswith(".json"):
                        continue
                    for art in json.loads(z.read(name)):
                        for field in ("title", "content"):
                            txt = art.get(field) or ""
                            for para in txt.split("\n"):
                                toks = tokenize(para)
                                if toks:
                                    yield toks
    for path in conll:
        from .conll import read_conll

        for toks, _tags in read_conll(path):
            yield toks


def build(news_dir, conll, out, min_count=4, contexts=20000, dim=200, ks=(64, 256, 1024, 4096), seed=13,
          emb_out=None, emb_dim=100, emb_words=60000):
    import numpy as np
    import scipy.sparse as sp
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.utils.extmath import randomized_svd

    t0 = time.time()
    sents = [[cluster_key(t) for t in s] for s in iter_corpus(news_dir, conll)]
    cnt = Counter(w for s in sents for w in s)
    print(f"{len(sents)} segments, {sum(cnt.values())} tokens, {len(cnt)} types ({time.time()-t0:.0f}s)", file=sys.stderr)
    vocab = sorted((w for w, c in cnt.items() if c >= min_count), key=lambda w: (-cnt[w], w))
    widx = {w: i for i, w in enumerate(vocab)}
    C = min(contexts, len(vocab))
    # corpus as id array, -1 = OOV, -2 = segment boundary
    ids = []
    for s in sents:
        ids.extend(widx.get(w, -1) for w in s)
        ids.extend((-2, -2))
    ids = np.asarray(ids, dtype=np.int64)
    del sents
    rows, cols = [], []
    for k, off in enumerate((-2, -1, 1, 2)):
        if off < 0:
            a, b = ids[-off:], ids[:off]
        else:
            a, b = ids[:-off], ids[off:]
        m = (a >= 0) & (b >= 0) & (b < C)
        rows.append(a[m])
        cols.append(b[m] + k * C)
    rows = np.concatenate(rows)
    cols = np.concatenate(cols)
    M = sp.coo_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(vocab), 4 * C)).tocsr()
    M.sum_duplicates()
    print(f"cooc {M.shape} nnz={M.nnz} ({time.time()-t0:.0f}s)", file=sys.stderr)
    total = M.sum()
    row_sum = np.asarray(M.sum(axis=1)).ravel()
    col_sum = np.asarray(M.sum(axis=0)).ravel() ** 0.75
    col_p = col_sum / col_sum.sum()
    M = M.tocoo()
    pmi = np.log((M.data / total) / ((row_sum[M.row] / total) * col_p[M.col]))
    keep = pmi > 0
    P = sp.csr_matrix((pmi[keep].astype(np.float32), (M.row[keep], M.col[keep])), shape=M.shape)
    U, S, _ = randomized_svd(P, n_components=dim, n_iter=5, random_state=seed)
    E = U * np.sqrt(S)
    E /= np.linalg.norm(E, axis=1, keepdims=True) + 1e-8
    print(f"svd done ({time.time()-t0:.0f}s)", file=sys.stderr)
    if emb_out:
        # word embeddings for the neural tagger: first emb_dim SVD components of the emb_words most frequent words
        n = min(emb_words, len(vocab))
        W = E[:n, :emb_dim].copy()
        W /= np.linalg.norm(W, axis=1, keepdims=True) + 1e-8
        np.savez_compressed(emb_out, words=np.array(vocab[:n]), vectors=W.astype(np.float16))
        print(f"wrote {n}x{emb_dim} embeddings to {emb_out}", file=sys.stderr)
    if not out or not ks:
        return
    labels = []
    for k in ks:
        km = MiniBatchKMeans(n_clusters=k, random_state=seed, batch_size=4096, n_init=3, max_iter=100)
        labels.append(km.fit_predict(E))
        print(f"k={k} done ({time.time()-t0:.0f}s)", file=sys.stderr)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("#word\t" + "\t".join(f"k{k}" for k in ks) + "\n")
        for i, w in enumerate(vocab):
            fh.write(w + "\t" + "\t".join(str(int(l[i])) for l in labels) + "\n")
    print(f"wrote {len(vocab)} words to {out} ({time.time()-t0:.0f}s)", file=sys.stderr)


def load_clusters(path) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            out[parts[0]] = tuple(parts[1:])
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--from", dest="news_dir", help="directory of SaudiNewsNet *.zip files")
    ap.add_argument("--conll", action="append", default=[], help="also use the tokens (not tags) of this CoNLL file")
    ap.add_argument("--out", default=None, help="clusters .tsv.gz to write")
    ap.add_argument("--emb-out", default=None, help="also write word embeddings (.npz) for the neural tagger")
    ap.add_argument("--emb-dim", type=int, default=100)
    ap.add_argument("--emb-words", type=int, default=60000)
    ap.add_argument("--min-count", type=int, default=4)
    ap.add_argument("--contexts", type=int, default=20000)
    ap.add_argument("--dim", type=int, default=200)
    ap.add_argument("--ks", default="64,256,1024,4096")
    ap.add_argument("--seed", type=int, default=13)
    a = ap.parse_args(argv)
    ks = tuple(int(x) for x in a.ks.split(",") if x)
    build(a.news_dir, a.conll, a.out, a.min_count, a.contexts, a.dim, ks, a.seed, a.emb_out, a.emb_dim, a.emb_words)


if __name__ == "__main__":
    main()
