"""The review page in a real browser: right-to-left Arabic, escaped document text, keys.

Starts `streamlit run app/streamlit_app.py` on a free port against a temporary SQLite
database holding the demo comparison and a document with an injected `<script>` and
`<img onerror>`, drives Debian's chromium with selenium, and saves a screenshot of the
review page to `docs/review-page.png`. Skipped when chromium is missing, except under
`CI=true`, where a missing browser fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser_support import chromium, chromium_missing, streamlit_server

pytestmark = pytest.mark.browser

SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "review-page.png"
WAIT = 30


@pytest.fixture(scope="module")
def browser_env(tmp_path_factory):
    reason = chromium_missing()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    from app.bootstrap import ensure_demo_run
    from corpus.store import open_repository
    from models.fake import HashingEncoder
    from tests.app_support import store_injected_run

    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'app.sqlite3'}"
    repo = open_repository(url)
    demo_id = ensure_demo_run(repo, HashingEncoder())
    injected_id = store_injected_run(repo, HashingEncoder())
    comparison = repo.load_comparison(injected_id)
    payload = next(
        f
        for f in repo.findings(injected_id)
        if any(
            "<script>" in comparison.left_sentences[i].text
            for i in comparison.alignments[f.finding.alignment].left
        )
    )
    env = {"TABAYYUN_DB_URL": url, "TABAYYUN_ENCODER": "hashing", "TABAYYUN_DEMO": "1"}
    with streamlit_server(env) as base, chromium() as driver:
        yield {
            "base": base,
            "driver": driver,
            "repo": repo,
            "demo_id": demo_id,
            "injected_id": injected_id,
            "payload_id": payload.id,
        }


def _wait_for(driver, css: str):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def _wait_text(driver, text: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, WAIT).until(lambda d: text in d.find_element("tag name", "body").text)


def _check_direction(driver) -> None:
    arabic = _wait_for(driver, '.tby-pair .tby-text[lang="ar"]')
    english = driver.find_element("css selector", '.tby-pair .tby-text[lang="en"]')
    style = "return getComputedStyle(arguments[0]).direction"
    assert driver.execute_script(style, arabic) == "rtl"
    assert driver.execute_script(style, english) == "ltr"
    font = driver.execute_script("return getComputedStyle(arguments[0]).fontFamily", arabic)
    assert font.startswith('"Noto Naskh Arabic", Amiri, Arial')


def test_arabic_side_is_right_to_left(browser_env):
    driver = browser_env["driver"]
    driver.get(f"{browser_env['base']}/?run={browser_env['demo_id']}")
    _wait_text(driver, "Finding 1 of")
    _check_direction(driver)
    assert driver.find_elements("css selector", ".tby-pair mark")


@pytest.mark.slow
def test_review_page_screenshot_with_bundled_encoder(browser_env):
    """The screenshot in docs/ shows the demo pair aligned by the real bundled encoder."""
    from selenium.webdriver.common.keys import Keys

    from app.bootstrap import DEMO_TITLE, store_comparison
    from models import load_encoder

    repo = browser_env["repo"]
    docs = {d.id: d for d in repo.list_documents()}
    run_id = store_comparison(
        repo, docs["ar-wiki"], docs["en-wiki"], load_encoder("use-multilingual-v3"),
        title=DEMO_TITLE,
    )  # fmt: skip
    driver = browser_env["driver"]
    driver.get(f"{browser_env['base']}/?run={run_id}")
    _wait_text(driver, "Finding 1 of")
    _check_direction(driver)
    name = _wait_for(driver, 'input[aria-label="Your name (reviewer)"]')
    name.send_keys("Layla H.", Keys.ENTER)
    _wait_text(driver, "Note (optional")
    SCREENSHOT.parent.mkdir(exist_ok=True)
    driver.save_screenshot(str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 10_000


def test_injected_markup_shows_as_text_and_does_not_run(browser_env):
    driver = browser_env["driver"]
    driver.get(
        f"{browser_env['base']}/?run={browser_env['injected_id']}"
        f"&finding={browser_env['payload_id']}"
    )
    block = _wait_for(driver, '.tby-pair .tby-text[lang="ar"]')
    script = "<script>window.__pwned=1;document.title='pwned'</script>"
    _wait_text(driver, script)
    assert script in block.text
    assert '<img src=x onerror="window.__pwned=1">' in block.text
    assert driver.execute_script("return window.__pwned === undefined")
    assert driver.execute_script("return document.title") != "pwned"
    assert not block.find_elements("css selector", "script, img")


def test_keyboard_triage_decides_and_moves_on(browser_env):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    driver, repo = browser_env["driver"], browser_env["repo"]
    run_id = browser_env["injected_id"]
    driver.get(f"{browser_env['base']}/?run={run_id}")
    _wait_text(driver, "Finding 1 of")
    name = _wait_for(driver, 'input[aria-label="Your name (reviewer)"]')
    name.send_keys("Layla", Keys.ENTER)
    _wait_text(driver, "Note (optional")
    driver.execute_script("document.activeElement.blur()")
    ActionChains(driver).send_keys("j").perform()
    _wait_text(driver, "Finding 2 of")
    ActionChains(driver).send_keys("1").perform()
    _wait_text(driver, "Saved: confirmed discrepancy")
    reviews = [r for r in repo.reviews(run_id) if r.reviewer == "Layla"]
    assert [r.decision for r in reviews] == ["confirmed"]
    ActionChains(driver).send_keys("u").perform()
    _wait_text(driver, "Undone: confirmed discrepancy")
    assert [r for r in repo.reviews(run_id) if r.reviewer == "Layla"] == []


def test_typing_a_note_does_not_trigger_shortcuts_and_is_saved(browser_env):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    driver, repo = browser_env["driver"], browser_env["repo"]
    run_id = browser_env["injected_id"]
    driver.get(f"{browser_env['base']}/?run={run_id}")
    _wait_for(driver, 'input[aria-label="Your name (reviewer)"]').send_keys("Omar", Keys.ENTER)
    note = _wait_for(driver, 'input[aria-label="Note (optional, saved with the decision)"]')
    note.click()
    text = "1 day off: 4 vs 3 November, j k u"
    note.send_keys(text)
    assert note.get_attribute("value") == text
    assert [r for r in repo.reviews(run_id) if r.reviewer == "Omar"] == []
    driver.execute_script("document.activeElement.blur()")
    ActionChains(driver).send_keys("2").perform()
    _wait_text(driver, "Saved: false alarm")
    mine = [(r.decision, r.note) for r in repo.reviews(run_id) if r.reviewer == "Omar"]
    assert mine == [("false_alarm", text)]
