"""Two clerks key a whole paper form in headless Chromium with the keyboard only; axe-core."""

import os

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Answer, Response
from tests.conftest import PASSWORD
from tests.web.browser import axe_violations, browser, browser_page, live_server  # noqa: F401
from tests.web.entry_helpers import EXPECTED, TYPED, make_paper_survey, quick_user

SHOTS = os.environ.get("ENTRY_SCREENSHOTS")  # a folder: save PNGs of the pages


def _tab_to(page, selector: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def _log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/auth/login")
    _tab_to(page, "#email")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/auth/login" not in page.url


def _key_form(page, base: str, survey_id: int, code: str, *, check: bool) -> None:
    page.goto(f"{base}/invoer/?bevraging={survey_id}")
    assert page.evaluate("document.activeElement.id") == "code"  # ready to scan
    if check:
        assert axe_violations(page) == []
    page.keyboard.type(code)
    page.keyboard.press("Enter")  # a barcode scanner ends with Enter
    page.wait_for_selector("#entry-form")
    for key, typed in TYPED.items():
        assert page.evaluate("document.activeElement.id") == f"f-{key}"
        page.keyboard.type(typed)
        page.keyboard.press("Enter")
    if check:
        assert page.text_content("#o-Q1") == "→ 2 Ontevreden"
        assert page.text_content("#o-Q5_d") == "→ leeg"
        assert axe_violations(page) == []
        _shots(page, "keying")
    assert page.evaluate("document.activeElement.id") == "entry-save"
    page.keyboard.press("Enter")
    page.wait_for_selector(".flash-success")


def _shots(page, name: str) -> None:
    if not SHOTS:
        return
    page.screenshot(path=f"{SHOTS}/entry-{name}-desktop.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    page.screenshot(path=f"{SHOTS}/entry-{name}-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= 320")
    page.set_viewport_size({"width": 1280, "height": 800})


def test_two_clerks_key_a_form_with_the_keyboard_only(app, live_server, browser):  # noqa: F811
    survey, [(assignment, code), _] = make_paper_survey()
    for number in (1, 2):
        context = browser.new_context()
        page = context.new_page()
        _log_in(page, live_server, quick_user("data_entry").email)
        _key_form(page, live_server, survey.id, code, check=number == 1)
        context.close()
    db.session.expire_all()
    response = db.session.scalar(sa.select(Response).where(
        Response.assignment_id == assignment.id))
    assert (response.mode, response.status) == ("paper", "complete")
    assert {row.question_code: row.value for row in db.session.scalars(
        sa.select(Answer).where(Answer.response_id == response.id))} == EXPECTED


@pytest.mark.parametrize("path", ["/invoer/", "/invoer/overzicht/{survey}"])
def test_researcher_pages_have_no_axe_violations(app, live_server, browser_page,  # noqa: F811
                                                path):
    survey, _ = make_paper_survey()
    _log_in(browser_page, live_server, quick_user("researcher").email)
    browser_page.goto(live_server + path.format(survey=survey.id))
    assert axe_violations(browser_page) == []
    _shots(browser_page, "overview" if "{survey}" in path else "index")
