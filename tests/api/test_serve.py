"""`rasd serve` for real (a subprocess on a free port), its start-up errors, and `rasd demo`'s last line."""
from __future__ import annotations

import httpx
from serving import free_port, served

from rasd.cli import main


def test_rasd_serve_answers_over_http(sample_db, tmp_path):
    port = free_port()
    with served(sample_db, tmp_path / "serve.log", port=port) as base:
        stories = httpx.get(f"{base}/api/stories", timeout=5)
        assert stories.status_code == 200 and stories.json()["total"] > 0
        home = httpx.get(f"{base}/", timeout=5)
        assert home.status_code == 200 and '<html dir="rtl" lang="ar">' in home.text
    assert f"http://127.0.0.1:{port}/" in (tmp_path / "serve.log").read_text()  # the URL is printed


def test_serve_refuses_a_missing_database(tmp_path, capsys):
    missing = tmp_path / "nope.db"
    assert main(["serve", "--db", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "rasd ingest" in err
    assert not missing.exists()  # not silently created


def test_demo_last_line_says_how_to_open_the_ui(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["demo"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert "Top stories:" in lines
    assert lines[-1] == "Open the web UI: make serve  (or: rasd serve --db rasd-demo.db, then http://127.0.0.1:8000/)"
