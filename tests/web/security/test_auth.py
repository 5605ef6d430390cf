import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, User
from tests.conftest import PASSWORD, login


def test_login_and_logout(client, make_user):
    user = make_user("researcher")
    response = login(client, user)
    assert response.headers["Location"] == "/"
    assert client.get("/dashboard").status_code == 200
    assert client.post("/auth/logout").status_code == 302
    assert client.get("/dashboard").status_code == 302
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert "login" in actions and "logout" in actions


def test_password_is_stored_with_argon2id(make_user):
    user = make_user("admin")
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_wrong_password_is_refused_with_a_dutch_message(client, make_user):
    user = make_user()
    response = client.post("/auth/login", data={"email": user.email, "password": "wrong-one-x"})
    assert response.status_code == 422
    assert "klopt niet" in response.get_data(as_text=True)


def test_unknown_account_gets_the_same_message(client):
    response = client.post("/auth/login",
                           data={"email": "nobody@example.org", "password": "x" * 12})
    assert response.status_code == 422
    assert "klopt niet" in response.get_data(as_text=True)


def test_account_locks_after_repeated_failures(app, client, make_user):
    user = make_user()
    for _ in range(app.config["LOGIN_LOCKOUT_FAILURES"]):
        client.post("/auth/login", data={"email": user.email, "password": "wrong-password"})
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 422  # right password, but locked
    db.session.refresh(user)
    assert user.locked_until is not None


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_next_parameter_is_never_an_open_redirect(client, make_user, target):
    user = make_user()
    response = client.post(f"/auth/login?next={target}",
                           data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_next_parameter_keeps_local_paths(client, make_user):
    user = make_user()
    response = client.post("/auth/login?next=/register/",
                           data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/register/"


def test_session_cookie_flags(client, make_user):
    user = make_user()
    response = login(client, user)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_role_change_ends_existing_sessions(app, client, make_user):
    from app.admin.services import change_role

    user = make_user("researcher")
    login(client, user)
    assert client.get("/register/").status_code == 200
    change_role(db.session.get(User, user.id), "councillor")
    db.session.commit()
    assert client.get("/register/").status_code == 302  # must log in again


class TestRateLimit:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute"}

    def test_login_attempts_are_rate_limited_per_ip(self, client):
        data = {"email": "a@example.org", "password": "x" * 12}
        statuses = [client.post("/auth/login", data=data).status_code for _ in range(5)]
        assert statuses[:3] == [422, 422, 422]
        assert statuses[3:] == [429, 429]


class TestCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_login_without_csrf_token_is_refused(self, client, make_user):
        user = make_user()
        response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 400
        assert "verlopen" in response.get_data(as_text=True)

    def test_every_post_route_requires_a_csrf_token(self, app, client, make_user):
        user = make_user("admin")
        page = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        client.post("/auth/login", data={"email": user.email, "password": PASSWORD,
                                         "csrf_token": token})
        assert client.get("/dashboard").status_code == 200
        from tests.web.security.test_roles import _requests

        posts = [(endpoint, url) for endpoint, method, url in _requests(app) if method == "POST"]
        assert posts
        for endpoint, url in posts:
            assert client.post(url, data={}).status_code == 400, endpoint
