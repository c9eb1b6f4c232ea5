"""End to end: `rasd serve` over the sample corpus, driven by headless Chromium.

Home → search "ترمب" → a result → its story (right-to-left, quotes shown) → an entity page,
with a full-page screenshot of every step in test-output/screenshots/ (listed at the end of the run).
Deselect with `-m "not e2e"`.
"""
from __future__ import annotations

import subprocess

import pytest

pytestmark = pytest.mark.e2e

TRUMP = ("ترامب", "ترمب")
ARABIC_FONTS = ("Noto Naskh Arabic", "Noto Sans Arabic")


def _by_testid(testid: str) -> tuple[str, str]:
    return ("css selector", f'[data-testid="{testid}"]')


def _wait(driver, testid: str, timeout: float = 10):
    """The first element with that data-testid, once it is visible."""
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(ec.visibility_of_element_located(_by_testid(testid)))


def _wait_for_path(driver, prefix: str, timeout: float = 10) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    base = driver.current_url.split("/", 3)[:3]
    WebDriverWait(driver, timeout).until(lambda d: d.current_url.startswith("/".join(base) + prefix))
    WebDriverWait(driver, timeout).until(lambda d: d.execute_script("return document.readyState") == "complete")


def _assert_rtl_arabic(driver) -> None:
    assert driver.execute_script("return document.documentElement.dir") == "rtl", driver.current_url
    assert driver.execute_script("return document.documentElement.lang") == "ar", driver.current_url
    assert driver.execute_script("return getComputedStyle(document.body).direction") == "rtl"
    # Nothing wider than the window: no horizontal scrolling on any page.
    overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{driver.current_url} overflows horizontally by {overflow}px"


def _fonts_used(driver, selector: str) -> list[str]:
    """Font families Chromium actually rendered the element's text with (DevTools CSS domain)."""
    driver.execute_cdp_cmd("DOM.enable", {})
    driver.execute_cdp_cmd("CSS.enable", {})
    root = driver.execute_cdp_cmd("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = driver.execute_cdp_cmd("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = driver.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return [f["familyName"] for f in fonts]


def _arabic_font_installed() -> bool:
    try:
        out = subprocess.run(["fc-list"], check=False, capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return any(name in out for name in ARABIC_FONTS)


def test_search_article_story_in_chromium(server, driver, shot):
    from selenium.webdriver.common.keys import Keys

    # Home: overview, stories, the search box in the header.
    driver.get(server + "/")
    _wait(driver, "most-covered")
    _assert_rtl_arabic(driver)
    assert int(_wait(driver, "count-articles").text) > 40
    if _arabic_font_installed():  # scripts/install-browser.sh installs fonts-noto-core
        fonts = _fonts_used(driver, ".overview h1")
        assert any(f in ARABIC_FONTS for f in fonts), f"Arabic text rendered with {fonts}, not Noto Arabic"
    shot("01-home")

    # Search "ترمب" from the header box.
    box = _wait(driver, "search-box")
    box.clear()
    box.send_keys("ترمب")
    box.send_keys(Keys.ENTER)
    _wait_for_path(driver, "/search")
    _wait(driver, "result-link")
    _assert_rtl_arabic(driver)
    results = driver.find_elements(*_by_testid("search-result"))
    assert results, "no search results for ترمب"
    texts = [r.text for r in results]
    matching = [i for i, t in enumerate(texts) if any(name in t for name in TRUMP)]
    assert matching, f"no result mentions ترامب or ترمب: {texts}"
    assert driver.find_elements("css selector", '[data-testid="search-result"] mark'), "no highlighted words"
    shot("02-search")

    # Open the first result that mentions him.
    link = results[matching[0]].find_element(*_by_testid("result-link"))
    title = link.text
    link.click()
    _wait_for_path(driver, "/articles/")
    assert _wait(driver, "article-title").text == title
    _assert_rtl_arabic(driver)
    assert _wait(driver, "article-body").text.strip()
    shot("03-article")

    # Its story: headline, timeline and the quotes by speaker.
    _wait(driver, "story-link").click()
    _wait_for_path(driver, "/stories/")
    _wait(driver, "story-headline")
    _assert_rtl_arabic(driver)
    quotes = _wait(driver, "quotes")
    quote_texts = [q.text.strip() for q in quotes.find_elements("css selector", ".quote-text")]
    assert any(quote_texts), "the story page shows no quote text"
    assert driver.find_elements(*_by_testid("timeline-item"))
    shot("04-story")


def test_entity_page_in_chromium(server, driver, shot):
    # Any alias finds the entity: ترمب → دونالد ترامب, with its mentions chart and quotes.
    driver.get(server + "/entities/ترمب")
    name = _wait(driver, "entity-name").text
    assert "ترامب" in name
    _assert_rtl_arabic(driver)
    _wait(driver, "mentions-chart")
    assert driver.find_elements("css selector", '[data-testid="mentions-chart"] svg')
    assert _wait(driver, "quotes").find_elements(*_by_testid("quote"))
    shot("05-entity")
