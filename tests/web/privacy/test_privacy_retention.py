"""Retention: a dry run first, then the purge; margins and weighting survive it."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, Invitation, Margin, Member, Resident, Selection, Study
from app.privacy import retention
from app.results import data, weighting
from tests.web.privacy.test_privacy_study import make_chain

LATER = datetime.now(UTC) + timedelta(days=400)


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def never_selected() -> int:
    kept = set(db.session.scalars(sa.select(Selection.resident_id))) | set(
        db.session.scalars(sa.select(Member.resident_id)))
    return count(Resident) - len(kept)


def weights(survey) -> dict:
    respondents = data.respondent_frame(survey)
    choice = weighting.WeightingChoice("rake", ["age_band", "sex"])
    return weighting.create_weight_set(survey, choice, respondents, None, None).weights


def test_dry_run_counts_and_changes_nothing(app, runner):
    make_chain()
    expected = never_selected()
    assert 0 < expected < 300
    assert retention.plan(now=LATER).unselected_residents == expected
    assert retention.plan().unselected_residents == 0  # 90 days have not passed yet
    result = runner.invoke(args=["retention", "run", "--dry-run"])
    assert result.exit_code == 0 and "Proefdraai" in result.output
    assert count(Resident) == 300


def test_purge_deletes_never_selected_residents_and_weighting_still_works(app):
    chain = make_chain()
    survey = chain["survey"]
    before = weights(survey)
    margins = db.session.execute(sa.select(Margin.id, Margin.count).order_by(Margin.id)).all()
    expected = never_selected()
    report = retention.run(now=LATER)
    db.session.commit()
    assert report.unselected_residents == expected
    assert count(Resident) == 300 - expected
    assert db.session.execute(sa.select(Margin.id, Margin.count).order_by(Margin.id)).all() \
        == margins
    after = weights(survey)
    assert after.keys() == before.keys()
    assert all(abs(after[key] - before[key]) < 1e-9 for key in before)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "retention_purge"))
    assert event.details["unselected_residents"] == expected
    assert retention.plan(now=LATER).unselected_residents == 0


def test_contact_data_goes_after_fieldwork_and_members_keep_theirs(app, runner):
    chain = make_chain()
    study = db.session.get(Study, chain["study"].id)
    study.fieldwork_end, study.contact_retention_days = date.today() - timedelta(days=2), 1
    invitations = db.session.scalars(sa.select(Invitation)).all()
    for invitation in invitations:
        invitation.email = f"i{invitation.id}@example.org"
    member = db.session.scalar(sa.select(Member).limit(1))
    member.email = "lid@example.org"
    db.session.commit()
    drawn = set(db.session.scalars(sa.select(Selection.resident_id).where(
        Selection.draw_id == chain["draw"].id)))
    members = set(db.session.scalars(sa.select(Member.resident_id).where(
        Member.status == "active")))
    plan = retention.plan()
    assert plan.selected_contact_details == len(drawn - members) > 0
    assert plan.invitation_emails == len(invitations)
    result = runner.invoke(args=["retention", "run"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    for resident_id in drawn - members:
        resident = db.session.get(Resident, resident_id)
        assert (resident.last_name, resident.street, resident.birth_date) == (None, None, None)
        assert resident.age_band and resident.district  # strata stay for audits and weights
    for resident_id in drawn & members:
        assert db.session.get(Resident, resident_id).last_name is not None
    assert count(Invitation, Invitation.email.is_not(None)) == 0
    assert db.session.get(Member, member.id).email == "lid@example.org"  # still a member


def test_left_members_lose_their_e_mail(app):
    chain = make_chain()
    study = db.session.get(Study, chain["study"].id)
    study.contact_retention_days = 30
    member = db.session.scalar(sa.select(Member).limit(1))
    member.status, member.email = "left", "weg@example.org"
    member.left_at = datetime.now(UTC) - timedelta(days=31)
    db.session.commit()
    assert retention.plan().member_emails == 1
    retention.run()
    db.session.commit()
    assert db.session.get(Member, member.id).email is None


def test_web_page_shows_the_dry_run_and_runs_as_a_job(app, client, login_as):
    make_chain()
    study = db.session.scalar(sa.select(Study))
    study.unselected_retention_days = 0
    db.session.commit()
    expected = never_selected()
    login_as("researcher")
    page = client.get("/privacy/bewaartermijnen").get_data(as_text=True)
    assert f">{expected}<" in page
    assert client.post("/privacy/bewaartermijnen", data={}).status_code == 422
    assert count(Resident) == 300
    assert client.post("/privacy/bewaartermijnen", data={"confirm": "y"}).status_code == 302
    assert count(Resident) == 300 - expected


def test_old_staff_sign_in_records_are_purged_and_live_ones_kept(app, make_user):
    from app.auth import sessions
    from app.models import UserSession

    user = make_user("researcher")
    now = datetime.now(UTC)
    for _ in range(3):
        sessions.start(user)
    db.session.flush()
    old, stale, live = db.session.scalars(sa.select(UserSession).order_by(UserSession.id))
    old.ended_at, old.end_reason = now - timedelta(days=91), "logout"
    stale.last_seen_at = now - timedelta(days=120)  # never logged out, never came back
    live.last_seen_at = now - timedelta(days=1)
    db.session.commit()
    assert retention.plan().staff_sessions == 2
    report = retention.run()
    db.session.commit()
    assert report.staff_sessions == 2
    assert list(db.session.scalars(sa.select(UserSession.id))) == [live.id]
    assert retention.plan(now=now + timedelta(days=90)).staff_sessions == 1
