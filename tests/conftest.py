"""Shared fixtures: paths to ../shared (skipped when absent) and the sample corpus."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(os.environ.get("RASD_SHARED", REPO_ROOT.parent / "shared"))
SAMPLE_DIR = REPO_ROOT / "rasd" / "data" / "sample"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test with a message saying what is missing."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not found: this test reads the shared data folder next to the repo (../shared)")
    return path


@pytest.fixture
def seeds_dir() -> Path:
    return shared_path("seeds")


@pytest.fixture
def sample_dir() -> Path:
    return SAMPLE_DIR


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "rasd.db")


@pytest.fixture
def shared():
    """`shared("data", "anercorp")` → the path, or the test is skipped when ../shared lacks it."""
    return shared_path
