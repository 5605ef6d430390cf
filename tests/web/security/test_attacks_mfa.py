"""Two-step sign-in: a password alone is not enough once TOTP is on; codes cannot be replayed;
with REQUIRE_ADMIN_MFA an admin without a second factor can only enrol."""

import re
import time

import pyotp
import pytest

from app.auth import mfa
from app.extensions import db
from app.models import User
from tests.conftest import PASSWORD, login

PROTECTED = "/bevragingen/"


def enrol(client) -> str:
    page = client.get("/auth/tweestaps").get_data(as_text=True)
    assert "<svg" in page and "QR-code" in page
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page).group(1)
    response = client.post("/auth/tweestaps", data={"enable-code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    return secret


def password_step(client, user) -> None:
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/code"


def fresh_code(secret: str, user: User) -> str:
    """A code for a step later than the last one accepted (a real user waits 30 s)."""
    db.session.refresh(user)
    step = max(int(time.time()) // 30 - 1, (user.totp_last_step or 0) + 1)
    return pyotp.TOTP(secret).at(step * 30)


def test_with_totp_on_a_password_alone_opens_nothing(app, client, make_user):
    user = make_user("researcher")
    login(client, user)
    secret = enrol(client)
    stored = db.session.get(User, user.id).totp_secret
    assert secret not in stored and stored.startswith("f1:")  # sealed, not the seed itself
    assert mfa.stored_secret(db.session.get(User, user.id)) == secret
    client.post("/auth/logout")
    attacker = app.test_client()
    password_step(attacker, user)
    assert attacker.get(PROTECTED).status_code == 302  # half-way: not signed in
    wrong = attacker.post("/auth/code", data={"code": "000000"})
    assert wrong.status_code == 422 and db.session.get(User, user.id).failed_logins == 1
    code = fresh_code(secret, user)
    assert attacker.post("/auth/code", data={"code": code}).status_code == 302
    assert attacker.get(PROTECTED).status_code == 200
    replay = app.test_client()
    password_step(replay, user)
    assert replay.post("/auth/code", data={"code": code}).status_code == 422  # used once only
    assert replay.get(PROTECTED).status_code == 302


def test_turning_totp_off_needs_the_password(app, client, make_user):
    user = make_user("researcher")
    login(client, user)
    enrol(client)
    refused = client.post("/auth/tweestaps", data={"disable-password": "niet mijn wachtwoord"})
    assert refused.status_code == 422 and db.session.get(User, user.id).totp_secret
    assert client.post("/auth/tweestaps",
                       data={"disable-password": PASSWORD}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret is None
    client.post("/auth/logout")
    login(client, user)  # back to the password alone


def test_a_wrong_enrolment_code_enables_nothing(app, client, make_user):
    user = make_user("researcher")
    login(client, user)
    assert client.post("/auth/tweestaps", data={"enable-code": "123456"}).status_code == 422
    assert db.session.get(User, user.id).totp_secret is None


class TestRequiredForAdmins:
    @pytest.fixture
    def app_config(self):
        return {"REQUIRE_ADMIN_MFA": True}

    def test_an_admin_must_enrol_before_anything_else(self, app, client, make_user):
        admin = make_user("admin")
        login(client, admin)
        for url in ("/beheer/gebruikers", PROTECTED, "/dashboard"):
            response = client.get(url)
            assert response.status_code == 302 and response.headers["Location"] == (
                "/auth/tweestaps"), url
        secret = enrol(client)
        assert client.get("/beheer/gebruikers").status_code == 200
        assert client.post("/auth/tweestaps",
                           data={"disable-password": PASSWORD}).status_code == 422  # required
        client.post("/auth/logout")
        password_step(client, admin)
        assert client.post("/auth/code",
                           data={"code": fresh_code(secret, admin)}).status_code == 302
        assert client.get("/beheer/gebruikers").status_code == 200

    def test_other_roles_may_go_without(self, app, client, make_user):
        login(client, make_user("researcher"))
        assert client.get(PROTECTED).status_code == 200


def test_a_sealed_seed_opens_only_under_its_own_key(app):
    from app.auth import sealed

    token = sealed.seal("JBSWY3DPEHPK3PXP", secret="a" * 32, purpose="totp")
    assert sealed.unseal(token, secret="a" * 32, purpose="totp") == "JBSWY3DPEHPK3PXP"
    for secret, purpose in (("b" * 32, "totp"), ("a" * 32, "other")):
        with pytest.raises(ValueError, match="another key"):
            sealed.unseal(token, secret=secret, purpose=purpose)
    with pytest.raises(ValueError, match="altered"):
        sealed.unseal(token[:-4] + "AAAA", secret="a" * 32, purpose="totp")
    with pytest.raises(ValueError, match="not a sealed"):
        sealed.unseal("JBSWY3DPEHPK3PXP", secret="a" * 32, purpose="totp")
