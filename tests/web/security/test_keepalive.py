"""Staff sessions stay alive while someone works on a page, and warn before they time out.

A clerk keying a long paper form makes no request while typing; before the keep-alive, the
idle timeout logged them out and the form was lost on saving.
"""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import UserSession, utcnow
from tests.web.browser import browser, browser_page, live_server  # noqa: F401
from tests.web.entry.test_entry_browser import _log_in
from tests.web.entry_helpers import make_paper_survey, quick_user


def _session_row() -> UserSession:
    db.session.expire_all()
    return db.session.scalars(sa.select(UserSession).order_by(UserSession.id.desc())).first()


def _age_session(minutes: float) -> None:
    with db.engine.begin() as connection:
        connection.execute(sa.update(UserSession).values(
            last_seen_at=utcnow() - timedelta(minutes=minutes)))


def test_the_ping_touches_a_live_session_and_says_when_it_ended(client, login_as):
    login_as("data_entry")
    _age_session(20)
    reply = client.get("/auth/sessie")
    assert reply.status_code == 200 and reply.get_json() == {"alive": True, "idle_seconds": 1800}
    assert utcnow() - _session_row().last_seen_at.replace(tzinfo=utcnow().tzinfo) \
        < timedelta(minutes=1)
    _age_session(31)
    assert client.get("/auth/sessie").get_json() == {"alive": False}
    assert _session_row().end_reason == "idle"
    assert client.get("/auth/sessie").get_json() == {"alive": False}


def test_the_ping_needs_no_login_but_says_nothing_to_a_visitor(client):
    assert client.get("/auth/sessie").get_json() == {"alive": False}


class TestInTheBrowser:
    @pytest.fixture
    def app_config(self):
        # 6-second idle timeout; activity reported every second; warning 3 s before the end.
        return {"STAFF_IDLE_MINUTES": 0.1, "STAFF_KEEPALIVE_SECONDS": 1,
                "STAFF_IDLE_WARNING_SECONDS": 3}

    def test_typing_keeps_a_clerk_logged_in_past_the_idle_timeout(
            self, app, live_server, browser_page):  # noqa: F811
        page = browser_page
        survey, [(_assignment, code), _] = make_paper_survey()
        _log_in(page, live_server, quick_user("data_entry").email)
        page.goto(f"{live_server}/invoer/?bevraging={survey.id}")
        page.keyboard.type(code)
        page.keyboard.press("Enter")
        page.wait_for_selector("#entry-form")
        for _ in range(20):  # 10 s of typing, no page request: longer than the 6 s timeout
            page.keyboard.type("1")
            page.keyboard.press("Backspace")
            page.wait_for_timeout(500)
        assert page.is_hidden("#session-warning")
        assert page.evaluate("fetch('/auth/sessie').then(r => r.json()).then(j => j.alive)")
        assert _session_row().ended_at is None

        page.wait_for_selector("#session-warning-soon", state="visible", timeout=6000)
        assert page.get_attribute("#session-warning", "role") == "alert"
        page.click("#session-stay")  # the warning's button keeps the session
        page.wait_for_selector("#session-warning", state="hidden", timeout=3000)
        assert _session_row().ended_at is None

        page.wait_for_selector("#session-warning-ended", state="visible", timeout=12000)
        assert _session_row().end_reason == "idle"
        assert "opnieuw aan" in page.text_content("#session-warning-ended")
