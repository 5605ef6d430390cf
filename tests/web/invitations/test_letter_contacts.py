"""Letters can be answered: no letter without sender, phone, e-mail and signature, and the
letter prints the phone and e-mail where it says "bel ons" and "mail ons"."""

import io
import re

import pdfplumber
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.invitations import texts
from app.models import LetterRun
from app.privacy import studies
from tests.web.invitations.test_invitations import make_batch
from tests.web.privacy.test_privacy_study import STUDY

CONTACTS = {"letter_sender": "Stad Zennegem\nDienst Participatie\nMarkt 1, 1500 Zennegem",
            "letter_phone": "02 365 12 34", "letter_email": "stadspanel@zennegem.be",
            "letter_signature": "An Peeters\nDiensthoofd Participatie"}


@pytest.fixture
def app_config():
    return {"CONTROLLER_NAME": "Stad Zennegem", "DPO_CONTACT": "privacy@zennegem.be",
            "PUBLIC_BASE_URL": "https://panel.zennegem.be"}


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _runs() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(LetterRun))


def test_letters_are_refused_in_dutch_until_every_contact_is_set(client, login_as):
    studies.save_study(studies.StudyValues(**{**STUDY, "letter_sender": "Stad Zennegem"}))
    db.session.commit()
    batch = make_batch(n=3)
    login_as("researcher")
    response = client.post(f"/uitnodigingen/reeks/{batch.id}/brieven", data={})
    page = _flat(response.get_data(as_text=True))
    assert response.status_code == 422
    assert ("vul eerst het telefoonnummer, het e-mailadres en de ondertekening in" in page)
    assert _runs() == 0
    # the batch page says what is missing before anyone presses the button
    page = _flat(client.get(f"/uitnodigingen/reeks/{batch.id}").get_data(as_text=True))
    assert "Afzender en contact op de brieven" in page and page.count("ontbreekt") >= 3


def test_a_complete_study_prints_sender_phone_email_and_signature(client, login_as):
    studies.save_study(studies.StudyValues(**{**STUDY, **CONTACTS}))
    db.session.commit()
    batch = make_batch(n=3)
    login_as("researcher")
    response = client.post(f"/uitnodigingen/reeks/{batch.id}/brieven", data={})
    assert response.status_code == 302, response.get_data(as_text=True)[:600]
    run = db.session.scalar(sa.select(LetterRun))
    letters = _flat(_text(run.pdf))
    for line in ("Stad Zennegem", "Dienst Participatie", "Tel. 02 365 12 34",
                 "E-mail stadspanel@zennegem.be", "An Peeters", "Diensthoofd Participatie"):
        assert letters.count(line) >= 3, line  # on each of the three letters
    assert "Bel ons op 02 365 12 34" in letters
    assert "mail ons op stadspanel@zennegem.be" in letters
    assert not re.search(r"[Bb]el ons\.|mail ons gerust", letters)


def test_the_settings_are_used_when_the_study_leaves_them_empty(app):
    app.config.update(LETTER_SENDER="Stad Halle|Grote Markt 1", LETTER_PHONE="02 111 22 33",
                      LETTER_EMAIL="panel@halle.be", LETTER_SIGNATURE="De burgemeester")
    studies.save_study(studies.StudyValues(**{**STUDY, "letter_phone": "02 999 88 77"}))
    contacts = texts.letter_contacts()
    assert contacts == {"sender": ("Stad Halle", "Grote Markt 1"), "phone": "02 999 88 77",
                        "email": "panel@halle.be", "signature": ("De burgemeester",)}


def test_the_calibration_sheet_shows_what_the_letters_will_print(client, login_as):
    studies.save_study(studies.StudyValues(**{**STUDY, **CONTACTS, "letter_email": ""}))
    db.session.commit()
    login_as("researcher")
    sheet = _flat(_text(client.get("/uitnodigingen/kalibratie/DL_LEFT.pdf").data))
    assert "Afzender en contact op de brieven" in sheet
    assert "Telefoon: 02 365 12 34" in sheet and "Ondertekening: An Peeters" in sheet
    assert "E-mail: ONTBREEKT" in sheet
    page = _flat(client.get("/uitnodigingen/").get_data(as_text=True))
    assert "02 365 12 34" in page and "ontbreekt" in page


def test_the_demo_study_fills_every_letter_contact(app):
    from app.demo.loader import _study

    _study()
    contacts = texts.letter_contacts()
    assert contacts["sender"] and contacts["phone"] and contacts["email"]
    assert contacts["signature"]


def test_invitation_e_mails_are_refused_too_until_the_contacts_are_set(client, login_as):
    from app.models import Job

    studies.save_study(studies.StudyValues(**{**STUDY, **CONTACTS, "letter_phone": ""}))
    db.session.commit()
    batch = make_batch(n=3)
    login_as("researcher")
    response = client.post(f"/uitnodigingen/reeks/{batch.id}/mail", data={"step": "invite"})
    assert response.status_code == 422
    assert "vul eerst het telefoonnummer in" in _flat(response.get_data(as_text=True))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job).where(
        Job.kind == "mail.send")) == 0
