"""Survey e-mails through a real local SMTP server: content, links, exactly once, bounces."""
# ruff: noqa: F811  (pytest fixtures imported from tests.web.browser)

import os
import re
import socket
import subprocess

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app import jobs
from app.extensions import db
from app.models import Assignment, AuditEvent, Job, MailLog, Member, Panel, utcnow
from app.respond.access import assignment_by_code
from app.surveys import distribution
from app.surveys.mail import sending
from tests.conftest import PASSWORD
from tests.web.browser import axe_violations, browser, browser_page, live_server  # noqa: F401
from tests.web.invitations.test_invitations import CONFIG
from tests.web.invitations.test_invitations_mail import (  # noqa: F401  (the SMTP server fixtures)
    REJECTED,
    Sink,
    app_config,
    sink,
    smtp_port,
)
from tests.web.invitations.test_invitations_staff import csrf_token
from tests.web.respond.test_respond import make_survey

LINK = re.compile(r"https://panel\.zennegem\.be/antwoorden/t/([A-Za-z0-9_-]+)")
MEMBER_LINK = re.compile(r"https://panel\.zennegem\.be/doe-mee/lid/([A-Za-z0-9_-]+)")
SHOTS = os.environ.get("SCREENSHOT_DIR")  # set to look at the page
CODE = re.compile(r"\b[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}\b")


def panel_survey(members: list[tuple[str | None, str, str, str]]):
    """An open survey assigned to a panel of (email, language, preference, status) members."""
    panel = Panel(name="Stadspanel Zennegem")
    db.session.add(panel)
    db.session.flush()
    for number, (address, language, preference, status) in enumerate(members):
        db.session.add(Member(panel_id=panel.id, pseudonym=f"P{number}", email=address,
                              consent_text_version="v1", consent_at=utcnow(), language=language,
                              contact_preference=preference, status=status, joined_at=utcnow()))
    survey = make_survey()
    survey.panel_id = panel.id
    distribution.assign_panel(survey)
    db.session.commit()
    return survey


def emails(n: int) -> list[tuple[str, str, str, str]]:
    return [(f"lid{number}@example.org", "nl", "email", "active") for number in range(n)]


def send(survey, step: str = "invitation") -> Job:
    job = jobs.create_job("survey_mail", {"survey_id": survey.id, "step": step})
    db.session.commit()
    jobs.run_job(job.id)
    return db.session.get(Job, job.id)


def crash_after_the_first_claim(survey, monkeypatch) -> None:
    """A run that dies between claiming the first e-mail and sending it (power cut)."""

    def power_cut(connection, assignment, step):
        raise RuntimeError("power cut")

    monkeypatch.setattr(sending, "deliver", power_cut)
    send(survey)
    monkeypatch.undo()


def assignment_of(address: str) -> Assignment:
    return db.session.scalar(sa.select(Assignment).join(Member, Member.id == Assignment.member_id)
                             .where(Member.email == address))


def received(sink) -> list[str]:
    return sorted(to[0] for to, _message in sink.messages)


def test_message_is_personal_bilingual_and_has_privacy_and_member_links(app, sink, client):
    survey = panel_survey([("an@example.org", "nl", "email", "active"),
                           ("luc@example.org", "fr", "email", "active"),
                           ("kim@example.org", "en", "email", "active"),
                           (None, "nl", "paper", "active"),
                           ("weg@example.org", "nl", "email", "left")])
    assert send(survey).result == {"sent": 3, "bounced": 0, "deferred": 0, "skipped": 0}
    assert received(sink) == ["an@example.org", "kim@example.org", "luc@example.org"]
    by_to = {message["To"]: message for _to, message in sink.messages}
    dutch, french = by_to["an@example.org"], by_to["luc@example.org"]
    assert dutch["Subject"] == "Nieuwe bevraging: Buurtbevraging"
    assert french["Subject"] == "Nouvelle enquête : Enquête de quartier"
    assert by_to["kim@example.org"]["Subject"] == "Nieuwe bevraging: Buurtbevraging"  # no en
    text = dutch.get_body(("plain",)).get_content()
    page = dutch.get_body(("html",)).get_content()
    token, code = LINK.search(text).group(1), CODE.search(text).group(0)
    assert f'href="https://panel.zennegem.be/antwoorden/t/{token}"' in page and code in page
    assert "Privacy:" in text and "privacy@zennegem.be" in text and "Stad Zennegem" in text
    member_token = MEMBER_LINK.search(text).group(1)
    assert dutch["List-Unsubscribe"] == f"<https://panel.zennegem.be/doe-mee/lid/{member_token}>"
    assert "Meld u af" in text and "het panel verlaten" in text
    assert client.get(f"/doe-mee/lid/{member_token}").headers["Location"] == "/doe-mee/lid"
    assert "Vie privée" in french.get_body(("plain",)).get_content()
    assignment = assignment_of("an@example.org")
    assert assignment.status == "sent" and assignment.sent_at is not None
    assert assignment_by_code(code).id == assignment.id


def test_link_in_the_mail_opens_the_survey(app, sink, client):
    survey = panel_survey(emails(1))
    send(survey)
    text = sink.messages[0][1].get_body(("plain",)).get_content()
    path = "/antwoorden/t/" + LINK.search(text).group(1)
    assert client.get(path).headers["Location"] == "/antwoorden/vragenlijst"
    page = client.get("/antwoorden/vragenlijst", follow_redirects=True).get_data(as_text=True)
    assert "Uw buurt" in page


def test_running_twice_sends_each_assignment_once(app, sink):
    survey = panel_survey(emails(4))
    send(survey)
    assert send(survey).result == {"sent": 0, "bounced": 0, "deferred": 0, "skipped": 4}
    assert received(sink) == [f"lid{number}@example.org" for number in range(4)]
    rows = db.session.execute(sa.select(MailLog.step, sa.func.count()).group_by(MailLog.step))
    assert dict(rows.all()) == {"invitation": 4}


def test_interrupted_job_is_resumed_after_a_restart_without_duplicates(app, sink, monkeypatch):
    survey = panel_survey(emails(5))
    calls = {"n": 0}

    def killed_after_two(seconds):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")

    monkeypatch.setattr(sending, "pause", killed_after_two)
    job = send(survey)
    assert job.status == "failed" and len(sink.messages) == 2
    monkeypatch.undo()
    job.status = "running"  # as a killed worker leaves it: its process is gone
    finished = subprocess.Popen(["true"])
    finished.wait()
    job.worker = f"{socket.gethostname()}:{finished.pid}"
    db.session.commit()
    assert jobs.resume_unfinished() == [job.id]  # what `flask jobs resume` does
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == "done"
    assert received(sink) == [f"lid{number}@example.org" for number in range(5)]


def test_crash_between_claim_and_send_is_not_retried(app, sink, monkeypatch):
    survey = panel_survey(emails(2))
    crash_after_the_first_claim(survey, monkeypatch)
    send(survey)
    assert received(sink) == ["lid1@example.org"]
    assert sending.overview(survey)[0] == {
        "step": "invitation", "sent": 1, "bounced": 0, "deferred": 0, "claimed": 1,
        "pending": 0}


def test_550_marks_the_assignment_undeliverable_and_is_never_retried(app, sink):
    survey = panel_survey([(REJECTED, "nl", "email", "active"), *emails(1)])
    assert send(survey).result == {"sent": 1, "bounced": 1, "deferred": 0, "skipped": 0}
    db.session.expire_all()
    bounced = assignment_of(REJECTED)
    log = db.session.scalar(sa.select(MailLog).where(MailLog.assignment_id == bounced.id))
    assert bounced.undeliverable_at is not None and bounced.status == "created"
    assert log.status == "bounced" and log.smtp_code == 550
    assert send(survey).result["sent"] == 0
    assert send(survey, "reminder1").result["sent"] == 1
    assert received(sink) == ["lid0@example.org", "lid0@example.org"]


def test_451_is_deferred_and_retried_after_the_back_off(app, sink):
    sink.reject_code = "451 4.7.1 Try again later"
    survey = panel_survey([(REJECTED, "nl", "email", "active")])
    assert send(survey).result["deferred"] == 1
    log = db.session.scalar(sa.select(MailLog))
    assert log.status == "deferred" and log.smtp_code == 451 and log.retry_after is not None
    assert send(survey).result["skipped"] == 1  # back-off not over yet
    db.session.scalars(sa.select(Member)).one().email = "later@example.org"
    log.retry_after = log.created_at
    db.session.commit()
    assert send(survey).result["sent"] == 1
    log = db.session.scalar(sa.select(MailLog))
    assert log.status == "sent" and log.attempts == 2
    assert received(sink) == ["later@example.org"]


def test_reminders_skip_completed_and_repeat_the_first_link(app, sink):
    survey = panel_survey(emails(3))
    send(survey)
    first = {m["To"]: LINK.search(m.get_body(("plain",)).get_content()).group(1)
             for _to, m in sink.messages}
    assignment_of("lid0@example.org").status = "completed"
    db.session.commit()
    assert send(survey, "reminder2").result["sent"] == 0  # reminder1 not sent yet
    assert send(survey, "reminder1").result["sent"] == 2
    reminders = [m for _to, m in sink.messages if m["Subject"].startswith("Herinnering")]
    assert sorted(m["To"] for m in reminders) == ["lid1@example.org", "lid2@example.org"]
    for message in reminders:
        assert LINK.search(message.get_body(("plain",)).get_content()).group(1) \
            == first[message["To"]]
    assignment_of("lid1@example.org").status = "completed"
    db.session.commit()
    assert send(survey, "reminder2").result["sent"] == 1
    assert sink.messages[-1][1]["To"] == "lid2@example.org"


def test_mail_log_belongs_to_exactly_one_invitation_or_assignment(app):
    db.session.add(MailLog(step="invitation", status="claimed"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_buttons_queue_the_job_show_counts_and_are_audited(app, sink, client, login_as):
    survey = panel_survey([*emails(2), (REJECTED, "nl", "email", "active")])
    login_as("researcher")
    page = client.get(f"/bevragingen/{survey.id}").get_data(as_text=True)
    assert "E-mails versturen" in page and "Herinnering versturen" in page
    response = client.post(f"/bevragingen/{survey.id}/mail", data={"step": "invitation"})
    assert response.status_code == 302 and len(sink.messages) == 2
    assert client.post(f"/bevragingen/{survey.id}/mail", data={"step": "x"}).status_code == 400
    page = client.get(f"/bevragingen/{survey.id}").get_data(as_text=True)
    row = re.search(r"<th scope=\"row\">Uitnodiging</th>(.*?)</tr>", page).group(1)
    assert re.findall(r">(\d+)<", row) == ["2", "1", "0", "0", "0"]
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert "survey_mail_requested" in actions


def test_a_draft_survey_cannot_be_mailed(app, sink, client, login_as):
    survey = panel_survey(emails(1))
    survey.status = "draft"
    db.session.commit()
    login_as("researcher")
    response = client.post(f"/bevragingen/{survey.id}/mail", data={"step": "invitation"},
                           follow_redirects=True)
    assert "Open de bevraging eerst" in response.get_data(as_text=True)
    assert sink.messages == [] and db.session.scalar(sa.select(sa.func.count(Job.id))) == 0


class TestWithCsrf:
    @pytest.fixture
    def app_config(self, smtp_port):
        return {**CONFIG, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_port,
                "WTF_CSRF_ENABLED": True}

    def test_the_button_needs_the_csrf_token(self, app, sink, client, make_user):
        survey = panel_survey(emails(1))
        user = make_user("researcher")
        client.post("/auth/login", data={"email": user.email, "password": PASSWORD,
                                         "csrf_token": csrf_token(client, "/auth/login")})
        path = f"/bevragingen/{survey.id}/mail"
        assert client.post(path, data={"step": "invitation"}).status_code == 400
        assert sink.messages == []
        token = csrf_token(client, f"/bevragingen/{survey.id}")
        response = client.post(path, data={"step": "invitation", "csrf_token": token})
        assert response.status_code == 302 and received(sink) == ["lid0@example.org"]


def test_survey_page_with_the_mail_section_passes_axe(app, sink, live_server, browser_page,
                                                      make_user):
    survey = panel_survey([*emails(2), (REJECTED, "nl", "email", "active")])
    send(survey)
    user = make_user("researcher")
    page = browser_page
    page.goto(f"{live_server}/auth/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/auth/login" not in url)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server}/bevragingen/{survey.id}#e-mail")
        assert page.locator("#e-mail").is_visible()
        assert axe_violations(page) == []
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/survey-mail-{width}.png", full_page=True)


def test_a_claimed_mail_can_be_released_and_is_then_sent_once(app, sink, client, login_as,
                                                               monkeypatch):
    survey = panel_survey(emails(2))
    crash_after_the_first_claim(survey, monkeypatch)
    [stuck] = sending.claimed(survey)
    login_as("researcher")
    page = client.get(f"/bevragingen/{survey.id}").get_data(as_text=True)
    assert "Niet bevestigde e-mails" in page
    assert f"/bevragingen/{survey.id}/mail/{stuck.id}/opnieuw" in page
    other = make_survey()
    db.session.commit()
    assert client.post(f"/bevragingen/{other.id}/mail/{stuck.id}/opnieuw").status_code == 404
    response = client.post(f"/bevragingen/{survey.id}/mail/{stuck.id}/opnieuw")
    assert response.status_code == 302
    assert sending.claimed(survey) == []
    send(survey)
    assert sorted(received(sink)) == ["lid0@example.org", "lid1@example.org"]
    send(survey)  # released once, sent once: no second copy
    assert len(sink.messages) == 2
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "mail_released"))
    assert event.details == {"assignment_id": stuck.assignment_id, "step": "invitation"}
    assert "Niet bevestigde e-mails" not in client.get(
        f"/bevragingen/{survey.id}").get_data(as_text=True)


def test_a_bounced_member_gets_paper_now_and_in_the_next_survey_until_the_address_changes(
        app, sink, client, login_as):
    from app.invitations import members as member_services

    survey = panel_survey([(REJECTED, "nl", "email", "active"), *emails(1)])
    send(survey)
    db.session.expire_all()
    bounced = assignment_of(REJECTED)
    member = db.session.get(Member, bounced.member_id)
    assert bounced.channel == "paper" and member.email_undeliverable_at is not None
    issued = distribution.issue_paper_codes(survey)
    assert [assignment.id for assignment, _code in issued] == [bounced.id]
    later = make_survey()
    later.panel_id = survey.panel_id
    distribution.assign_panel(later)
    db.session.commit()
    channels = dict(db.session.execute(sa.select(Assignment.member_id, Assignment.channel)
                                       .where(Assignment.survey_id == later.id)).all())
    assert channels[member.id] == "paper" and set(channels.values()) == {"paper", "web"}
    login_as("researcher")
    page = client.get(f"/uitnodigingen/panel/{survey.panel_id}/leden").get_data(as_text=True)
    assert "e-mail onbestelbaar: krijgt papier" in page
    member_services.update_preferences(member, contact_preference="email",
                                       email="nieuw@example.org", language="nl")
    assert member.email_undeliverable_at is None
