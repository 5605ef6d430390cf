"""Researcher pages: monitoring, members, object-level checks and CSRF on every POST."""

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask import g

from app.draws import services as draw_services
from app.extensions import db
from app.invitations import joining, monitoring
from app.models import AuditEvent, Draw, InvitationBatch, LetterRun, Member, Panel
from tests.conftest import PASSWORD
from tests.web.invitations.test_invitations import CONFIG, invitations_of, make_batch, make_draw


@pytest.fixture
def app_config():
    return dict(CONFIG)


def join(invitation, when: datetime | None = None, preference: str = "paper") -> Member:
    choices = joining.JoinChoices(consent_version="nl-standaard", consent_at=datetime.now(UTC),
                                  contact_preference=preference,
                                  email="a@example.org" if preference == "email" else None)
    member = joining.join(invitation, choices, source="test")
    if when is not None:
        invitation.answered_at = when
    db.session.commit()
    return member


def test_monitoring_rates_against_hand_counts_and_expected_rates(client, login_as):
    batch = make_batch(n=6)
    draw = db.session.get(Draw, batch.draw_id)
    draw.allocation_method = "target_completes"
    draw.parameters = {**draw.parameters, "allocation_table": [
        {"stratum": "F", "response_rate": 0.5}, {"stratum": "M", "response_rate": 0.25}]}
    invitations = invitations_of(batch)
    by_stratum = {}
    for invitation in invitations:
        by_stratum.setdefault(invitation.selection.stratum, []).append(invitation)
    women, men = by_stratum["F"], by_stratum["M"]
    join(women[0], datetime(2026, 3, 2, 10, tzinfo=UTC))
    join(women[1], datetime(2026, 3, 3, 9, tzinfo=UTC))
    join(men[0], datetime(2026, 3, 3, 18, tzinfo=UTC))
    joining.decline(men[1], source="test")
    db.session.commit()
    frame = monitoring.invitation_frame(batch.panel_id)
    rows = {row["key"]: row for row in monitoring.summary(frame, "stratum")}
    assert rows["F"]["invited"] == len(women) and rows["F"]["joined"] == 2
    assert rows["F"]["rate"] == pytest.approx(2 / len(women))
    assert rows["F"]["expected"] == 0.5 and rows["M"]["expected"] == 0.25
    assert rows["M"]["declined"] == 1
    assert rows["M"]["expected_joins"] == pytest.approx(0.25 * len(men))
    days = monitoring.per_day(frame)
    assert [(d["day"].isoformat(), d["joined"], d["cumulative"]) for d in days] == [
        ("2026-03-02", 1, 1), ("2026-03-03", 2, 3)]
    assert days[-1]["rate"] == pytest.approx(3 / 6)
    assert draw_services.realised_rates(["sex"]) == pytest.approx(
        {"F": 2 / len(women), "M": 1 / len(men)})
    login_as("researcher")
    page = client.get(f"/uitnodigingen/panel/{batch.panel_id}/opvolging")
    assert page.status_code == 200 and "50,0\u00a0%" in page.get_data(as_text=True)


def test_expected_rate_defaults_without_target_completes(app):
    batch = make_batch(n=2)
    frame = monitoring.invitation_frame(batch.panel_id)
    assert set(frame["expected"]) == {draw_services.DEFAULT_RESPONSE_RATE}


def test_members_list_filters_and_staff_actions_are_audited(client, login_as):
    batch = make_batch(n=3)
    first, second, _ = invitations_of(batch)
    member = join(first)
    join(second, preference="email")
    login_as("researcher")
    url = f"/uitnodigingen/panel/{batch.panel_id}/leden"
    page = client.get(url, query_string={"contact_preference": "email"}).get_data(as_text=True)
    assert page.count("<code>") == 1 and member.pseudonym not in page
    resident = first.selection.resident
    assert resident.last_name not in client.get(url).get_data(as_text=True)
    client.post(f"{url}/{member.id}", data={"action": "pause"})
    db.session.refresh(member)
    assert member.status == "paused"
    client.post(f"{url}/{member.id}", data={"action": "remove"})
    db.session.refresh(member)
    assert member.status == "left" and member.left_at is not None
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert {"member_pause", "member_remove"} <= set(actions)


def test_objects_of_another_panel_are_not_found_through_this_panel(client, login_as):
    batch = make_batch(n=2, panel_name="A")
    other = make_batch(n=2, panel_name="B")
    member = join(invitations_of(other)[0])
    login_as("researcher")
    response = client.post(f"/uitnodigingen/panel/{batch.panel_id}/leden/{member.id}",
                           data={"action": "remove"})
    assert response.status_code == 404
    db.session.refresh(member)
    assert member.status == "active"
    client.post(f"/uitnodigingen/reeks/{other.id}/brieven", data={})
    run = db.session.scalar(sa.select(LetterRun).where(LetterRun.batch_id == other.id))
    assert client.get(f"/uitnodigingen/reeks/{batch.id}/druk/{run.id}.pdf").status_code == 404
    assert client.get(f"/uitnodigingen/reeks/{other.id}/druk/{run.id}.pdf").status_code == 200
    assert client.get("/uitnodigingen/panel/999/leden").status_code == 404
    assert client.get("/uitnodigingen/reeks/999").status_code == 404


@pytest.mark.parametrize("role", ["councillor", "data_entry"])
def test_other_roles_cannot_see_members_or_letters(client, login_as, role):
    batch = make_batch(n=1)
    login_as(role)
    assert client.get(f"/uitnodigingen/panel/{batch.panel_id}/leden").status_code == 403
    assert client.post(f"/uitnodigingen/reeks/{batch.id}/brieven").status_code == 403


def test_create_batch_through_the_form(client, login_as):
    draw = make_draw(n=2)
    login_as("researcher")
    assert client.get("/uitnodigingen/").status_code == 200
    response = client.post("/uitnodigingen/nieuw", data={
        "draw_id": draw.id, "deadline": "2030-01-31", "envelope_profile": "C5"})
    assert response.status_code == 302
    created = db.session.scalar(sa.select(InvitationBatch))
    assert created.envelope_profile == "C5" and len(invitations_of(created)) == 2
    again = client.post("/uitnodigingen/nieuw", data={
        "draw_id": draw.id, "deadline": "2030-01-31", "envelope_profile": "C5"})
    assert again.status_code == 422


def test_profile_questions_are_added(client, login_as):
    panel = Panel(name="Q")
    db.session.add(panel)
    db.session.commit()
    login_as("researcher")
    url = f"/uitnodigingen/panel/{panel.id}/profielvragen"
    data = {"key": "opleiding", "text": "Hoogste diploma?", "options": "lager\nsecundair\n"}
    assert client.post(url, data=data).status_code == 302
    assert client.post(url, data=data).status_code == 422
    assert "secundair" in client.get(url).get_data(as_text=True)


class TestCsrf:
    @pytest.fixture
    def app_config(self):
        return {**CONFIG, "WTF_CSRF_ENABLED": True}

    def test_every_staff_post_needs_a_token(self, client, make_user):
        batch = make_batch(n=1)
        member = join(invitations_of(batch)[0])
        user = make_user("researcher")
        client.post("/auth/login", data={"email": user.email, "password": PASSWORD,
                                         "csrf_token": csrf_token(client, "/auth/login")})
        paths = [
            "/uitnodigingen/nieuw", f"/uitnodigingen/reeks/{batch.id}/brieven",
            f"/uitnodigingen/reeks/{batch.id}/herinneringen",
            f"/uitnodigingen/reeks/{batch.id}/mail",
            f"/uitnodigingen/reeks/{batch.id}/mail/1/opnieuw",
            f"/uitnodigingen/panel/{batch.panel_id}/brieftekst/nl",
            f"/uitnodigingen/panel/{batch.panel_id}/profielvragen",
            f"/uitnodigingen/panel/{batch.panel_id}/leden/{member.id}", "/uitnodigingen/papier"]
        for path in paths:
            assert client.post(path, data={"action": "remove"}).status_code == 400, path
        db.session.refresh(member)
        assert member.status == "active"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LetterRun)) == 0
        members_url = f"/uitnodigingen/panel/{batch.panel_id}/leden"
        response = client.post(f"{members_url}/{member.id}", data={
            "action": "pause", "csrf_token": csrf_token(client, members_url)})
        db.session.refresh(member)
        assert response.status_code == 302 and member.status == "paused"


def csrf_token(client, path: str) -> str:
    # The test's app context (and so ``g``) outlives requests; Flask-WTF caches the signed
    # token of the previous session in ``g``, which a real request would not have.
    g.pop("csrf_token", None)
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
