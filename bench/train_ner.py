#!/usr/bin/env python
"""Train rasd's Arabic NER model (thin wrapper around rasd.enrich.ner.train.main).

    python bench/train_ner.py --train /path/ANERcorp_camelstyle_train.txt --eval /path/ANERcorp_camelstyle_test.txt
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rasd.enrich.ner.train import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
