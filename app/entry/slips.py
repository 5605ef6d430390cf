"""The reply slip of a recruitment letter as a small form definition, and applying a final slip.

The slip is keyed with the same engine as a questionnaire (two passes, differences resolved by a
researcher); a final slip goes through the same join services as the single-entry staff form.
"""

import re
from datetime import UTC, datetime
from functools import cache
from typing import Any

from app.entry.errors import EntryError
from app.invitations import joining, texts
from app.invitations.services import InvitationError
from app.models import Invitation, User
from app.surveys.definition import SurveyDefinition, load_definition

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _single(code: str, text: str, options: list[tuple[str, str]], condition=None) -> dict:
    return {"code": code, "type": "single", "text": {"nl": text}, "condition": condition,
            "options": [{"value": value, "label": {"nl": label}} for value, label in options]}


def _joins(values: list[str]) -> dict:
    return {"question": "reply", "operator": "in", "values": values}


SLIP_DOCUMENT = {
    "format": "stadspanel-survey", "version": 1, "title": {"nl": "Antwoordstrook"},
    "languages": ["nl"],
    "sections": [{"code": "slip", "title": {"nl": "Antwoordstrook"}, "questions": [
        _single("reply", "Antwoord", [("join", "Ik doe mee"), ("decline", "Ik doe niet mee"),
                                      ("object", "Ik wil niet meer gecontacteerd worden")]),
        _single("consent", "Toestemming ondertekend", [("yes", "ja"), ("no", "nee")],
                _joins(["join"])),
        _single("contact", "Contact", [("email", "per e-mail"), ("paper", "op papier")],
                _joins(["join"])),
        {"code": "email", "type": "text", "text": {"nl": "E-mailadres"},
         "settings": {"max_length": 254},
         "condition": {"question": "contact", "operator": "in", "values": ["email"]}},
        _single("language", "Taal", [("nl", "Nederlands"), ("fr", "Français"),
                                     ("en", "English")], _joins(["join"])),
    ]}],
}


@cache
def slip_definition() -> SurveyDefinition:
    return load_definition(SLIP_DOCUMENT)


def apply_slip(invitation: Invitation, answers: dict[str, Any], *, actor: User) -> str:
    """Record the keyed reply through the join services; returns the reply; caller commits."""
    reply = answers.get("reply")
    try:
        if reply == "decline":
            joining.decline(invitation, source="paper", actor=actor)
        elif reply == "object":
            joining.object_to_contact(invitation, source="paper", actor=actor)
        elif reply == "join":
            joining.join(invitation, _choices(invitation, answers), source="paper", actor=actor)
        else:
            raise EntryError("Op de strook staat geen antwoord: los dit op tegen het papier.")
    except InvitationError as error:
        raise EntryError(str(error)) from None
    return reply


def _choices(invitation: Invitation, answers: dict[str, Any]) -> joining.JoinChoices:
    if answers.get("consent") != "yes" or answers.get("contact") not in ("email", "paper"):
        raise EntryError("Wie meedoet, tekent voor toestemming en kiest e-mail of papier.")
    email = answers.get("email")
    if answers["contact"] == "email" and not (email and _EMAIL.match(email)):
        raise EntryError("Het e-mailadres op de strook is geen geldig adres.")
    language = answers.get("language") or "nl"
    return joining.JoinChoices(
        consent_version="papier-" + texts.consent_version(joining.panel_id_of(invitation),
                                                         language),
        consent_at=datetime.now(UTC), contact_preference=answers["contact"],
        language=language, email=email if answers["contact"] == "email" else None)
