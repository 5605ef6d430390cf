"""Shared browser fixtures: the app served on a loopback port, and a headless Chromium page."""

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE = Path(__file__).parents[1] / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def live_server(app):
    """The test app on 127.0.0.1:<free port>; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def browser_page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page) -> list[str]:
    """axe-core (vendored) on the current page: ids and targets of WCAG 2.1 A/AA violations."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           AXE_TAGS)
    return [f"{item['id']}: {[node['target'] for node in item['nodes']][:3]}"
            for item in result["violations"]]


def layout_problems(page, base: str, urls, widths=(1280, 320), shots: str | None = None
                    ) -> list[str]:
    """axe violations and horizontal scrolling of each of ``urls`` at each width."""
    problems = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        for url in urls:
            page.goto(f"{base}{url}")
            problems += [f"{width} {url}: {item}" for item in axe_violations(page)]
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                problems.append(f"{width} {url}: {overflow}px horizontal scroll")
            if shots:
                name = url.strip("/").replace("/", "_") or "index"
                page.screenshot(path=str(Path(shots) / f"{name}-{width}.png"), full_page=True)
    return problems
