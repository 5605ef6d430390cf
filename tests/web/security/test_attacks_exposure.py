"""Job status only for its owner; an unreachable database answers 503; helpdesk lookups limited."""

import pytest

from app import create_app, jobs
from app.extensions import db
from tests.conftest import TEST_SECRETS, login

# Nothing listens on port 1: every connection attempt is refused at once.
UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/stadspanel?connect_timeout=2"


@jobs.handler("test_noop")
def _noop(job, **_params):
    return {"ok": True}


def test_job_status_only_for_its_owner_and_admins(app, client, make_user):
    owner, colleague, clerk = make_user("researcher"), make_user("researcher"), make_user(
        "data_entry")
    job = jobs.create_job("test_noop", {}, user_id=owner.id)
    orphan = jobs.create_job("test_noop", {})  # started by a command, no owner
    db.session.commit()
    expected = {owner: (200, 403), colleague: (403, 403), clerk: (403, 403),
                make_user("admin"): (200, 200)}
    for user, (status, orphan_status) in expected.items():
        login(client, user)
        assert client.get(f"/jobs/{job.id}").status_code == status, user.email
        assert client.get(f"/jobs/{orphan.id}").status_code == orphan_status, user.email
        client.post("/auth/logout")
    assert client.get(f"/jobs/{job.id}").status_code == 302  # anonymous: to the login page


def test_an_unreachable_database_answers_503_with_retry_after(app, client, make_user):
    user = make_user("researcher")
    login(client, user)
    cookie = client.get_cookie("session").value
    broken = create_app({**TEST_SECRETS, "SQLALCHEMY_DATABASE_URI": UNREACHABLE,
                         "TESTING": True, "RATELIMIT_ENABLED": False,
                         "WTF_CSRF_ENABLED": False})
    visitor = broken.test_client()
    visitor.set_cookie("session", cookie)
    for method, url, data in (("get", "/dashboard", None), ("get", "/register/", None),
                              ("post", "/antwoorden/", {"code": "ABCD-EFGH-JK"})):
        response = getattr(visitor, method)(url, data=data)
        assert response.status_code == 503, url
        assert response.headers["Retry-After"] == "30"
        page = response.get_data(as_text=True)
        assert "databank is even niet bereikbaar" in page and "Traceback" not in page
    assert broken.test_client().get("/auth/login").status_code == 200  # no DB needed there


class TestHelpdeskLookupLimit:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "LOOKUP_RATE_LIMIT": "5 per minute",
                "LOGIN_RATE_LIMIT": "50 per minute"}

    def test_code_lookups_are_limited_per_ip(self, app, make_user):
        user = make_user("researcher")

        def desk(ip: str):
            client = app.test_client()
            client.environ_base["REMOTE_ADDR"] = ip  # "strong" session protection binds the IP
            login(client, user)
            return client

        def attempts(client, count: int) -> list[int]:
            return [client.post("/uitnodigingen/opzoeken",
                                data={"code": f"ZZZZ-ZZZZ-{n:02d}"}).status_code
                    for n in range(count)]

        first = desk("10.9.0.1")
        statuses = attempts(first, 7)
        assert statuses[:5] == [422] * 5 and statuses[5:] == [429, 429]
        assert attempts(desk("10.9.0.2"), 1) == [422]  # another desk, its own bucket
        assert first.get("/uitnodigingen/opzoeken").status_code == 200  # GET is not limited
