"""The web page in a real browser: Debian's chromium driven by Playwright.

The served app runs in uvicorn on a free loopback port. Playwright never
downloads a browser here: it launches /usr/bin/chromium, which the session
fixture installs with apt-get when it is missing and we are root.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright

from newsindex import Index, render
from newsindex.serve.http import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
APT_SECONDS = 600


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's chromium, installed with apt-get if missing (as root)."""
    if not CHROMIUM.exists():
        _install_chromium()
    if not CHROMIUM.exists():
        pytest.skip(f"apt-get installed chromium, but there is no {CHROMIUM}")
    return CHROMIUM


def _install_chromium() -> None:
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        pytest.skip(f"no {CHROMIUM}, and no apt-get run as root to install it")
    try:
        done = _apt(apt, "install", "-y", "-q", "chromium")
        if done.returncode:  # package lists missing or stale: fetch, try again
            _apt(apt, "update", "-q")
            done = _apt(apt, "install", "-y", "-q", "chromium")
    except subprocess.TimeoutExpired:
        pytest.skip(f"apt-get install chromium took over {APT_SECONDS} s")
    if done.returncode:
        last = done.stderr.decode(errors="replace").strip().splitlines()[-1:]
        pytest.skip(f"apt-get install chromium failed: {' '.join(last)}")


def _apt(*args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(
        args, env=env, capture_output=True, timeout=APT_SECONDS, check=False
    )


@pytest.fixture(scope="module")
def base_url(raw_index: Index) -> Iterator[str]:
    """The app served by uvicorn in a thread, on a free loopback port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        create_app(raw_index.path), log_config=None, access_log=False, lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]})
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join()
        sock.close()


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        yield browser
        browser.close()


def test_search_filter_and_read_the_passage_in_its_article(
    browser: Browser, base_url: str, raw_index: Index, tmp_path: Path
) -> None:
    context = browser.new_context(viewport={"width": 1100, "height": 700})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page = context.new_page()
    page.goto(base_url + "/")
    page.get_by_label("Search", exact=True).fill("NATO mission")
    page.get_by_label("Search", exact=True).press("Enter")
    page.wait_for_url("**/?q=NATO+mission**")
    assert page.locator(".card").count() == 5

    outlets = page.locator(".facet-outlet")
    outlets.get_by_role("link", name="TASS", exact=True).click()
    page.wait_for_url("**&outlet=TASS")
    assert page.locator(".card .outlet").all_text_contents() == ["TASS", "TASS"]
    (first, *_) = raw_index.search("NATO mission", outlet="TASS", limit=10)

    page.locator(".card button.copy").first.focus()
    page.keyboard.press("Enter")  # a real button: the keyboard works it
    expect(page.locator("#status")).to_have_text("Citation copied")
    assert page.evaluate("navigator.clipboard.readText()") == render.citation(first)

    page.locator(".card h3 a").first.click()
    page.wait_for_url(f"**/articles/{first.article_id}?start={first.start}**")
    passage = page.locator("mark#passage")
    assert passage.text_content() == first.text
    expect(passage).to_be_in_viewport()
    assert page.evaluate("document.activeElement.id") == "passage"
    page.screenshot(path=tmp_path / "article.png", full_page=True)
    context.close()


def fits(page: Page, width: int) -> None:
    """Nothing on the page is wider than the screen."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("width", [1280, 360])
def test_timeline_entity_facet_filters_and_the_way_back(
    browser: Browser, base_url: str, raw_index: Index, tmp_path: Path, width: int
) -> None:
    """One walk per screen width, on one page: the form, the filters (shown
    on a wide screen, behind disclosures on a phone), the timeline, the
    entity facet, an article and the link back to its results."""
    phone = width == 360
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(base_url + "/")
    fits(page, width)
    page.goto(base_url + "/?q=Lavrov")
    fits(page, width)
    since, facet = page.get_by_label("Since"), page.locator(".facet-entity")
    summaries = page.locator("details.filters > summary, details.narrow > summary")
    if phone:  # closed: the first result is on the first screen
        expect(since).to_be_hidden()
        expect(facet).to_be_hidden()
        expect(page.locator(".card h3").first).to_be_in_viewport()
        page.screenshot(path=tmp_path / "closed.png")
        summaries.first.click()
        expect(since).to_be_visible()
        summaries.last.focus()
        page.keyboard.press("Enter")  # a summary works from the keyboard too
        expect(facet).to_be_visible()
    else:
        expect(summaries.first).to_be_hidden()
        expect(summaries.last).to_be_hidden()
        expect(since).to_be_visible()
        expect(facet).to_be_visible()
    fits(page, width)

    chart = page.locator("figure.timeline svg")
    expect(chart).to_be_visible()
    labels = [a.get_attribute("aria-label") for a in chart.locator("a").all()]
    assert labels[0] == "2021-10: 2 articles"
    assert labels[-1] == "2024-05: 1 article"
    assert len(labels) == 32  # 2021-10 .. 2024-05, the empty months too
    page.screenshot(path=tmp_path / f"timeline-{width}.png", full_page=True)
    chart.locator("a").first.click()
    page.wait_for_url("**since=2021-10-01&until=2021-10-31**")
    window = {"since": "2021-10-01", "until": "2021-10-31"}
    total = raw_index.search("Lavrov", **window).total
    expect(page.locator("#results-heading")).to_have_text(f"{total} articles match")
    assert page.locator("link[rel=icon]").get_attribute("href") == "/static/icon.svg"
    assert page.request.get(base_url + "/favicon.ico").ok
    download = page.locator(".download a").get_attribute("href")
    csv = page.request.get(base_url + download).text()
    assert csv.startswith("\ufeffrank,score,outlet,")

    # The entity facet narrows to what `search --entity` counts.
    if phone:
        summaries.last.click()
    link = facet.get_by_role("link", name="Jens Stoltenberg", exact=True)
    shown = link.locator("xpath=..").locator(".count").text_content()
    link.click()
    page.wait_for_url("**&entity=Jens+Stoltenberg")
    narrowed = raw_index.search("Lavrov", entity="Jens Stoltenberg", **window)
    assert (shown, narrowed.total) == ("2", 2)
    expect(page.locator("#results-heading")).to_have_text("2 articles match")
    assert page.locator(".card").count() == 2

    # An article keeps the search, and its link back returns to the results.
    results = page.url
    first = narrowed[0]
    page.locator(".card h3 a").first.click()
    page.wait_for_url(f"**/articles/{first.article_id}?**&entity=Jens+Stoltenberg*")
    expect(page.locator("mark#passage")).to_be_in_viewport()
    fits(page, width)
    back = page.get_by_role("link", name="← Back to results")
    expect(back).to_be_in_viewport()  # sticky: in view at the passage
    back.click()
    page.wait_for_url(f"{results}#r-{first.article_id}-{first.start}")
    expect(page.locator("#results-heading")).to_have_text("2 articles match")
    context.close()
