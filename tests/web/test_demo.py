"""`flask demo` (what `make run` loads) builds a working city: the pages a visitor opens work."""

import sqlalchemy as sa

from app.extensions import db
from app.models import Member, Report, Response, Study


def test_the_demo_city_loads_and_its_main_pages_work(app, runner, client):
    result = runner.invoke(args=["demo", "--residents", "16000"])
    assert result.exit_code == 0, result.output
    assert "Demo-aanmelding" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Study)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Member)) > 20
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) > 10
    assert db.session.scalar(sa.select(Report.published_at)) is not None
    assert client.get("/privacy/verklaring").status_code == 200
    login = client.post("/auth/login", data={"email": "admin@demo.stadspanel.be",
                                              "password": "demo-stadspanel-2026"})
    assert login.status_code == 302
    for url in ("/dashboard", "/panels/1", "/trekkingen/1", "/resultaten/bevraging/1",
                "/resultaten/weging/1", "/uitnodigingen/reeks/1"):
        assert client.get(url).status_code == 200, url
    assert "De database bevat al gegevens" in runner.invoke(args=["demo"]).output
