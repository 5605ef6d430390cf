"""The researcher's invitation pages in Chromium: letters started by a click, axe-core clean."""
# ruff: noqa: F811  (pytest fixtures imported from tests.web.browser)

import pytest

from tests.conftest import PASSWORD
from tests.web.browser import axe_violations, browser, browser_page, live_server  # noqa: F401
from tests.web.invitations.test_invitations import CONFIG, invitations_of, make_batch
from tests.web.invitations.test_invitations_staff import join


@pytest.fixture
def app_config():
    return dict(CONFIG)


def test_staff_pages_work_and_have_no_axe_violations(live_server, browser_page, make_user):
    batch = make_batch(n=6)
    for invitation in invitations_of(batch)[:2]:
        join(invitation)
    user = make_user("researcher")
    page = browser_page
    page.goto(f"{live_server}/auth/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url("**/dashboard")
    page.goto(f"{live_server}/uitnodigingen/reeks/{batch.id}")
    page.click("form[action$='/brieven'] button")
    page.wait_for_selector("a[href$='.pdf']")
    assert "doet mee" in page.inner_text("main")
    violations = {}
    for path in (f"/uitnodigingen/reeks/{batch.id}", "/uitnodigingen/",
                 f"/uitnodigingen/panel/{batch.panel_id}/opvolging",
                 f"/uitnodigingen/panel/{batch.panel_id}/leden",
                 f"/uitnodigingen/panel/{batch.panel_id}/brieftekst/nl",
                 f"/uitnodigingen/panel/{batch.panel_id}/profielvragen", "/uitnodigingen/papier"):
        page.goto(live_server + path)
        violations[path] = axe_violations(page)
        if path.endswith("/leden"):
            assert page.locator("tbody tr").count() == 2
    assert all(found == [] for found in violations.values()), violations
