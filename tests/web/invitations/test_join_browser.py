"""The join flow in headless Chromium, keyboard only, with axe-core on every page and width."""
# ruff: noqa: F811  (pytest fixtures imported from tests.web.browser)

import os

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.invitations import keys
from app.models import JoinProfileQuestion, Member
from tests.web.browser import axe_violations, browser, browser_page, live_server  # noqa: F401
from tests.web.invitations.test_invitations import CONFIG, invitations_of, make_batch

SHOTS = os.environ.get("JOIN_SCREENSHOTS")  # a folder: save a PNG of every page


@pytest.fixture
def app_config():
    return dict(CONFIG)


@pytest.fixture
def invitation(app):
    batch = make_batch(n=2)
    db.session.add(JoinProfileQuestion(panel_id=batch.panel_id, key="opleiding",
                                       text="Wat is uw hoogste diploma?",
                                       options=[["1", "lager onderwijs"], ["2", "secundair"],
                                                ["3", "hoger onderwijs"]]))
    db.session.commit()
    return invitations_of(batch)[0]


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until `selector` has the focus (fails when it never gets it)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def check_page(page, name: str) -> None:
    """No axe violations at desktop width and at 320 px, and no sideways scrolling there."""
    problems = {}
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        problems[width] = axe_violations(page)
        if width == 320:
            overflow = page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= 320, f"{name}: {overflow}px wide at 320"
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert problems == {1280: [], 320: []}, name


def test_join_with_the_keyboard_only(live_server, browser_page, invitation):
    page = browser_page
    code = keys.invitation_secrets(invitation)[0]
    page.goto(f"{live_server}/doe-mee/")
    check_page(page, "1-code")
    tab_to(page, "#code")
    page.keyboard.type(code.lower().replace("-", " "))
    page.keyboard.press("Enter")
    page.wait_for_url("**/doe-mee/uitleg")
    check_page(page, "2-uitleg")
    tab_to(page, "a[href$='/doe-mee/toestemming']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/doe-mee/toestemming")
    tab_to(page, "#submit")
    page.keyboard.press("Enter")  # without consent: an error, announced and linked
    page.wait_for_selector(".error-summary")
    check_page(page, "3-toestemming-fout")
    tab_to(page, "#consent")
    page.keyboard.press("Space")
    tab_to(page, "#submit")
    page.keyboard.press("Enter")
    page.wait_for_url("**/doe-mee/contact")
    check_page(page, "4-contact")
    tab_to(page, "#contact_preference-0")
    page.keyboard.press("Space")
    tab_to(page, "#email")
    page.keyboard.type("inwoner@example.org")
    tab_to(page, "#submit")
    page.keyboard.press("Enter")
    page.wait_for_url("**/doe-mee/profiel")
    check_page(page, "5-profiel")
    tab_to(page, "#q_opleiding-0")
    page.keyboard.press("ArrowDown")  # moves to and selects "secundair"
    tab_to(page, "#submit")
    page.keyboard.press("Enter")
    page.wait_for_url("**/doe-mee/bevestigen")
    check_page(page, "6-bevestigen")
    assert "secundair" in page.inner_text("main")
    tab_to(page, "#submit")
    page.keyboard.press("Enter")
    page.wait_for_url("**/doe-mee/klaar")
    check_page(page, "7-klaar")
    member = db.session.scalar(sa.select(Member))
    assert member.email == "inwoner@example.org" and member.profile == {"opleiding": "2"}


def test_decline_with_the_keyboard_and_the_closed_pages(live_server, browser_page, invitation):
    page = browser_page
    token = keys.invitation_secrets(invitation)[1]
    page.goto(f"{live_server}/doe-mee/t/{token}")
    page.wait_for_url("**/doe-mee/uitleg")
    assert token not in page.url
    tab_to(page, "form[action$='/doe-mee/niet-deelnemen'] button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/doe-mee/bedankt/declined")
    check_page(page, "8-bedankt")
    page.goto(f"{live_server}/doe-mee/t/{token}")
    page.wait_for_url("**/doe-mee/uitleg")
    assert "U hebt al geantwoord" in page.inner_text("main")
    check_page(page, "9-al-geantwoord")
    page.goto(f"{live_server}/doe-mee/t/onbekend")
    check_page(page, "10-onbekende-link")
