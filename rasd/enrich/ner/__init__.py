"""Arabic named-entity recognition (PER / ORG / LOC / MISC), trained and shipped by rasd.

Public entry point: :class:`rasd.enrich.ner.model.NERTagger`.
"""

from __future__ import annotations

__all__ = ["NERTagger"]


def __getattr__(name):  # lazy: importing the package must stay cheap
    if name == "NERTagger":
        from .model import NERTagger

        return NERTagger
    raise AttributeError(name)
