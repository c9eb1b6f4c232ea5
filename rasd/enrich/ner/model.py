"""NERTagger: load the shipped NER model (BiLSTM-CRF run in numpy, or a crfsuite CRF) and tag
tokenised Arabic text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Sequence

from .features import FeatureExtractor, Resources
from .metrics import get_entities

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "data" / "ner"

# internal (ANERcorp) label -> public entity type
PUBLIC_TYPE = {"PERS": "PER", "PER": "PER", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"}


def load_lexicon(path) -> dict[str, str]:
    out: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            w, v = line.rstrip("\n").split("\t")[:2]
            out[w] = v
    return out


def load_resources(model_dir: Path, cfg: dict) -> Resources:
    from .clusters import load_clusters
    from .gazetteer import read_gazetteer

    clusters = load_clusters(model_dir / cfg["clusters"]) if cfg.get("clusters") else None
    gaz = read_gazetteer(model_dir / cfg["gazetteer"]) if cfg.get("gazetteer") else None
    lex = load_lexicon(model_dir / cfg["lexicon"]) if cfg.get("lexicon") else None
    if clusters and cfg.get("cluster_levels") is not None:
        lv = cfg["cluster_levels"]
        clusters = {w: tuple(c[i] for i in lv) for w, c in clusters.items()}
    return Resources(clusters=clusters, gazetteer=gaz, lexicon=lex)


class NERTagger:
    """Arabic named-entity tagger. Use :meth:`load`; one instance is not meant for concurrent threads."""

    def __init__(self, crf_tagger=None, extractor: FeatureExtractor | None = None, config: dict | None = None,
                 neural=None):
        self._tagger = crf_tagger
        self._fx = extractor
        self.config = config or {}
        self._neural = neural  # NumpyCore when config["arch"] == "bilstm"
        self.propagate_window = int(self.config.get("propagate_window", 0))

    @classmethod
    def load(cls, path: str | Path | None = None) -> "NERTagger":
        model_dir = Path(path) if path is not None else DEFAULT_DIR
        if model_dir.is_file():
            model_dir = model_dir.parent
        cfg = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        res = load_resources(model_dir, cfg)
        if cfg.get("arch") == "bilstm":
            from .infer import NumpyCore  # numpy-only inference; torch is needed for training only

            return cls(config=cfg, neural=NumpyCore(model_dir, res, cfg["embeddings"], cfg.get("members", ["bilstm"])))
        import pycrfsuite

        fx = FeatureExtractor(res, cfg.get("groups"))
        t = pycrfsuite.Tagger()
        t.open(str(model_dir / cfg["crf"]))
        return cls(t, fx, cfg)

    # ------------------------------------------------------------------ tagging
    def _raw_many(self, sents: list[Sequence[str]]) -> list[list[str]]:
        if self._neural is not None:
            return self._neural.tag_many(sents)
        return [list(self._tagger.tag(self._fx.sent_features(s))) if s else [] for s in sents]

    def tag(self, tokens: Sequence[str]) -> list[str]:
        """BIO tags with the internal label set (B-PERS, I-LOC, ...), one per token."""
        return self.tag_many([tokens])[0]

    def tag_many(self, sentences: Iterable[Sequence[str]], propagate: bool = True) -> list[list[str]]:
        """Tag a run of sentences. Pass the sentences of one article (in order) together: entity
        strings found in one sentence are then propagated to nearby sentences (``propagate_window``)."""
        sents = [list(s) for s in sentences]
        out = self._raw_many(sents)
        if propagate and self.propagate_window > 0:
            from .propagate import propagate as _prop

            out = _prop(sents, out, window=self.propagate_window)
        return out

    def entities(self, tokens: Sequence[str]) -> list[tuple[int, int, str]]:
        """Entity spans as (start_tok, end_tok_exclusive, type) with type in PER/ORG/LOC/MISC."""
        return [
            (s, e + 1, PUBLIC_TYPE.get(t, t))
            for s, e, t in get_entities(self.tag(tokens))
        ]
