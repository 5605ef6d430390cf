"""`flask demo` (what `make run` loads) builds a working city; its staff pages pass axe and fit
a phone (councillors and staff read them on the go)."""
# ruff: noqa: F811  (pytest fixtures imported from tests.web.browser)

import sqlalchemy as sa

from app.extensions import db
from app.models import Member, Report, Response, Study
from tests.web.browser import browser, browser_page, layout_problems, live_server  # noqa: F401

LOGIN = {"email": "admin@demo.stadspanel.be", "password": "demo-stadspanel-2026"}
PAGES = ["/dashboard", "/register/", "/register/1", "/panels/", "/panels/1", "/trekkingen/",
         "/trekkingen/1", "/trekkingen/nieuw", "/uitnodigingen/", "/uitnodigingen/reeks/1",
         "/uitnodigingen/panel/1/leden", "/uitnodigingen/panel/1/opvolging",
         "/uitnodigingen/opzoeken", "/bevragingen/", "/bevragingen/1", "/invoer/",
         "/resultaten/", "/resultaten/bevraging/1", "/resultaten/weging/1",
         "/resultaten/rapport/1", "/privacy/", "/beheer/gebruikers", "/beheer/audit",
         "/privacy/verklaring", "/toegankelijkheid"]


def _load(runner) -> None:
    result = runner.invoke(args=["demo", "--residents", "16000"])
    assert result.exit_code == 0, result.output
    assert "Demo-aanmelding" in result.output


def test_the_demo_city_loads_and_its_main_pages_work(app, runner, client):
    _load(runner)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Study)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Member)) > 20
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) > 10
    assert db.session.scalar(sa.select(Report.published_at)) is not None
    assert client.post("/auth/login", data=LOGIN).status_code == 302
    for url in PAGES:
        assert client.get(url).status_code == 200, url
    assert "De database bevat al gegevens" in runner.invoke(args=["demo"]).output


def test_staff_pages_pass_axe_and_fit_a_phone(app, runner, live_server, browser_page):
    _load(runner)
    browser_page.goto(f"{live_server}/auth/login")
    browser_page.fill("#email", LOGIN["email"])
    browser_page.fill("#password", LOGIN["password"])
    browser_page.click("form:has(#password) [type=submit]")
    browser_page.wait_for_url(lambda url: "/auth/login" not in url)
    assert layout_problems(browser_page, live_server, PAGES) == []
