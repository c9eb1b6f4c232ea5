"""BiLSTM-CRF tagger (torch, CPU) over word embeddings learnt from unlabelled news, a character
CNN and the same symbolic features the CRF uses (clusters, gazetteers, triggers, clitics, train
lexicon). BIO constraints are hard-wired into the CRF transitions.

Training: :func:`train_neural` (called from :mod:`rasd.enrich.ner.train` with ``--arch bilstm``).
Inference: :class:`rasd.enrich.ner.infer.NumpyCore` (numpy only, loaded by :class:`rasd.enrich.ner.model.NERTagger`);
:class:`NeuralCore` runs the torch model (training checks).
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Sequence

import numpy as np

from .features import TRIGGERS, FeatureExtractor, Resources, cluster_key, normalize, shape, strip_proclitics

LABELS = ["O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"]
GAZ_TYPES = ["LOC", "PERF", "ORG", "MISC"]
LEX_TYPES = ["PERS", "LOC", "ORG", "MISC", "PERS1", "LOC1", "ORG1", "MISC1"]
SHAPES = ["ar", "d1", "d2", "d3", "d4", "d5", "dmix", "LAT_UP", "LAT_Cap", "lat", "other", "punct"]
PROCLITICS = ["", "و", "ف", "ب", "ل", "ك", "ال", "لل", "وال", "بال", "فال", "كال", "وب", "ول", "وك", "فب", "فل", "وبال", "وكال", "وفال", "ولل", "فبال", "فلل"]
TRIG = ["per", "loc", "org", "say", "prep"]
MAX_CHARS = 20


class Featurizer:
    """Maps tokens to integer feature ids (memoised per word type)."""

    def __init__(self, meta: dict, res: Resources, emb_index: dict[str, int]):
        self.meta = meta
        self.res = res
        self.emb_index = emb_index
        self.word_index: dict[str, int] = meta["word_index"]
        self.char_index: dict[str, int] = meta["char_index"]
        self.n_cluster = meta["n_cluster"]
        self.fx = FeatureExtractor(res, ["gaz"])
        self._cache: dict[str, tuple] = {}

    def _lookup_emb(self, k: str) -> int:
        i = self.emb_index.get(k)
        if i is not None:
            return i
        for _p, s in strip_proclitics(k):
            i = self.emb_index.get(s)
            if i is not None:
                return i
        return len(self.emb_index)  # UNK row

    def _type(self, word: str) -> tuple:
        n = normalize(word)
        k = cluster_key(word)
        shp = shape(word)
        if shp.startswith("p"):
            shp = "punct"
        e = self._lookup_emb(k)
        w = self.word_index.get(k, 1)
        chars = [self.char_index.get(c, 1) for c in k[:MAX_CHARS]]
        cl = self.res.clusters.get(k)
        pc = ""
        if cl is None:
            for p, s in strip_proclitics(k):
                cl = self.res.clusters.get(s)
                if cl is not None:
                    pc = p
                    break
        if shp == "ar" and not pc:
            st = strip_proclitics(n)
            pc = st[0][0] if st else ""
        cids = [int(c) + 1 for c in cl] if cl is not None else [0] * self.n_cluster
        stem = n[len(pc):] if pc else n
        trig = TRIGGERS.get(n) or TRIGGERS.get(stem)
        gz = self.res.gaz_single.get(n)
        if gz is None and shp == "ar":
            for _p, s in strip_proclitics(n):
                gz = self.res.gaz_single.get(s)
                if gz:
                    break
        lx = self.res.lexicon.get(n)
        if lx is None and shp == "ar":
            for _p, s in strip_proclitics(n):
                lx = self.res.lexicon.get(s)
                if lx:
                    break
        disc = [
            SHAPES.index(shp) if shp in SHAPES else SHAPES.index("other"),
            PROCLITICS.index(pc) if pc in PROCLITICS else 0,
            TRIG.index(trig) + 1 if trig else 0,
            LEX_TYPES.index(lx) + 1 if lx in LEX_TYPES else 0,
        ]
        gvec = [1.0 if gz and t in gz else 0.0 for t in GAZ_TYPES]
        return e, w, chars, cids, disc, gvec, n, tuple(chars), -1

    def sentence(self, tokens: Sequence[str]):
        out = []
        for t in tokens:
            r = self._cache.get(t)
            if r is None:
                r = self._type(t)
                if len(self._cache) < 200_000:
                    # cached types get a stable id: infer.NumpyCore memoises their input projection by it
                    r = r[:8] + (len(self._cache),)
                    self._cache[t] = r
            out.append(r)
        spans = self.fx._gaz_spans([r[6] for r in out])
        if not any(spans):
            return out, None  # no multi-token gazetteer match (most sentences)
        multi = []
        for sp in spans:
            v = [0.0] * (2 * len(GAZ_TYPES))
            for s in sp:
                kind, t = s.split("=", 1)
                if t in GAZ_TYPES:
                    v[GAZ_TYPES.index(t) + (0 if kind == "gB" else len(GAZ_TYPES))] = 1.0
            multi.append(v)
        return out, multi


def batch_tensors(feats_list, torch):
    """Pad a list of featurised sentences into tensors (char CNN inputs de-duplicated per word type)."""
    return {k: torch.from_numpy(v) for k, v in batch_arrays(feats_list).items()}


def batch_arrays(feats_list):
    """Pad a list of featurised sentences into numpy arrays."""
    B = len(feats_list)
    L = max(len(f[0]) for f in feats_list)
    nc = len(feats_list[0][0][0][3])
    nd = len(GAZ_TYPES) * 3
    emb = np.zeros((B, L), dtype=np.int64)
    wid = np.zeros((B, L), dtype=np.int64)
    cl = np.zeros((B, L, nc), dtype=np.int64)
    disc = np.zeros((B, L, 4), dtype=np.int64)
    dense = np.zeros((B, L, nd), dtype=np.float32)
    mask = np.zeros((B, L), dtype=bool)
    tix = np.zeros((B, L), dtype=np.int64)
    types: dict[tuple, int] = {}
    for b, (toks, multi) in enumerate(feats_list):
        n = len(toks)
        mask[b, :n] = True
        emb[b, :n] = [t[0] for t in toks]
        wid[b, :n] = [t[1] for t in toks]
        cl[b, :n] = [t[3] for t in toks]
        disc[b, :n] = [t[4] for t in toks]
        if multi is None:  # Featurizer.sentence: no multi-token gazetteer match in the sentence
            multi = [[0.0] * (2 * len(GAZ_TYPES))] * n
        dense[b, :n] = [t[5] + m for t, m in zip(toks, multi)]
        ids = []
        for t in toks:
            key = t[7]
            j = types.get(key)
            if j is None:
                j = types[key] = len(types)
            ids.append(j)
        tix[b, :n] = ids
    C = max(3, max((len(k) for k in types), default=1))
    chars = np.zeros((len(types), C), dtype=np.int64)
    for key, j in types.items():
        if key:
            chars[j, : len(key)] = key
    return dict(emb=emb, wid=wid, cl=cl, disc=disc, dense=dense, mask=mask, chars=chars, tix=tix)


def allowed_transitions():
    T = len(LABELS)
    allow = np.ones((T, T), dtype=bool)
    start = np.ones(T, dtype=bool)
    for j, lj in enumerate(LABELS):
        if lj.startswith("I-"):
            start[j] = False
            for i, li in enumerate(LABELS):
                if li[2:] != lj[2:]:
                    allow[i, j] = False
    return allow, start


def make_model(meta: dict, torch, nn):
    class BiLSTMCRF(nn.Module):
        def __init__(self):
            super().__init__()
            m = meta
            self.pre = nn.Embedding(m["n_emb"] + 1, m["emb_dim"])
            self.pre.weight.requires_grad = False
            self.word = nn.Embedding(len(m["word_index"]) + 2, m["word_dim"])
            self.char = nn.Embedding(len(m["char_index"]) + 2, m["char_dim"], padding_idx=0)
            self.conv = nn.Conv1d(m["char_dim"], m["char_filters"], 3, padding=1)
            self.cl = nn.ModuleList(nn.Embedding(k + 1, m["cl_dim"]) for k in m["cluster_sizes"])
            self.disc = nn.ModuleList(
                nn.Embedding(n + 1, 8) for n in (len(SHAPES), len(PROCLITICS), len(TRIG), len(LEX_TYPES))
            )
            d_in = m["emb_dim"] + m["word_dim"] + m["char_filters"] + m["cl_dim"] * len(m["cluster_sizes"]) + 32 + len(GAZ_TYPES) * 3
            self.drop = nn.Dropout(m["dropout"])
            self.wdrop = m.get("word_dropout", 0.0)
            self.lstm = nn.LSTM(d_in, m["hidden"], num_layers=m["layers"], bidirectional=True, batch_first=True,
                                dropout=m["dropout"] if m["layers"] > 1 else 0.0)
            self.out = nn.Linear(2 * m["hidden"], len(LABELS))
            T = len(LABELS)
            self.trans = nn.Parameter(torch.zeros(T, T))
            self.start = nn.Parameter(torch.zeros(T))
            self.end = nn.Parameter(torch.zeros(T))
            allow, start = allowed_transitions()
            self.register_buffer("trans_mask", torch.tensor(np.where(allow, 0.0, -1e4), dtype=torch.float32))
            self.register_buffer("start_mask", torch.tensor(np.where(start, 0.0, -1e4), dtype=torch.float32))

        def emissions(self, b):
            wid = b["wid"]
            if self.training and self.wdrop > 0:
                wid = wid.masked_fill(torch.rand(wid.shape) < self.wdrop, 1)
            ch = self.char(b["chars"]).transpose(1, 2)  # types, dim, C
            ch = torch.relu(self.conv(ch)).max(dim=2).values  # types, filters
            ch = ch[b["tix"]]
            parts = [self.pre(b["emb"]), self.word(wid), ch]
            parts += [e(b["cl"][:, :, i]) for i, e in enumerate(self.cl)]
            parts += [e(b["disc"][:, :, i]) for i, e in enumerate(self.disc)]
            parts.append(b["dense"])
            x = self.drop(torch.cat(parts, dim=-1))
            lengths = b["mask"].sum(1)
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=x.shape[1])
            return self.out(self.drop(h))

        def _trans(self):
            return self.trans + self.trans_mask, self.start + self.start_mask

        def nll(self, b, y):
            em = self.emissions(b)
            mask = b["mask"]
            trans, start = self._trans()
            B, L, T = em.shape
            # gold score
            score = start[y[:, 0]] + em[:, 0].gather(1, y[:, :1]).squeeze(1)
            for t in range(1, L):
                m = mask[:, t]
                s = trans[y[:, t - 1], y[:, t]] + em[:, t].gather(1, y[:, t : t + 1]).squeeze(1)
                score = score + s * m
            last = y.gather(1, (mask.sum(1) - 1).unsqueeze(1)).squeeze(1)
            score = score + self.end[last]
            # partition
            alpha = start + em[:, 0]
            for t in range(1, L):
                nxt = torch.logsumexp(alpha.unsqueeze(2) + trans.unsqueeze(0), dim=1) + em[:, t]
                alpha = torch.where(mask[:, t].unsqueeze(1), nxt, alpha)
            logz = torch.logsumexp(alpha + self.end, dim=1)
            return (logz - score).sum()

        @torch.no_grad()
        def decode(self, b):
            trans, start = self._trans()
            return viterbi(torch, self.emissions(b), trans, start, self.end, b["mask"])

    return BiLSTMCRF()


def repair_bio(tags: Sequence[str]) -> list[str]:
    """I-X not preceded by B-X/I-X becomes B-X (same chunks under seqeval's default reading)."""
    out, prev = [], "O"
    for t in tags:
        if t.startswith("I-") and prev[2:] != t[2:]:
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


def viterbi(torch, em, trans, start, end, mask):
    """Batched Viterbi; em (B, L, T), returns a list of label-id lists (unpadded)."""
    B, L, T = em.shape
    score = start + em[:, 0]
    bps = []
    ar = torch.arange(T).expand(B, T)
    for t in range(1, L):
        best, bp = (score.unsqueeze(2) + trans.unsqueeze(0)).max(dim=1)
        m = mask[:, t].unsqueeze(1)
        score = torch.where(m, best + em[:, t], score)
        bps.append(torch.where(m, bp, ar))
    score = score + end
    last = score.argmax(1)
    path = [last]
    for bp in reversed(bps):
        last = bp.gather(1, last.unsqueeze(1)).squeeze(1)
        path.append(last)
    path.reverse()
    P = torch.stack(path, 1).tolist()
    lengths = mask.sum(1).tolist()
    return [P[i][: lengths[i]] for i in range(B)]


def load_embeddings(path):
    z = np.load(path, allow_pickle=False)
    words = [str(w) for w in z["words"]]
    return {w: i for i, w in enumerate(words)}, z["vectors"].astype(np.float32)


DEFAULT_META = dict(emb_dim=100, word_dim=50, char_dim=30, char_filters=50, cl_dim=16, hidden=128, layers=1,
                    dropout=0.5, word_dropout=0.05, lr=2e-3, epochs=25, batch=16, min_word_count=2)


def train_neural(train_sents, dev_sents, res_full: Resources, jack_resources: list[Resources] | None,
                 emb_path, out_dir: Path, seed=13, hp: dict | None = None, eval_sents=None, log=print,
                 name: str = "bilstm"):
    import torch
    from torch import nn

    from .metrics import evaluate

    torch.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    meta = dict(DEFAULT_META)
    meta.update(hp or {})
    emb_index, vectors = load_embeddings(emb_path)
    from collections import Counter

    wc = Counter(cluster_key(w) for toks, _ in train_sents for w in toks)
    words = sorted(w for w, c in wc.items() if c >= meta["min_word_count"])
    meta["word_index"] = {w: i + 2 for i, w in enumerate(words)}
    cc = Counter(c for w in wc for c in w)
    meta["char_index"] = {c: i + 2 for i, c in enumerate(sorted(c for c, n in cc.items() if n >= 2))}
    any_cl = next(iter(res_full.clusters.values()))
    meta["n_cluster"] = len(any_cl)
    meta["cluster_sizes"] = [max(int(v[i]) for v in res_full.clusters.values()) + 1 for i in range(len(any_cl))]
    meta["n_emb"] = len(emb_index)
    meta["emb_dim"] = vectors.shape[1]

    lab = {l: i for i, l in enumerate(LABELS)}
    train_sents = [(toks, repair_bio(tags)) for toks, tags in train_sents]
    folds = len(jack_resources) if jack_resources else 1
    train_data = []
    for i, (toks, tags) in enumerate(train_sents):
        res = jack_resources[i % folds] if jack_resources else res_full
        fz = Featurizer(meta, res, emb_index) if not hasattr(res, "_fz") else res._fz
        res._fz = fz
        train_data.append((fz.sentence(toks), [lab[t] for t in tags]))
    fz_full = Featurizer(meta, res_full, emb_index)

    model = make_model(meta, torch, nn)
    model.pre.weight.data[: len(vectors)] = torch.from_numpy(vectors)
    model.pre.weight.data[len(vectors)] = 0
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=meta["lr"])

    def predict(sents):
        model.eval()
        out = []
        order = sorted(range(len(sents)), key=lambda i: len(sents[i]))
        res = [None] * len(sents)
        for s in range(0, len(order), 64):
            idx = order[s : s + 64]
            b = batch_tensors([fz_full.sentence(sents[i]) for i in idx], torch)
            for i, p in zip(idx, model.decode(b)):
                res[i] = [LABELS[x] for x in p]
        return res

    best = (-1.0, None, -1)
    rng = random.Random(seed)
    for ep in range(meta["epochs"]):
        t0 = time.time()
        model.train()
        # length-bucketed shuffled batches
        order = sorted(range(len(train_data)), key=lambda i: (len(train_data[i][1]), rng.random()))
        batches = [order[s : s + meta["batch"]] for s in range(0, len(order), meta["batch"])]
        rng.shuffle(batches)
        tot = 0.0
        for bi in batches:
            b = batch_tensors([train_data[i][0] for i in bi], torch)
            L = b["mask"].shape[1]
            y = torch.zeros(len(bi), L, dtype=torch.long)
            for r, i in enumerate(bi):
                y[r, : len(train_data[i][1])] = torch.tensor(train_data[i][1])
            loss = model.nll(b, y)
            opt.zero_grad()
            (loss / len(bi)).backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            tot += loss.item()
        msg = f"epoch {ep+1} loss {tot/len(train_data):.3f} ({time.time()-t0:.0f}s)"
        f_dev = None
        if dev_sents:
            f_dev = evaluate([g for _, g in dev_sents], predict([t for t, _ in dev_sents]))["micro"][2]
            msg += f" dev F1 {f_dev:.4f}"
        if eval_sents:
            f_ev = evaluate([g for _, g in eval_sents], predict([t for t, _ in eval_sents]))["micro"][2]
            msg += f" eval F1 {f_ev:.4f}"
        log(msg)
        key = f_dev if f_dev is not None else ep
        if key > best[0]:
            best = (key, {k: v.clone() for k, v in model.state_dict().items()}, ep + 1)
    model.load_state_dict(best[1])
    meta["best_epoch"] = best[2]
    save_core(model, meta, out_dir, torch, name)
    return meta


def save_core(model, meta, out_dir: Path, torch, name: str = "bilstm"):
    state = {k: v for k, v in model.state_dict().items() if k not in ("pre.weight", "trans_mask", "start_mask")}
    state = {k: (v.half() if v.is_floating_point() else v) for k, v in state.items()}
    np.savez(out_dir / f"{name}.npz", **{k: v.numpy() for k, v in state.items()})
    (out_dir / f"{name}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


class NeuralCore:
    """Loaded BiLSTM-CRF (or an ensemble of them: emissions and transitions are averaged)."""

    def __init__(self, model_dir: Path, res: Resources, emb_file: str, members: Sequence[str] = ("bilstm",)):
        import os

        import torch
        from torch import nn

        # one intra-op thread: the LSTM is small and multi-threaded torch degrades badly on a busy CPU
        torch.set_num_threads(int(os.environ.get("RASD_NER_THREADS", "1")))
        self.torch = torch
        emb_index, vectors = load_embeddings(model_dir / emb_file)
        pre = torch.from_numpy(np.vstack([vectors, np.zeros((1, vectors.shape[1]), dtype=np.float32)]))
        self.models = []
        meta = None
        for name in members:
            meta = json.loads((model_dir / f"{name}.json").read_text(encoding="utf-8"))
            model = make_model(meta, torch, nn)
            with np.load(model_dir / f"{name}.npz") as z:
                state = {k: torch.from_numpy(z[k].astype(np.float32)) for k in z.files}
            model.load_state_dict(state, strict=False)
            model.pre.weight.data.copy_(pre)
            model.eval()
            self.models.append(model)
        self.fz = Featurizer(meta, res, emb_index)

    def _decode(self, b):
        torch = self.torch
        if len(self.models) == 1:
            return self.models[0].decode(b)
        ems, trs, sts, ens = [], [], [], []
        for m in self.models:
            ems.append(m.emissions(b))
            tr, st = m._trans()
            trs.append(tr)
            sts.append(st)
            ens.append(m.end)
        k = len(self.models)
        return viterbi(torch, sum(ems) / k, sum(trs) / k, sum(sts) / k, sum(ens) / k, b["mask"])

    def tag_many(self, sents: list[Sequence[str]], batch: int = 128) -> list[list[str]]:
        torch = self.torch
        order = sorted((i for i in range(len(sents)) if len(sents[i])), key=lambda i: len(sents[i]))
        res: list[list[str]] = [[] for _ in sents]
        with torch.inference_mode():
            for s in range(0, len(order), batch):
                idx = order[s : s + batch]
                b = batch_tensors([self.fz.sentence(sents[i]) for i in idx], torch)
                for i, p in zip(idx, self._decode(b)):
                    res[i] = [LABELS[x] for x in p]
        return res


# ---------------------------------------------------------------------------- numpy inference
