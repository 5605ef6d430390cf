"""The public join pages: code or link, privacy, consent, contact, profile, membership."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.invitations import keys
from app.models import AuditEvent, InvitationEvent, JoinProfileQuestion, Member, Suppression
from tests.web.invitations.test_invitations import CONFIG, invitations_of, make_batch

UNKNOWN = "Deze code kennen we niet"


@pytest.fixture
def app_config():
    return dict(CONFIG)


@pytest.fixture
def invitation(app):
    batch = make_batch(n=2)
    db.session.add(JoinProfileQuestion(panel_id=batch.panel_id, key="opleiding",
                                       text="Wat is uw hoogste diploma?",
                                       options=[["1", "lager onderwijs"], ["2", "secundair"],
                                                ["3", "hoger onderwijs"]]))
    db.session.commit()
    return invitations_of(batch)[0]


def enter(client, invitation):
    code = keys.invitation_secrets(invitation)[0]
    return client.post("/doe-mee/", data={"code": code})


def join_all_steps(client, invitation, **contact):
    assert enter(client, invitation).status_code == 302
    assert client.post("/doe-mee/toestemming", data={"consent": "y"}).status_code == 302
    data = {"contact_preference": "email", "email": "lid@example.org", "language": "nl",
            **contact}
    assert client.post("/doe-mee/contact", data=data).headers["Location"] == "/doe-mee/profiel"
    assert client.post("/doe-mee/profiel", data={"q_opleiding": "3"}).status_code == 302
    return client.post("/doe-mee/bevestigen", data={})


def test_full_join_creates_a_member_with_consent_and_profile(client, invitation):
    about = enter(client, invitation)
    page = client.get(about.headers["Location"]).get_data(as_text=True)
    for text in ("bevolkingsregister", "privacy@zennegem.be", "Taak van algemeen belang",
                 "Ik wil niet deelnemen", "Ik wil niet meer gecontacteerd worden"):
        assert text in page
    response = join_all_steps(client, invitation)
    assert response.headers["Location"] == "/doe-mee/klaar"
    member = db.session.scalar(sa.select(Member))
    assert member.invitation_id == invitation.id and member.stratum == \
        invitation.selection.stratum
    assert member.profile == {"opleiding": "3"} and member.email == "lid@example.org"
    assert member.consent_text_version == "nl-standaard" and member.consent_at is not None
    assert len(member.pseudonym) == 16 and member.resident_id == \
        invitation.selection.resident_id
    done = client.get("/doe-mee/klaar").get_data(as_text=True)
    assert "/doe-mee/lid/" in done
    db.session.expire_all()
    assert invitation.status == "joined"
    kinds = db.session.scalars(sa.select(InvitationEvent.kind)).all()
    assert "joined" in kinds


def test_consent_is_required_and_email_needs_an_address(client, invitation):
    enter(client, invitation)
    assert client.post("/doe-mee/toestemming", data={}).status_code == 422
    assert client.get("/doe-mee/contact").headers["Location"] == "/doe-mee/toestemming"
    client.post("/doe-mee/toestemming", data={"consent": "y"})
    response = client.post("/doe-mee/contact", data={"contact_preference": "email",
                                                      "language": "nl"})
    assert response.status_code == 422 and "e-mailadres" in response.get_data(as_text=True)
    bad = client.post("/doe-mee/contact", data={"contact_preference": "email",
                                                 "email": "geen-adres", "language": "nl"})
    assert bad.status_code == 422
    paper = client.post("/doe-mee/contact", data={"contact_preference": "paper",
                                                   "email": "x@example.org", "language": "fr"})
    assert paper.status_code == 302
    client.post("/doe-mee/profiel", data={})
    client.post("/doe-mee/bevestigen", data={})
    member = db.session.scalar(sa.select(Member))
    assert member.email is None and member.language == "fr" and member.profile == {}


@pytest.mark.parametrize("typed", ["2222-2222-22", "hallo", "", "OOOO-OOOO-OO"])
def test_unknown_codes_get_one_neutral_message(client, invitation, typed):
    response = client.post("/doe-mee/", data={"code": typed})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert UNKNOWN in text or "Typ de code" in text
    assert "gebruikt" not in text and "verlopen" not in text


def test_a_used_code_says_so_only_after_a_correct_code(client, invitation):
    join_all_steps(client, invitation)
    other = client.application.test_client()
    response = enter(other, invitation)
    page = other.get(response.headers["Location"]).get_data(as_text=True)
    assert "Deze code werd al gebruikt" in page
    assert other.post("/doe-mee/bevestigen", data={}).status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Member)) == 1


def test_expired_code_gets_a_clear_message(client, invitation):
    invitation.expires_on = date.today() - timedelta(days=1)
    db.session.commit()
    enter(client, invitation)
    assert "verlopen" in client.get("/doe-mee/uitleg").get_data(as_text=True)


def test_qr_token_is_swapped_for_a_session_and_a_clean_url(client, invitation):
    token = keys.invitation_secrets(invitation)[1]
    response = client.get(f"/doe-mee/t/{token}")
    assert response.status_code == 302 and response.headers["Location"] == "/doe-mee/uitleg"
    assert token not in response.headers["Location"]
    assert client.get("/doe-mee/uitleg").status_code == 200
    assert client.get("/doe-mee/t/niet-bestaand").status_code == 404


def test_declining_is_one_click_and_stops_reminders(client, invitation):
    enter(client, invitation)
    response = client.post("/doe-mee/niet-deelnemen")
    assert response.headers["Location"] == "/doe-mee/bedankt/declined"
    db.session.expire_all()
    assert invitation.status == "declined"
    assert db.session.scalar(sa.select(Suppression)) is None
    from app.invitations.mail import mailing
    from app.models import InvitationBatch

    invitation.email = "x@example.org"
    db.session.commit()
    batch = db.session.get(InvitationBatch, invitation.batch_id)
    assert invitation.id not in mailing.candidates(batch, "reminder")


def test_objection_adds_the_person_to_the_suppression_list(client, invitation):
    enter(client, invitation)
    assert client.post("/doe-mee/bezwaar").headers["Location"] == "/doe-mee/bedankt/objected"
    suppression = db.session.scalar(sa.select(Suppression))
    assert suppression.person_key == invitation.selection.resident.person_key
    again = client.application.test_client()
    enter(again, invitation)
    assert "niet meer gecontacteerd" in again.get("/doe-mee/uitleg").get_data(as_text=True)
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert "invitation_objection" in actions


def test_member_link_changes_preferences_and_leaves(client, invitation):
    join_all_steps(client, invitation)
    link = client.get("/doe-mee/klaar").get_data(as_text=True).split("/doe-mee/lid/")[1]
    token = link.split('"')[0]
    member_client = client.application.test_client()
    response = member_client.get(f"/doe-mee/lid/{token}")
    assert response.headers["Location"] == "/doe-mee/lid"
    saved = member_client.post("/doe-mee/lid", data={"contact_preference": "paper",
                                                      "language": "en"})
    assert saved.status_code == 302
    member = db.session.scalar(sa.select(Member))
    db.session.refresh(member)
    assert member.contact_preference == "paper" and member.email is None
    assert member.language == "en"
    member_client.post("/doe-mee/lid/verlaten")
    db.session.refresh(member)
    assert member.status == "left" and member.left_at is not None
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert {"member_preferences_changed", "member_left"} <= set(actions)
    assert client.application.test_client().get("/doe-mee/lid/fout").status_code == 404


class TestRateLimit:
    @pytest.fixture
    def app_config(self):
        return {**CONFIG, "RATELIMIT_ENABLED": True, "CODE_RATE_LIMIT": "3 per minute",
                "CODE_PER_CODE_RATE_LIMIT": "2 per minute"}

    def test_code_entry_is_limited_per_ip_with_a_dutch_page(self, client, invitation):
        for _ in range(5):
            assert client.get("/doe-mee/").status_code == 200
        statuses = [client.post("/doe-mee/", data={"code": f"2222-2222-{n}{n}"}).status_code
                    for n in range(2, 6)]
        assert statuses == [422, 422, 422, 429]
        response = client.post("/doe-mee/", data={"code": "3333-3333-33"})
        assert response.status_code == 429
        assert "Te veel pogingen" in response.get_data(as_text=True)
        assert client.get("/doe-mee/").status_code == 200  # showing the form is free
        other_ip = client.post("/doe-mee/", data={"code": "4444-4444-44"},
                               environ_base={"REMOTE_ADDR": "10.0.0.9"})
        assert other_ip.status_code == 422

    def test_the_same_code_is_limited_across_addresses(self, client, invitation):
        statuses = [client.post("/doe-mee/", data={"code": "5555-5555-55"},
                                environ_base={"REMOTE_ADDR": f"10.0.1.{n}"}).status_code
                    for n in range(3)]
        assert statuses == [422, 422, 429]


class TestCsrf:
    @pytest.fixture
    def app_config(self):
        return {**CONFIG, "WTF_CSRF_ENABLED": True}

    @pytest.mark.parametrize("path", ["/doe-mee/", "/doe-mee/toestemming", "/doe-mee/contact",
                                      "/doe-mee/profiel", "/doe-mee/bevestigen",
                                      "/doe-mee/niet-deelnemen", "/doe-mee/bezwaar",
                                      "/doe-mee/lid", "/doe-mee/lid/verlaten"])
    def test_join_posts_without_token_change_nothing(self, client, invitation, path):
        token = keys.invitation_secrets(invitation)[1]
        client.get(f"/doe-mee/t/{token}")
        response = client.post(path, data={"code": keys.invitation_secrets(invitation)[0],
                                           "consent": "y"})
        assert response.status_code in (302, 400, 422)
        db.session.expire_all()
        assert invitation.status == "created" and db.session.scalar(sa.select(Suppression)) \
            is None
        if path == "/doe-mee/":
            assert response.status_code == 400


def test_privacy_page_uses_the_saved_dutch_text_when_a_language_has_none(client, invitation):
    from app.invitations import texts
    from app.models import Panel

    panel = db.session.get(Panel, invitation.selection.draw.panel_id)
    values = texts.default_values()
    values["privacy"] = {**values["privacy"], "retention": "Tot eind 2027."}
    texts.save_template(panel, "nl", values, user_id=None)
    db.session.commit()
    client.post("/taal", data={"language": "fr"})
    enter(client, invitation)
    assert "Tot eind 2027." in client.get("/doe-mee/uitleg").get_data(as_text=True)
    client.post("/doe-mee/toestemming", data={"consent": "y"})
    client.post("/doe-mee/contact", data={"contact_preference": "paper", "language": "en"})
    with client.session_transaction() as session:
        assert session["language"] == "fr"  # the page language stays the visitor's choice


class TestLinkRateLimit:
    @pytest.fixture
    def app_config(self):
        return {**CONFIG, "RATELIMIT_ENABLED": True, "CODE_RATE_LIMIT": "100 per minute",
                "CODE_GLOBAL_RATE_LIMIT": "3 per minute"}

    def test_links_and_codes_share_a_global_cap(self, client, invitation):
        token = keys.invitation_secrets(invitation)[1]
        assert client.get(f"/doe-mee/t/{token}").status_code == 302
        assert client.post("/doe-mee/", data={"code": "6666-6666-66"}).status_code == 422
        assert client.get("/doe-mee/t/fout").status_code == 404
        elsewhere = {"REMOTE_ADDR": "10.9.9.9"}
        assert client.get(f"/doe-mee/t/{token}", environ_base=elsewhere).status_code == 429
        assert client.post("/doe-mee/", data={"code": "7777-7777-77"},
                           environ_base=elsewhere).status_code == 429
