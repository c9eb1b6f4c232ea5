#!/usr/bin/env python
"""Evaluate the shipped NER model on a CoNLL "token TAG" file.

    python bench/eval_ner.py /path/ANERcorp_camelstyle_test.txt [--model DIR]

Prints tokens/s (tagging only, one process, load time excluded), then the entity-level
report whose last line is ``micro F1: 0.xxx``.
"""

import argparse
import os
import sys

# single-threaded BLAS: the BiLSTM's matrices are small, and BLAS thread pools only add contention
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rasd.enrich.ner.conll import read_conll  # noqa: E402
from rasd.enrich.ner.metrics import evaluate, format_report  # noqa: E402
from rasd.enrich.ner.model import NERTagger  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("file")
    ap.add_argument("--model", default=None, help="model directory (default: the one shipped in rasd/data/ner)")
    a = ap.parse_args(argv)
    data = read_conll(a.file)
    t0 = time.perf_counter()
    tagger = NERTagger.load(a.model)
    tagger.tag_many([["قال", "محمد", "في", "القاهرة", "."]])  # warm-up (lazy imports, thread pools): part of load
    load = time.perf_counter() - t0
    sents = [toks for toks, _ in data]
    ntok = sum(len(s) for s in sents)
    t1 = time.perf_counter()
    c1 = time.process_time()
    pred = tagger.tag_many(sents)
    dt = time.perf_counter() - t1
    dc = time.process_time() - c1
    print(f"model load: {load:.2f}s")
    print(f"tagged {ntok} tokens in {dt:.2f}s wall: {ntok / dt:,.0f} tokens/s "
          f"({dc:.2f}s CPU: {ntok / dc:,.0f} tokens/s per CPU-second; wall > CPU means a busy machine)")
    print(format_report(evaluate([g for _, g in data], pred)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
