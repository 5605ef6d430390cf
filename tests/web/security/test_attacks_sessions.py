"""A copied staff session cookie is worthless after logout, password or role change, an admin's
"log out everywhere", deactivation, idling and the absolute limit; respondents are unaffected."""

from datetime import UTC, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import User, UserSession, utcnow
from tests.conftest import PASSWORD, login
from tests.web.respond.test_respond import make_assignment, make_survey, page, post, responses

PROTECTED = "/bevragingen/"


def copy_of(app, client):
    """A second browser holding a copy of ``client``'s session cookie (the attacker)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def works(client) -> bool:
    response = client.get(PROTECTED)
    if response.status_code == 302:
        assert "/auth/login" in response.headers["Location"]
        return False
    assert response.status_code == 200
    return True


def session_rows(user):
    db.session.expire_all()
    return db.session.scalars(sa.select(UserSession).where(UserSession.user_id == user.id)
                              .order_by(UserSession.id)).all()


@pytest.fixture
def researcher(app, client, make_user):
    user = make_user("researcher")
    login(client, user)
    return user


def test_logout_ends_every_copy_of_the_cookie(app, client, researcher):
    thief = copy_of(app, client)
    assert works(thief)
    client.post("/auth/logout")
    assert not works(thief) and not works(client)
    assert [row.end_reason for row in session_rows(researcher)] == ["logout"]


def test_password_change_ends_every_other_session(app, client, researcher):
    thief, laptop = copy_of(app, client), app.test_client()
    login(laptop, researcher)
    new = "vier losse woorden voor de raad"
    response = client.post("/auth/wachtwoord", data={"current": PASSWORD, "new": new,
                                                       "repeat": new})
    assert response.status_code == 302
    assert not works(thief) and not works(laptop)
    assert works(client)  # the session that changed it goes on, under a new token
    assert not works(copy_of(app, thief))
    reasons = [row.end_reason for row in session_rows(researcher)]
    assert reasons == ["password_changed", "password_changed", None]
    login(app.test_client(), researcher, new)


def test_a_wrong_current_password_or_a_weak_new_one_changes_nothing(app, client, researcher):
    for current, new in ((PASSWORD[::-1], "vier losse woorden voor de raad"),
                         (PASSWORD, "kort"), (PASSWORD, "Qwerty123456")):
        response = client.post("/auth/wachtwoord", data={"current": current, "new": new,
                                                           "repeat": new})
        assert response.status_code == 422, new
    assert works(client)
    login(app.test_client(), researcher)


def test_role_change_deactivation_and_admin_logout_end_the_sessions(app, client, make_user):
    admin = make_user("admin")
    desk = app.test_client()
    login(desk, admin)
    for action in ("rol", "actief", "afmelden"):
        user = make_user("researcher")
        victim = app.test_client()
        login(victim, user)
        thief = copy_of(app, victim)
        assert works(thief)
        data = {"role": "councillor"} if action == "rol" else {}
        assert desk.post(f"/beheer/gebruikers/{user.id}/{action}", data=data).status_code == 302
        assert not works(thief) and not works(victim), action
        assert session_rows(user)[-1].end_reason == {
            "rol": "role_changed", "actief": "deactivated", "afmelden": "admin"}[action]
    assert desk.post(f"/beheer/gebruikers/{admin.id}/afmelden").status_code == 400


def test_idle_timeout(app, client, researcher):
    thief = copy_of(app, client)
    row = session_rows(researcher)[0]
    row.last_seen_at = utcnow() - timedelta(minutes=29)
    db.session.commit()
    assert works(thief)  # 29 minutes idle: still fine, and the visit counts as activity
    seen = session_rows(researcher)[0].last_seen_at
    assert utcnow() - (seen if seen.tzinfo else seen.replace(tzinfo=UTC)) < timedelta(seconds=5)
    row = session_rows(researcher)[0]
    row.last_seen_at = utcnow() - timedelta(minutes=31)
    db.session.commit()
    assert not works(client)
    assert "Uw sessie is verlopen" in client.get("/auth/login").get_data(as_text=True)
    assert not works(thief)
    assert session_rows(researcher)[0].end_reason == "idle"


def test_absolute_timeout_even_while_active(app, client, researcher):
    row = session_rows(researcher)[0]
    row.created_at = utcnow() - timedelta(hours=12, minutes=1)
    db.session.commit()
    assert not works(client)
    assert session_rows(researcher)[0].end_reason == "absolute"


class TestShortLimits:
    @pytest.fixture
    def app_config(self):
        return {"STAFF_IDLE_MINUTES": 5, "STAFF_SESSION_HOURS": 1}

    def test_limits_are_configurable(self, app, client, researcher):
        row = session_rows(researcher)[0]
        row.last_seen_at = utcnow() - timedelta(minutes=6)
        db.session.commit()
        assert not works(client)
        login(client, researcher)
        row = session_rows(researcher)[-1]
        row.created_at = utcnow() - timedelta(minutes=61)
        db.session.commit()
        assert not works(client)


def session_writes(client, requests: int) -> int:
    statements = []

    def remember(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", remember)
    try:
        for _ in range(requests):
            assert works(client)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", remember)
    return len([s for s in statements if s.lstrip().upper().startswith("UPDATE USER_SESSIONS")])


def test_last_seen_is_written_at_most_once_a_minute(app, client, researcher):
    assert session_writes(client, 5) == 0  # the login has just set last_seen_at
    row = session_rows(researcher)[0]
    row.last_seen_at = utcnow() - timedelta(seconds=61)
    db.session.commit()
    assert session_writes(client, 5) == 1


def test_respondents_are_untouched_by_staff_sessions(app, client, make_user):
    survey = make_survey()
    _assignment, token, _code = make_assignment(survey)
    statements = []

    def remember(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", remember)
    try:
        assert client.get(f"/antwoorden/t/{token}").status_code == 302
        page(client, "S1")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", remember)
    assert statements and not [s for s in statements if "user_sessions" in s.lower()]
    # A clerk tries the questionnaire in the same browser; their staff session then expires.
    clerk = make_user("data_entry")
    login(client, clerk)
    assert client.get(f"/antwoorden/t/{token}").status_code == 302
    row = session_rows(clerk)[0]
    row.last_seen_at = utcnow() - timedelta(hours=2)
    db.session.commit()
    assert post(client, "S1", {"q-Q1": "2"}).status_code == 302
    assert responses(_assignment.id)


@pytest.mark.parametrize("password", ["kort-2026", "q1w2e3r4t5y6", "Q1W2E3R4T5Y6",
                                      "qwerty123456", " 1qaz2wsx3edc "])
def test_staff_passwords_need_12_characters_and_not_a_common_one(app, client, make_user,
                                                                 runner, password):
    login(client, make_user("admin"))
    response = client.post("/beheer/gebruikers", data={
        "name": "Zwak", "email": "zwak@example.org", "role": "researcher", "password": password})
    assert response.status_code == 422
    result = runner.invoke(args=["users", "create", "zwak@example.org", "--role", "researcher",
                                 "--password", password])
    assert result.exit_code != 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(
        User.email == "zwak@example.org")) == 0


def test_the_common_password_list_is_the_shipped_file():
    from app.passwords import COMMON_PASSWORDS, policy_problem

    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").split("\n")
    long_ones = [line for line in lines if len(line) >= 12]
    assert len(lines) >= 19_000 and len(long_ones) > 150
    assert all(policy_problem(line) for line in long_ones)
    assert policy_problem("demo-stadspanel-2026") is None  # the README's demo password
    assert policy_problem("vier losse woorden voor de raad") is None
