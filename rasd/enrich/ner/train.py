"""Train the shipped Arabic NER model (``bench/train_ner.py`` is a thin wrapper around :func:`main`).

    python bench/train_ner.py --train ../shared/data/anercorp/ANERcorp_camelstyle_train.txt \
        [--eval ../shared/data/anercorp/ANERcorp_camelstyle_test.txt]

Defaults reproduce the shipped model: a BiLSTM-CRF (``--arch bilstm``; torch needed for
training only), 14 epochs on the whole train file, seed 13, 2 torch threads, document label
propagation window 15. ``--arch crf`` trains the python-crfsuite CRF instead. Trains on the
train file only; deterministic for a fixed seed and thread count. Writes ``config.json``,
``bilstm.{npz,json}`` (or ``crf.model``), ``lexicon.tsv`` and ``gazetteer.tsv`` into
``rasd/data/ner/`` (or --out). Word clusters / embeddings (``clusters.tsv.gz``, ``emb.npz``)
are reused from --clusters / --embeddings or the output directory, or rebuilt from the
unlabelled news corpus with ``--clusters-from DIR`` (see :mod:`rasd.enrich.ner.clusters`).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from .conll import read_conll
from .features import FeatureExtractor, Resources, normalize
from .metrics import evaluate, format_report
from .model import DEFAULT_DIR, NERTagger, load_resources

ALL_GROUPS = ("affix", "clitic", "shape", "cluster", "trigger", "gaz", "lex", "bigram")


def build_lexicon(sents, min_frac=0.5) -> dict[str, str]:
    """normalised word -> majority entity type (e.g. "PERS") if tagged as an entity >= min_frac of the time."""
    cnt: dict[str, Counter] = defaultdict(Counter)
    for toks, tags in sents:
        for w, t in zip(toks, tags):
            cnt[normalize(w)][t[2:] if t != "O" else "O"] += 1
    out = {}
    for w, c in cnt.items():
        total = sum(c.values())
        ent = [(n, t) for t, n in c.items() if t != "O"]
        if not ent:
            continue
        n, t = max(ent)
        if sum(x for x, _ in ent) / total >= min_frac:
            out[w] = t + ("1" if total == 1 else "")
    return out


def write_lexicon(lex, path):
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("# normalised word<TAB>majority entity type in the ANERcorp train split (derived statistic)\n")
        for w in sorted(lex):
            fh.write(f"{w}\t{lex[w]}\n")


def train_features(sents, base_res: Resources, groups, folds: int):
    """Features for the training sentences; the train lexicon is jackknifed over `folds` folds."""
    xs = [None] * len(sents)
    if "lex" in groups and folds > 1:
        for k in range(folds):
            held = [s for i, s in enumerate(sents) if i % folds != k]
            res = Resources(base_res.clusters, base_res.gazetteer, build_lexicon(held))
            fx = FeatureExtractor(res, groups)
            for i in range(k, len(sents), folds):
                xs[i] = fx.sent_features(sents[i][0])
    else:
        fx = FeatureExtractor(base_res, groups)
        xs = [fx.sent_features(t) for t, _ in sents]
    return xs


def train_crf(xs, ys, model_path, c1, c2, max_iter, verbose=False):
    import pycrfsuite

    tr = pycrfsuite.Trainer(verbose=verbose)
    for x, y in zip(xs, ys):
        tr.append(x, y)
    tr.set_params({
        "c1": c1,
        "c2": c2,
        "max_iterations": max_iter,
        "feature.possible_transitions": True,
        "feature.minfreq": 0,
    })
    tr.train(str(model_path))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_train = Path(__file__).resolve().parents[3].parent / "shared/data/anercorp/ANERcorp_camelstyle_train.txt"
    ap.add_argument("--train", default=str(default_train))
    ap.add_argument("--eval", help="CoNLL file to evaluate on after training (never used for training)")
    ap.add_argument("--out", default=str(DEFAULT_DIR))
    ap.add_argument("--seed", type=int, default=13, help="seed (cluster building; CRF L-BFGS is deterministic)")
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.05)
    ap.add_argument("--max-iter", type=int, default=300)
    ap.add_argument("--folds", type=int, default=10, help="jackknife folds for the train lexicon feature")
    ap.add_argument("--groups", default=",".join(ALL_GROUPS), help="feature groups to use")
    ap.add_argument("--clusters", default=None, help="existing clusters.tsv.gz (default: the one in --out)")
    ap.add_argument("--cluster-levels", default=None, help="comma list of cluster columns to use, e.g. 0,1,2")
    ap.add_argument("--clusters-from", default=None, help="rebuild clusters from this SaudiNewsNet directory first")
    ap.add_argument("--dev", type=float, default=0.0,
                    help="hold out this final fraction of train as dev and report on it (bilstm: keeps the best dev "
                         "epoch; without dev the last epoch is kept). The shipped epoch count (14) was chosen with --dev 0.1")
    ap.add_argument("--arch", choices=("bilstm", "crf"), default="bilstm")
    ap.add_argument("--embeddings", default=None, help="existing emb.npz for --arch bilstm (default: the one in --out)")
    ap.add_argument("--epochs", type=int, default=14)
    ap.add_argument("--members", default="13:128:1",
                    help="bilstm ensemble members as seed:hidden[:threads],... (trained one after the other; scores averaged)")
    ap.add_argument("--threads", type=int, default=1, help="torch CPU threads (reproducible for a fixed value; >1 is much slower on a busy CPU)")
    ap.add_argument("--propagate-window", type=int, default=15, help="document label propagation window (0 = off)")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args(argv)

    t0 = time.time()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    groups = [g for g in a.groups.split(",") if g]
    sents = read_conll(a.train)
    dev = []
    if a.dev > 0:
        cut = int(len(sents) * (1 - a.dev))
        sents, dev = sents[:cut], sents[cut:]
    print(f"train: {len(sents)} sentences, {sum(len(t) for t, _ in sents)} tokens", file=sys.stderr)

    cfg: dict = {"crf": "crf.model", "groups": groups, "seed": a.seed, "c1": a.c1, "c2": a.c2, "max_iter": a.max_iter}
    if "cluster" in groups:
        cpath = out / "clusters.tsv.gz"
        if a.clusters_from:
            from .clusters import build

            build(a.clusters_from, [a.train], str(cpath), seed=a.seed, emb_out=str(out / "emb.npz"))
        elif a.clusters and Path(a.clusters).resolve() != cpath.resolve():
            shutil.copyfile(a.clusters, cpath)
        if not cpath.exists():
            raise SystemExit(f"no clusters at {cpath}: pass --clusters FILE or --clusters-from DIR")
        cfg["clusters"] = cpath.name
        if a.cluster_levels:
            cfg["cluster_levels"] = [int(x) for x in a.cluster_levels.split(",")]
    if "gaz" in groups:
        from .gazetteer import write_gazetteer

        write_gazetteer(out / "gazetteer.tsv")
        cfg["gazetteer"] = "gazetteer.tsv"
    if "lex" in groups:
        write_lexicon(build_lexicon(sents), out / "lexicon.tsv")
        cfg["lexicon"] = "lexicon.tsv"

    cfg["propagate_window"] = a.propagate_window
    if a.arch == "bilstm":
        return _train_bilstm(a, cfg, out, sents, dev, t0)
    # resources without lexicon for jackknifed train features
    res = load_resources(out, {k: v for k, v in cfg.items() if k != "lexicon"})
    xs = train_features(sents, res, groups, a.folds)
    ys = [tags for _, tags in sents]
    t1 = time.time()
    print(f"features: {time.time()-t0:.1f}s", file=sys.stderr)
    train_crf(xs, ys, out / "crf.model", a.c1, a.c2, a.max_iter, a.verbose)
    (out / "config.json").write_text(json.dumps(cfg, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"training time: {time.time()-t1:.1f}s (total {time.time()-t0:.1f}s)")

    _report(out, dev, a.eval)
    return 0


def _train_bilstm(a, cfg, out: Path, sents, dev, t0) -> int:
    import torch

    from .neural import train_neural

    torch.set_num_threads(a.threads)
    epath = out / "emb.npz"
    if a.embeddings and Path(a.embeddings).resolve() != epath.resolve():
        shutil.copyfile(a.embeddings, epath)
    if not epath.exists():
        raise SystemExit(f"no embeddings at {epath}: pass --embeddings FILE or --clusters-from DIR")
    cfg.update(arch="bilstm", embeddings=epath.name, member_specs=a.members.split(","), epochs=a.epochs)
    for k in ("crf", "c1", "c2", "max_iter"):
        cfg.pop(k, None)
    base = load_resources(out, {k: v for k, v in cfg.items() if k != "lexicon"})
    folds = max(1, a.folds)
    jack = [Resources(base.clusters, base.gazetteer, build_lexicon([s for i, s in enumerate(sents) if i % folds != k]))
            for k in range(folds)]
    full = Resources(base.clusters, base.gazetteer, build_lexicon(sents))
    t1 = time.time()
    ev = read_conll(a.eval) if a.eval and a.verbose else None
    names = []
    cfg["best_epoch"] = []
    for k, spec in enumerate(a.members.split(",")):
        parts = [int(x) for x in spec.split(":")]
        seed, hidden = parts[0], parts[1]
        torch.set_num_threads(parts[2] if len(parts) > 2 else a.threads)
        name = "bilstm" if k == 0 else f"bilstm{k + 1}"
        print(f"-- member {name}: seed {seed}, hidden {hidden}", file=sys.stderr)
        meta = train_neural(sents, dev, full, jack, epath, out, seed=seed, hp={"epochs": a.epochs, "hidden": hidden},
                            eval_sents=ev, log=lambda m: print(m, file=sys.stderr, flush=True), name=name)
        names.append(name)
        cfg["best_epoch"].append(meta["best_epoch"])
    cfg["members"] = names
    (out / "config.json").write_text(json.dumps(cfg, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"training time: {time.time()-t1:.1f}s (total {time.time()-t0:.1f}s)")
    _report(out, dev, a.eval)
    return 0


def _report(out, dev, eval_path):
    tagger = NERTagger.load(out)
    for name, data in (("dev", dev), ("eval", read_conll(eval_path) if eval_path else [])):
        if not data:
            continue
        t2 = time.time()
        pred = tagger.tag_many([t for t, _ in data])
        dt = time.time() - t2
        ntok = sum(len(t) for t, _ in data)
        print(f"== {name}: {ntok} tokens, {ntok/dt:,.0f} tokens/s")
        print(format_report(evaluate([g for _, g in data], pred)))


if __name__ == "__main__":
    raise SystemExit(main())
