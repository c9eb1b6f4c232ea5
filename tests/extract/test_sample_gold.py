"""The bundled sample corpus against its gold file, with floors that fail on regression.

Rerun the figures with `python -m rasd.extract.evaluate -v`.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from rasd.extract.evaluate import FIELDS, evaluate

# Measured 1.000 on every field when this was written; a field that drops below
# its floor means the extractor regressed on a page template.
FLOORS = {name: 0.95 for name in FIELDS}


@pytest.fixture(scope="module")
def report(request):
    root = Path(request.config.rootpath) / "rasd" / "data" / "sample"
    return evaluate(root)


@pytest.mark.parametrize("field", FIELDS)
def test_field_floor(report, field):
    print(f"{field}: {report.score(field):.3f}")
    assert report.total[field] > 0
    assert report.score(field) >= FLOORS[field], "\n".join(f for f in report.failures if f" {field} " in f)


def test_corpus_size(report):
    # 50 pages, 53 articles, one error page with none
    assert report.total["found"] == 54
    assert report.total["title"] == 53
