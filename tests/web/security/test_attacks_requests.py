"""Every route: GET changes nothing, security headers everywhere, CSRF on every POST."""

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from tests.conftest import login
from tests.web.privacy.test_privacy_study import make_chain
from tests.web.security.test_roles import MATRIX, PUBLIC, _requests

LOGGED_ON_GET = {"audit_events"}  # viewing personal data is itself logged (by design)


def row_counts() -> dict[str, int]:
    with db.engine.connect() as connection:
        return {table.name: connection.execute(
            sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in db.metadata.sorted_tables}


def get_routes(app):
    return [(endpoint, url) for endpoint, method, url in _requests(app)
            if method == "GET" and endpoint not in ("auth.logout",)]


def test_no_get_route_changes_the_database(app, client, make_user):
    make_chain(members=30, draw_size=10)
    login(client, make_user("admin"))
    before = row_counts()
    changed = []
    for endpoint, url in get_routes(app):
        response = client.get(url)
        response.close()
        after = row_counts()
        diff = {name for name in after if after[name] != before[name]} - LOGGED_ON_GET
        if diff:
            changed.append((endpoint, sorted(diff)))
        before = after
    assert changed == []


HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def check_headers(response, endpoint: str) -> list[str]:
    problems = [f"{endpoint}: {name}" for name, value in HEADERS.items()
                if response.headers.get(name) != value]
    policy = response.headers.get("Content-Security-Policy", "")
    if "frame-ancestors 'none'" not in policy or "unsafe-inline" in policy \
            or "script-src 'self'" not in policy:
        problems.append(f"{endpoint}: CSP {policy!r}")
    if endpoint != "static" and response.headers.get("Cache-Control") != "no-store":
        problems.append(f"{endpoint}: Cache-Control")
    return problems


@pytest.mark.parametrize("role", [None, "admin", "councillor"])
def test_security_headers_on_every_page_type(app, client, make_user, role):
    make_chain(members=20, draw_size=5)
    if role:
        login(client, make_user(role))
    problems = []
    for endpoint, url in get_routes(app):
        response = client.get(url)
        problems += check_headers(response, endpoint)
        response.close()
    for status_url in ("/bestaat-niet",):
        problems += check_headers(client.get(status_url), "404")
    assert problems == []


class TestProduction:
    @pytest.fixture
    def app_config(self):
        return {"ENV_NAME": "production", "SESSION_COOKIE_SECURE": True}

    def test_hsts_and_secure_cookies_in_production(self, app, client, make_user):
        response = client.get("/auth/login")
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        user = make_user("researcher")
        response = client.post("/auth/login", data={"email": user.email,
                                                    "password": "correct horse battery staple"})
        cookie = response.headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_is_renewed_at_login(app, client, make_user):
    user = make_user("researcher")
    client.post("/taal", data={"language": "fr", "next": "/"})
    with client.session_transaction() as session:
        session["planted"] = "fixation"
    before = client.get_cookie("session").value
    login(client, user)
    after = client.get_cookie("session").value
    assert after != before
    with client.session_transaction() as session:
        assert "planted" not in session and "_user_id" in session
        assert session["language"] == "fr"  # the chosen language survives the renewal
    assert "Déconnexion" in client.get("/dashboard").get_data(as_text=True)


class TestCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_every_post_without_a_token_is_refused(self, app, client, make_user):
        make_chain(members=20, draw_size=5)
        user = make_user("admin")
        page = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                          r'name="csrf_token" value="([^"]+)"', page)
        token = next(group for group in token.groups() if group)
        assert client.post("/auth/login", data={"email": user.email,
                                                "password": "correct horse battery staple",
                                                "csrf_token": token}).status_code == 302
        before = row_counts()
        accepted = []
        for endpoint, method, url in _requests(app):
            if method != "POST" or endpoint == "auth.logout":
                continue
            response = client.post(url, data={"confirm": "y", "confirm_text": "ANONIEM"})
            if response.status_code != 400 and not _respondent_refusal(endpoint, response):
                accepted.append(f"{endpoint}: {response.status_code}")
        assert accepted == []
        after = row_counts()
        assert {name for name in after if after[name] != before[name]} <= LOGGED_ON_GET
        assert client.post("/auth/logout").status_code == 400
        assert MATRIX["respond.save"] == PUBLIC


def _respondent_refusal(endpoint: str, response) -> bool:
    """Respondent pages use a signed per-assignment form token instead of the session token."""
    return endpoint.startswith("respond.") and response.status_code in (400, 403, 302)
