# ruff: noqa: F811  (pytest fixtures imported from tests.web.browser)
"""In headless Chromium: stored XSS payloads fire no dialog; the privacy pages pass axe-core."""

import os

import sqlalchemy as sa

from app.extensions import db
from app.models import DataSubjectRequest
from tests.conftest import PASSWORD, login
from tests.web.browser import browser, browser_page, layout_problems, live_server  # noqa: F401
from tests.web.security.test_attacks_injection import pages, plant_everywhere

SHOTS = os.environ.get("PRIVACY_SCREENSHOTS")  # a folder: also save screenshots there


def sign_in(page, base: str, user) -> None:
    page.goto(f"{base}/auth/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("form:has(#password) [type=submit]")
    page.wait_for_url(lambda url: "/auth/login" not in url)


def test_no_dialog_fires_on_the_main_admin_pages(app, client, make_user, live_server,
                                                browser_page):
    user = make_user("admin")
    login(client, user)
    chain = plant_everywhere(client)
    dialogs = []
    browser_page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(browser_page, live_server, user)
    visited = 0
    for url in pages(chain):
        response = browser_page.goto(f"{live_server}{url}")
        visited += response.status < 400
    assert visited >= 15
    assert dialogs == []
    assert browser_page.evaluate("() => typeof window.alert") == "function"


def test_privacy_pages_are_accessible_and_fit_a_phone(app, client, make_user, live_server,
                                                      browser_page):
    user = make_user("researcher")
    login(client, user)
    chain = plant_everywhere(client)
    record = db.session.scalar(sa.select(DataSubjectRequest))
    sign_in(browser_page, live_server, user)
    urls = ["/privacy/", "/privacy/verzoeken", f"/privacy/verzoeken/{record.id}",
            "/privacy/bewaartermijnen", f"/privacy/studies/{chain['study'].id}",
            f"/privacy/bevraging/{chain['survey'].id}/anonimiseren", "/privacy/verklaring"]
    assert layout_problems(browser_page, live_server, urls, shots=SHOTS) == []
