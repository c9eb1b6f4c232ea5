"""Fixtures for the browser test: the sample database, `rasd serve` in a subprocess, headless Chromium."""
from __future__ import annotations

import base64
import math
import os
import shutil
from pathlib import Path

import pytest
from serving import REPO_ROOT, ingest_sample, served

SCREENSHOTS = REPO_ROOT / "test-output" / "screenshots"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
SAVED = pytest.StashKey[list]()  # screenshots of this run, listed at the end of the pytest output


def pytest_terminal_summary(terminalreporter) -> None:
    saved = terminalreporter.config.stash.get(SAVED, [])
    if saved:
        terminalreporter.write_sep("-", "browser screenshots")
        for path in saved:
            terminalreporter.write_line(str(path))


@pytest.fixture(scope="module")
def browser_paths() -> tuple[str, str]:
    """(chromium, chromedriver) from PATH. Missing: skip, or fail in CI (where `make test` installs them)."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        missing = " and ".join(n for n, p in (("chromium", chromium), ("chromedriver", driver)) if not p)
        message = f"{missing} not found on PATH: install the Debian packages with scripts/install-browser.sh"
        if IN_CI:
            pytest.fail(f"CI=true: {message} (make test runs it)")
        pytest.skip(message)
    try:
        import selenium  # noqa: F401
    except ImportError:
        pytest.fail("selenium is not installed: pip install -r requirements.lock")
    return chromium, driver


@pytest.fixture(scope="module")
def e2e_db(tmp_path_factory) -> Path:
    return ingest_sample(tmp_path_factory.mktemp("e2e") / "sample.db")


@pytest.fixture(scope="module")
def server(e2e_db: Path, browser_paths, tmp_path_factory):
    """`python -m rasd serve` on a free local port, stopped at the end; its base URL."""
    with served(e2e_db, tmp_path_factory.mktemp("serve") / "serve.log") as base:
        yield base


@pytest.fixture(scope="module")
def driver(browser_paths):
    """Headless Chromium driven by the system chromedriver (Selenium Manager never downloads anything)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, chromedriver = browser_paths
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1366,900",
                "--lang=ar", "--disable-dev-shm-usage", "--hide-scrollbars"):  # fmt: skip
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": "ar"})
    d = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    d.set_page_load_timeout(20)
    try:
        yield d
    finally:
        d.quit()


@pytest.fixture(scope="module")
def screenshots() -> Path:
    """test-output/screenshots/ at the repo root, emptied of the previous run's PNGs."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    return SCREENSHOTS


@pytest.fixture
def shot(driver, screenshots, request):
    """shot(name) saves a full-page PNG of the current page as test-output/screenshots/NAME.png."""
    saved = request.config.stash.setdefault(SAVED, [])

    def save(name: str) -> Path:
        path = screenshots / f"{name}.png"
        try:  # Chrome DevTools: the whole page, beyond the viewport (at most 8000 px high)
            metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            clip = {"x": 0, "y": 0, "width": math.ceil(size["width"]),
                    "height": min(math.ceil(size["height"]), 8000), "scale": 1}  # fmt: skip
            data = driver.execute_cdp_cmd("Page.captureScreenshot",
                                          {"format": "png", "captureBeyondViewport": True, "clip": clip})  # fmt: skip
            path.write_bytes(base64.b64decode(data["data"]))
        except Exception:  # noqa: BLE001 - fall back to the viewport; a screenshot must not hide the real failure
            driver.save_screenshot(str(path))
        print(f"screenshot: {path}")
        saved.append(path)
        return path

    return save
