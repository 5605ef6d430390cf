"""Respondent pages in headless Chromium: flows, back button, double submit, keyboard, axe."""
# ruff: noqa: F811 - the fixtures imported from tests.web.browser are used as arguments

import sqlalchemy as sa

from app.extensions import db
from app.models import Response
from app.surveys import services
from tests.web.browser import axe_violations, browser, browser_page, live_server  # noqa: F401
from tests.web.respond.test_respond import answers_of, make_assignment, make_survey, responses


def _start(page, live_server):
    survey = make_survey()
    assignment, token, code = make_assignment(survey)
    page.goto(f"{live_server}/antwoorden/t/{token}")
    return survey, assignment, token, code


def _next(page):
    page.click("button[value=next]")
    page.wait_for_load_state()


def _fill_rest(page):
    page.check("#q-Q3-a-4")
    page.check("#q-Q3-b-2")
    page.check("#q-Q4-1")
    _next(page)
    page.fill("#q-Q5", "Meer groen")
    _next(page)


def test_full_response_with_a_condition_that_hides_a_question(browser_page, live_server):
    page = browser_page
    _survey, assignment, _token, _code = _start(page, live_server)
    assert "Deel 1 van 3" in page.inner_text(".progress-block")
    page.check("#q-Q1-1")
    _next(page)
    assert "er een vraag bijgekomen" in page.inner_text("main")
    page.fill("#q-Q2", "80")
    _next(page)
    page.go_back()  # the browser's back button: the page shows the saved answers
    page.wait_for_load_state()
    assert page.input_value("#q-Q2") == "80" and page.is_checked("#q-Q1-1")
    page.check("#q-Q1-2")  # "no garden": question 2 disappears and its answer is cleared
    _next(page)
    _fill_rest(page)
    assert page.url.endswith("/antwoorden/vragenlijst/overzicht")
    page.click("button:has-text('Verzenden')")
    page.wait_for_load_state()
    assert "Dank u wel" in page.inner_text("h1")
    [stored] = responses(assignment.id)
    assert stored.status == "complete"
    assert answers_of(stored) == {"Q1": "2", "Q3": {"a": "4", "b": "2"}, "Q4": ["1"],
                                  "Q5": "Meer groen"}


def test_stop_and_resume_in_a_new_browser_context(browser, browser_page, live_server):
    page = browser_page
    _survey, assignment, token, _code = _start(page, live_server)
    page.check("#q-Q1-2")
    _next(page)
    page.check("#q-Q3-a-5")
    page.click("button[value=save]")
    page.wait_for_load_state()
    assert "bewaard" in page.inner_text("h1")
    context = browser.new_context()
    other = context.new_page()
    other.goto(f"{live_server}/antwoorden/t/{token}")
    assert other.url.endswith("/antwoorden/vragenlijst/deel/S2")
    assert other.is_checked("#q-Q3-a-5")
    context.close()
    assert len(responses(assignment.id)) == 1


def test_double_submit_and_repost_store_exactly_one_response(browser_page, live_server):
    page = browser_page
    _survey, assignment, _token, _code = _start(page, live_server)
    page.check("#q-Q1-2")
    _next(page)
    _fill_rest(page)
    token = page.input_value("input[name=form_token]")
    page.evaluate("""() => {
        const button = document.querySelector("form[action$='overzicht'] button");
        button.click();
        button.click();
    }""")
    page.wait_for_url("**/bedankt")
    again = page.request.post(f"{live_server}/antwoorden/vragenlijst/overzicht",
                              form={"form_token": token})
    assert again.ok and "Dank u wel" in again.text()
    db.session.expire_all()
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Response).where(
        Response.assignment_id == assignment.id))
    assert count == 1 and responses(assignment.id)[0].status == "complete"


def test_keyboard_only_completion_of_a_page(browser_page, live_server):
    page = browser_page
    _start(page, live_server)
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "q-Q1":
            break
    page.keyboard.press("ArrowDown")  # radio groups: arrows move and select
    assert page.is_checked("#q-Q1-2")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.value") == "next"
    page.keyboard.press("Enter")
    page.wait_for_url("**/deel/S2")
    focused = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused is not None


def _check_page(page, label: str, problems: list[str]) -> None:
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        problems.extend(f"{label} @{width}: {item}" for item in axe_violations(page))
        if width == 320:
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > 320:
                problems.append(f"{label} @320: horizontal scroll ({scroll}px)")


def test_axe_and_320px_on_every_respondent_page(browser_page, live_server):
    page, problems = browser_page, []
    page.goto(f"{live_server}/antwoorden/")
    _check_page(page, "code entry", problems)
    page.click("button[type=submit]")
    _check_page(page, "code entry with error", problems)
    survey, _assignment, _token, _code = _start(page, live_server)
    _check_page(page, "section 1", problems)
    _next(page)
    _check_page(page, "section 1 with errors", problems)
    page.check("#q-Q1-1")
    _next(page)
    page.fill("#q-Q2", "20")
    _next(page)
    _check_page(page, "section 2 (matrix)", problems)
    page.check("#q-Q3-a-1")
    page.check("#q-Q3-b-1")
    _next(page)
    _check_page(page, "section 3", problems)
    _next(page)
    _check_page(page, "review", problems)
    page.click("button[name=language][value=fr]")
    _check_page(page, "review in French", problems)
    page.click("button[type=submit] >> nth=-1")
    page.wait_for_url("**/bedankt")
    _check_page(page, "thank you", problems)
    services.close_survey(survey)
    db.session.commit()
    page.goto(f"{live_server}/antwoorden/vragenlijst")
    _check_page(page, "closed", problems)
    assert problems == []
