"""`rasd serve` for real (a subprocess on a free port), its start-up errors, and `rasd demo`'s last line."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx

from rasd.cli import main


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_rasd_serve_answers_over_http(sample_db, tmp_path):
    port = _free_port()
    env = {**os.environ, "RASD_API_KEY": ""}
    with open(tmp_path / "serve.log", "w+") as log:
        output = _serve_and_check(sample_db, port, log, env)
    assert f"http://127.0.0.1:{port}/" in output  # the URL is printed


def _serve_and_check(sample_db, port: int, log, env: dict) -> str:
    """Start `python -m rasd serve`, wait until it answers, GET /api/stories and /, stop it; its output."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "rasd", "serve", "--db", str(sample_db), "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                stories = httpx.get(f"{base}/api/stories", timeout=5)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise AssertionError(f"rasd serve did not come up:\n{log.read()}")
                time.sleep(0.2)
        assert stories.status_code == 200 and stories.json()["total"] > 0
        home = httpx.get(f"{base}/", timeout=5)
        assert home.status_code == 200 and '<html dir="rtl" lang="ar">' in home.text
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    log.seek(0)
    return log.read()


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
