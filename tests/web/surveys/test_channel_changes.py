"""No resident is stranded: after every channel change (the member's own choice, a bounce, a
staff action) each open assignment has exactly one way to answer — an e-mail (sent, or due
in the next mail run) or a paper questionnaire (printed, or due in the next paper batch) —
and the member's own page lists their open questionnaires with a link."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.invitations import keys, members
from app.models import Assignment, Member, Panel, Survey, User
from app.surveys import distribution, services
from app.surveys.mail.sending import candidates
from tests.web.survey_factory import EXAMPLE


def _member(panel: Panel, name: str, preference: str) -> Member:
    member = Member(panel_id=panel.id, pseudonym=name, consent_text_version="v1",
                    consent_at=datetime.now(UTC), joined_at=datetime.now(UTC),
                    contact_preference=preference,
                    email=f"{name}@example.be" if preference == "email" else None)
    db.session.add(member)
    return member


def _open_survey(panel: Panel, title: str) -> Survey:
    survey = services.create_survey(EXAMPLE.read_text(encoding="utf-8"))
    survey.title, survey.panel_id, survey.status = {"nl": title}, panel.id, "open"
    distribution.assign_panel(survey)
    return survey


@pytest.fixture
def panel(app):
    panel = Panel(name="Panel")
    db.session.add(panel)
    db.session.flush()
    people = {name: _member(panel, name, preference) for name, preference in
              (("anna", "email"), ("bart", "paper"), ("chris", "email"), ("dana", "email"))}
    db.session.flush()
    surveys = [_open_survey(panel, "Eerste bevraging"), _open_survey(panel, "Tweede bevraging")]
    db.session.commit()
    return people, surveys


def ways_to_answer(assignment: Assignment) -> list[str]:
    """Every way the assignment can be answered, as the mailer and the paper batch see it."""
    ways = []
    emailed = assignment.sent_at is not None and assignment.undeliverable_at is None
    if assignment.channel == "web" and (
            assignment.id in candidates(db.session.get(Survey, assignment.survey_id),
                                        "invitation") or emailed):
        ways.append("e-mail")
    awaiting = db.session.scalar(sa.select(sa.func.count()).select_from(Assignment).where(
        Assignment.id == assignment.id, distribution._awaiting_paper()))
    if assignment.channel == "paper" and (awaiting or distribution._has_paper_form(assignment)):
        ways.append("papier")
    return ways


def assert_nobody_stranded(people) -> None:
    db.session.flush()
    for member in people.values():
        if member.status != "active":
            continue
        for assignment in distribution.open_assignments(member):
            assert len(ways_to_answer(assignment)) == 1, (member.pseudonym, assignment.channel,
                                                          ways_to_answer(assignment))


def _assignments(member: Member) -> list[Assignment]:
    return distribution.open_assignments(member)


def test_every_channel_change_leaves_one_way_to_answer(panel):
    people, surveys = panel
    anna, bart, chris, dana = (people[name] for name in ("anna", "bart", "chris", "dana"))
    assert_nobody_stranded(people)
    # 1. e-mail → paper after the survey was assigned (one e-mail already went out)
    distribution.mark_sent(_assignments(anna)[0])
    members.update_preferences(anna, contact_preference="paper", email=None, language="nl")
    assert_nobody_stranded(people)
    assert {a.channel for a in _assignments(anna)} == {"paper"}
    assert all(ways_to_answer(a) == ["papier"] and a.sent_at is None
               for a in _assignments(anna))  # both in the next paper batch, the e-mailed too
    # 2. paper → e-mail before any paper questionnaire was printed
    members.update_preferences(bart, contact_preference="email", email="bart@example.be",
                               language="nl")
    assert_nobody_stranded(people)
    assert {a.channel for a in _assignments(bart)} == {"web"}
    # 3. the paper batch prints anna's forms; then back to e-mail: the forms in hand stay
    for survey in surveys:
        distribution.issue_paper_codes(survey)
    members.update_preferences(anna, contact_preference="email", email="anna@example.be",
                               language="nl")
    assert_nobody_stranded(people)
    assert {a.channel for a in _assignments(anna)} == {"paper"}
    # 4. a bounce on the first survey moves chris's second survey to paper too
    first = _assignments(chris)[0]
    distribution.mark_sent(first)
    first.sent_at = datetime.now(UTC) - timedelta(minutes=5)
    distribution.email_bounced(first)
    assert_nobody_stranded(people)
    assert {a.channel for a in _assignments(chris)} == {"paper"}
    # 5. a new address after the bounce: back to e-mail while no paper form was printed
    members.update_preferences(chris, contact_preference="email", email="chris@new.example.be",
                               language="nl")
    assert_nobody_stranded(people)
    assert {a.channel for a in _assignments(chris)} == {"web"}
    # 6. a change while paused is put right when staff resume the member
    staff = User(email="staff@example.be", name="Staf", role="researcher", password_hash="x")
    db.session.add(staff)
    members.staff_action(dana, "pause", actor=staff)
    members.update_preferences(dana, contact_preference="paper", email=None, language="nl")
    members.staff_action(dana, "resume", actor=staff)
    assert_nobody_stranded(people)
    assert {a.channel for a in _assignments(dana)} == {"paper"}


def test_the_member_page_lists_open_questionnaires_with_a_link(panel, client):
    people, surveys = panel
    anna, bart = people["anna"], people["bart"]
    for member in (anna, bart):
        token = keys.member_token(member)
        db.session.commit()
        page_client = client.application.test_client()
        assert page_client.get(f"/doe-mee/lid/{token}").status_code == 302
        page = page_client.get("/doe-mee/lid").get_data(as_text=True)
        assert "Uw open vragenlijsten" in page
        assert "Eerste bevraging" in page and "Tweede bevraging" in page
        if member is anna:
            links = [part.split('"')[0] for part in page.split('href="')[1:]
                     if "/antwoorden/t/" in part]
            assert len(links) == 2
            path = links[0][links[0].index("/antwoorden/t/"):]
            assert page_client.get(path).status_code == 302  # the link opens the survey
        else:
            assert "op papier" in page and "/antwoorden/t/" not in page
