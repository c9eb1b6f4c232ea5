"""BiLSTM-CRF inference in plain numpy: what tags text at run time (torch is for training only).

The weights come from `neural.save_core`; decisions are identical to the torch model's.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Sequence

import numpy as np

from rasd.runtime import blas_threads

from .features import Resources
from .neural import GAZ_TYPES, LABELS, Featurizer, allowed_transitions, load_embeddings

PROJ_CACHE_TYPES = 60_000  # memoised input projections per model member (~240 MB at 2x128 hidden)


def batch_arrays_typed(feats_list):
    """Like batch_arrays, but per-type inputs are stored once per distinct word type (inference).

    Returns the token -> type index (`tix`), lengths, multi-token gazetteer flags, the type rows
    (`trows`) and their cache ids (`uid`); `type_arrays` builds the per-type inputs, only for the
    types whose projection is not memoised yet."""
    B = len(feats_list)
    L = max(len(f[0]) for f in feats_list)
    types: dict[int, int] = {}
    trows = []
    tix = np.zeros((B, L), dtype=np.int64)
    lengths = np.zeros(B, dtype=np.int64)
    multi = np.zeros((B, L, 2 * len(GAZ_TYPES)), dtype=np.float32)
    for b, (toks, mul) in enumerate(feats_list):
        n = len(toks)
        lengths[b] = n
        ids = []
        for t in toks:
            j = types.get(id(t))
            if j is None:
                j = types[id(t)] = len(trows)
                trows.append(t)
            ids.append(j)
        tix[b, :n] = ids
        if mul is not None:
            multi[b, :n] = mul
    return dict(trows=trows, uid=np.array([t[8] for t in trows], dtype=np.int64), tix=tix, multi=multi,
                lengths=lengths)


def type_arrays(trows) -> dict[str, np.ndarray]:
    """Per-type input arrays (embedding ids, word ids, clusters, discrete features, gazetteer, chars)."""
    C = max(3, max(len(t[7]) for t in trows))
    chars = np.zeros((len(trows), C), dtype=np.int64)
    for j, t in enumerate(trows):
        if t[7]:
            chars[j, : len(t[7])] = t[7]
    return dict(
        emb=np.array([t[0] for t in trows], dtype=np.int64),
        wid=np.array([t[1] for t in trows], dtype=np.int64),
        cl=np.array([t[3] for t in trows], dtype=np.int64),
        disc=np.array([t[4] for t in trows], dtype=np.int64),
        gaz1=np.array([t[5] for t in trows], dtype=np.float32),
        chars=chars,
    )


def _lstm_bi(proj2, tixT2, lengths, Whh2):
    """Both LSTM directions in one loop.

    proj2: (2, types, 4H) per-type input projections (incl. biases) with gate order (i, f, o, g)
    and the i/f/o pre-activations already halved; tixT2: (2, L, B) type index of each step, the
    backward direction's already reversed; rows sorted by length, longest first. Gathering each
    step's inputs inside the loop keeps them in cache (no (B, L, 4H) tensor). Returns hidden states
    (2, B, L, H), each direction in its own time order."""
    _, L, B = tixT2.shape
    H = proj2.shape[2] // 4
    H3 = 3 * H
    h = np.zeros((2, B, H), dtype=np.float32)
    c = np.zeros((2, B, H), dtype=np.float32)
    out = np.zeros((2, B, L, H), dtype=np.float32)
    n_active = np.searchsorted(-lengths, -np.arange(L), side="left")  # rows with length > t
    pf, pb = proj2[0], proj2[1]
    tf, tb = tixT2[0], tixT2[1]
    for t in range(L):
        k = int(n_active[t])
        g = np.matmul(h[:, :k], Whh2)
        g[0] += pf[tf[t, :k]]
        g[1] += pb[tb[t, :k]]
        sg = np.tanh(g)
        sg[:, :, :H3] *= 0.5
        sg[:, :, :H3] += 0.5
        ck = c[:, :k]
        ck *= sg[:, :, H : 2 * H]
        ck += sg[:, :, :H] * sg[:, :, H3:]
        hk = sg[:, :, 2 * H : H3] * np.tanh(ck)
        h[:, :k] = hk
        out[:, :k, t] = hk
    return out


def _reorder_gates(w):
    """torch LSTM gate blocks (i, f, g, o) -> (i, f, o, g) along axis 0."""
    i, f, g, o = np.split(w, 4, axis=0)
    return np.concatenate([i, f, o, g], axis=0)


def _viterbi_np(em, trans, start, end, lengths):
    """Batched Viterbi in numpy; em (B, L, T)."""
    B, L, T = em.shape
    score = start + em[:, 0]
    bps = np.zeros((L, B, T), dtype=np.int16)
    ar = np.arange(T, dtype=np.int16)
    for t in range(1, L):
        s = score[:, :, None] + trans  # (B, from, to)
        bp = s.argmax(1)
        best = np.take_along_axis(s, bp[:, None, :], 1)[:, 0]
        live = (lengths > t)[:, None]
        score = np.where(live, best + em[:, t], score)
        bps[t] = np.where(live, bp, ar)
    last = (score + end).argmax(1)
    paths = np.zeros((B, L), dtype=np.int64)
    paths[:, L - 1] = last
    rows = np.arange(B)
    for t in range(L - 1, 0, -1):
        last = bps[t, rows, last]
        paths[:, t - 1] = last
    return [paths[i, : int(lengths[i])].tolist() for i in range(B)]


class NumpyCore:
    """BiLSTM-CRF inference in plain numpy (no torch needed at tagging time)."""

    def __init__(self, model_dir: Path, res: Resources, emb_file: str, members: Sequence[str] = ("bilstm",)):
        emb_index, vectors = load_embeddings(model_dir / emb_file)
        self.pre = np.vstack([vectors, np.zeros((1, vectors.shape[1]), dtype=np.float32)])
        allow, start = allowed_transitions()
        tmask = np.where(allow, 0.0, -1e4).astype(np.float32)
        smask = np.where(start, 0.0, -1e4).astype(np.float32)
        self.members = []
        meta = None
        for name in members:
            meta = json.loads((model_dir / f"{name}.json").read_text(encoding="utf-8"))
            with np.load(model_dir / f"{name}.npz") as z:
                p = {k: z[k].astype(np.float32) for k in z.files}
            cw = p["conv.weight"]  # (filters, char_dim, 3)
            p["conv.mat"] = np.ascontiguousarray(cw.transpose(2, 1, 0).reshape(-1, cw.shape[0]))
            p["trans.full"] = p["trans"] + tmask
            p["start.full"] = p["start"] + smask
            p["n_cl"] = len(meta["cluster_sizes"])
            # both LSTM directions' input projections in one matmul; gates reordered to (i, f, o, g)
            p["Wih2T"] = np.ascontiguousarray(np.concatenate(
                [_reorder_gates(p["lstm.weight_ih_l0"]), _reorder_gates(p["lstm.weight_ih_l0_reverse"])], 0).T)
            p["b2"] = np.concatenate([_reorder_gates(p["lstm.bias_ih_l0"] + p["lstm.bias_hh_l0"]),
                                      _reorder_gates(p["lstm.bias_ih_l0_reverse"] + p["lstm.bias_hh_l0_reverse"])])
            p["WhhT_f"] = np.ascontiguousarray(_reorder_gates(p["lstm.weight_hh_l0"]).T)
            p["WhhT_b"] = np.ascontiguousarray(_reorder_gates(p["lstm.weight_hh_l0_reverse"]).T)
            # pre-halve the sigmoid gates (sigmoid(x) = 0.5 * tanh(x / 2) + 0.5) for _lstm_bi
            H = p["WhhT_f"].shape[0]
            half = np.ones(4 * H, dtype=np.float32)
            half[: 3 * H] = 0.5
            p["Wih2T_h"] = p["Wih2T"] * np.concatenate([half, half])
            p["b2_h"] = p["b2"] * np.concatenate([half, half])
            p["Whh2_h"] = np.stack([p["WhhT_f"] * half, p["WhhT_b"] * half])
            self.members.append(p)
        self.fz = Featurizer(meta, res, emb_index)
        # The matrices are small: BLAS thread pools only add overhead (4x slower on a busy 2-core box).
        self._threads = int(os.environ.get("RASD_NER_THREADS", "1"))

    def tag_many(self, sents: list[Sequence[str]], **kw) -> list[list[str]]:
        with blas_threads(self._threads):
            return self._tag_many(sents, **kw)

    def _type_proj(self, p, ta, nm: int):
        """Input projection (both LSTM directions, biases included) of word types (`type_arrays`)."""
        ch = p["char.weight"][ta["chars"]]  # (types, C, cd)
        T, C, cd = ch.shape
        pad = np.zeros((T, 1, cd), dtype=np.float32)
        chp = np.concatenate([pad, ch, pad], axis=1)
        win = np.concatenate([chp[:, 0:C], chp[:, 1 : C + 1], chp[:, 2 : C + 2]], axis=2)  # (types, C, 3cd)
        conv = np.maximum(win @ p["conv.mat"] + p["conv.bias"], 0.0).max(axis=1)
        parts = [self.pre[ta["emb"]], p["word.weight"][ta["wid"]], conv]
        parts += [p[f"cl.{i}.weight"][ta["cl"][:, i]] for i in range(p["n_cl"])]
        parts += [p[f"disc.{i}.weight"][ta["disc"][:, i]] for i in range(4)]
        parts.append(ta["gaz1"])
        x = np.concatenate(parts, axis=-1).astype(np.float32)  # (types, D - multi-token gazetteer dims)
        return x @ p["Wih2T_h"][:-nm] + p["b2_h"]

    def _projections(self, p, b):
        """Per-type projections; those of cached word types (uid >= 0) are memoised, because a word
        type's features never change and most tokens of news text are frequent types."""
        uid = b["uid"]
        cache, filled = p.get("proj.cache"), p.get("proj.filled")
        if cache is None:
            cache = p["proj.cache"] = np.zeros((PROJ_CACHE_TYPES, p["b2_h"].shape[0]), dtype=np.float32)
            filled = p["proj.filled"] = np.zeros(PROJ_CACHE_TYPES, dtype=bool)
        cacheable = (uid >= 0) & (uid < PROJ_CACHE_TYPES)
        hit = np.zeros(len(uid), dtype=bool)
        hit[cacheable] = filled[uid[cacheable]]
        proj = np.empty((len(uid), cache.shape[1]), dtype=np.float32)
        if hit.any():
            proj[hit] = cache[uid[hit]]
        miss = np.flatnonzero(~hit)
        if len(miss):
            trows = b["trows"]
            proj[miss] = self._type_proj(p, type_arrays([trows[j] for j in miss]), b["multi"].shape[2])
            store = miss[cacheable[miss]]
            cache[uid[store]] = proj[store]
            filled[uid[store]] = True
        return proj

    def _emissions(self, p, b):
        lengths = b["lengths"]
        W = p["Wih2T_h"]
        nm = b["multi"].shape[2]
        proj = self._projections(p, b)
        B, L = b["tix"].shape
        G = proj.shape[1] // 2
        tix = b["tix"]
        steps = np.arange(L)
        # reversed time index within each row's own length (padding positions stay in place)
        ridx = np.where(steps < lengths[:, None], lengths[:, None] - 1 - steps, steps)
        rows = np.arange(B)[:, None]
        tix2 = np.stack([tix, tix[rows, ridx]])  # (2, B, L)
        proj2 = np.stack([proj[:, :G], proj[:, G:]])  # (2, types, 4H)
        multi = b["multi"]
        if multi.any():
            # tokens inside a multi-token gazetteer match get their own input row (type + flags)
            mb, ml = np.nonzero(multi.any(axis=2))
            extra = proj[tix[mb, ml]] + multi[mb, ml] @ W[-nm:]
            ids = len(proj) + np.arange(len(mb))
            proj2 = np.concatenate([proj2, np.stack([extra[:, :G], extra[:, G:]])], axis=1)
            tix2[0][mb, ml] = ids
            back = np.empty_like(tix)  # position of (b, l) in the backward direction's order
            back[rows, ridx] = steps
            tix2[1][mb, back[mb, ml]] = ids
        hid = _lstm_bi(proj2, np.ascontiguousarray(tix2.transpose(0, 2, 1)), lengths, p["Whh2_h"])
        Wout = p["out.weight"]
        H = hid.shape[3]
        em_f = hid[0] @ Wout[:, :H].T
        em_b = hid[1] @ Wout[:, H:].T
        return em_f + em_b[rows, ridx] + p["out.bias"], lengths

    def _tag_many(self, sents: list[Sequence[str]], max_tokens: int = 6000, max_rows: int = 256) -> list[list[str]]:
        order = sorted((i for i in range(len(sents)) if len(sents[i])), key=lambda i: len(sents[i]))
        res: list[list[str]] = [[] for _ in sents]
        k = len(self.members)
        batches, cur = [], []
        for i in order:  # ascending length: padded size of a batch = rows * len(last)
            if cur and ((len(cur) + 1) * len(sents[i]) > max_tokens or len(cur) >= max_rows):
                batches.append(cur)
                cur = []
            cur.append(i)
        if cur:
            batches.append(cur)
        for idx in batches:
            idx = idx[::-1]  # longest first: active LSTM rows are a prefix
            b = batch_arrays_typed([self.fz.sentence(sents[i]) for i in idx])
            em = trans = start = end = 0.0
            for p in self.members:
                e, lengths = self._emissions(p, b)
                em = em + e / k
                trans = trans + p["trans.full"] / k
                start = start + p["start.full"] / k
                end = end + p["end"] / k
            for i, path in zip(idx, _viterbi_np(em, trans, start, end, lengths)):
                res[i] = [LABELS[x] for x in path]
        return res
