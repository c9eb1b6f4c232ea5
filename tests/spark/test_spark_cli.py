"""`rasd spark run`: argument handling and the message when pyspark is missing (no Spark started)."""
from __future__ import annotations

import pytest

import rasd.spark
from rasd.cli import main


def test_missing_pyspark_says_how_to_install(monkeypatch, capsys, tmp_path):
    def missing() -> None:
        raise ImportError(rasd.spark.INSTALL_HINT)

    monkeypatch.setattr(rasd.spark, "require_pyspark", missing)
    assert main(["spark", "run", str(tmp_path), str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "pip install 'rasd[spark]'" in err


def test_bad_stage_is_a_usage_error(capsys, tmp_path):
    assert main(["spark", "run", str(tmp_path), str(tmp_path / "out"), "--stages", "enrich"]) == 2
    assert "extract" in capsys.readouterr().err


def test_spark_needs_a_subcommand(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["spark"])
    assert exc.value.code == 2


def test_spark_submit_entry_point_maps_to_the_cli(monkeypatch):
    from rasd.spark import __main__ as entry

    seen = {}
    monkeypatch.setattr(entry, "main", lambda argv: seen.setdefault("argv", argv) and 0)
    entry.entry(["run", "in", "out"])
    assert seen["argv"] == ["spark", "run", "in", "out"]
