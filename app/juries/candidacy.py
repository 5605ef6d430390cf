"""Jury invitations from the register and the public candidacy, on the invitation machinery.

The residents to invite are a stratified draw (purpose ``jury``, ``app.draws``), so the
invitation itself is reproducible and verifiable with ``flask draws verify``. Each gets an
``Invitation`` (no panel batch) whose code and link token come from ``app.invitations.keys``;
the letters are rendered by ``app.invitations.letters`` with the jury's text and Art. 14
notice. A resident who answers fills in the candidacy form and joins the jury's pool.
"""

from datetime import date

import sqlalchemy as sa
from flask import current_app

from app import audit
from app.draws import services as draws
from app.draws.frame import Exclusions
from app.extensions import db
from app.invitations import keys, texts
from app.invitations.letters import Recipient, render_letters
from app.invitations.letters.content import LetterContent, LetterTemplate, PrivacyNotice
from app.invitations.letters.envelopes import PROFILES
from app.invitations.services import add_events, is_suppressed
from app.juries.services import JuryError, add_candidate
from app.models import Invitation, Jury, JuryCandidate, Selection, utcnow

STRATA = ["age_band", "sex", "district"]
SUBJECT = "Word lid van {panel}"
BODY = """Beste {voornaam} {naam},

De stad stelt {panel} samen: een kleine groep inwoners die samen een advies voorbereidt. \
U werd toevallig gekozen uit het bevolkingsregister om u kandidaat te stellen.

Wie zich kandidaat stelt, komt in een pool. Uit die pool loten we de leden, zo dat de groep \
lijkt op alle inwoners. De loting is openbaar en iedereen kan ze nagaan.

Stel u kandidaat vóór {deadline}: ga naar {website} en typ uw code, of scan de QR-code."""
CLOSING = "Met vriendelijke groeten,"
REMINDER_SUBJECT = "Herinnering: word lid van {panel}"
REMINDER_BODY = "Beste {voornaam} {naam},\n\nU kunt zich nog kandidaat stellen tot {deadline}."


def privacy_notice(jury: Jury) -> PrivacyNotice:
    """The Art. 14 notice for candidates: the jury's study record where it has one."""
    base = texts.default_values()["privacy"]
    study = jury.study
    retention = ("Wie niet geloot wordt, wissen we uit de pool "
                 f"{study.unselected_retention_days if study else 90} dagen na de loting; "
                 "van de loting zelf blijven alleen pseudoniemen en kenmerken bewaard.")
    values = {**base, "purpose": (study.purpose if study else "") or
              f"De leden van {jury.name} samenstellen door loting uit de kandidaten.",
              "data_categories": "Naam, adres, leeftijdsgroep, geslacht en wijk uit het "
                                 "bevolkingsregister; wat u zelf invult (beschikbaarheid, "
                                 "kenmerken zoals opleiding).",
              "recipients": "Alleen de onderzoekers van de stad. Gemeenteraadsleden en het "
                            "publiek zien alleen pseudoniemen en totalen, nooit uw naam.",
              "retention": retention}
    if study is not None:
        values.update(controller=study.controller or base["controller"],
                      dpo_contact=study.dpo_contact or base["dpo_contact"],
                      legal_basis=study.legal_basis or base["legal_basis"])
    return PrivacyNotice(**values)


def invite_from_register(jury: Jury, *, n: int, minimum_age: int, seed: int | None,
                         deadline: date, user_id: int | None) -> list[Invitation]:
    """Draw ``n`` residents (stratified, purpose ``jury``) and give each an invitation."""
    if jury.invitation_draw_id is not None:
        raise JuryError("Voor deze jury zijn de uitnodigingen al getrokken.")
    draw = draws.run_draw(
        purpose="jury", strata=STRATA, n=n, method="proportional",
        seed=seed or draws.new_seed(), rules=Exclusions(minimum_age=minimum_age),
        one_per_household=jury.one_per_household, user_id=user_id, study_id=jury.study_id)
    jury.invitation_draw_id, jury.deadline = draw.id, deadline
    selections = db.session.scalars(sa.select(Selection.id).where(
        Selection.draw_id == draw.id, Selection.is_reserve.is_(False)).order_by(Selection.order))
    invitations = [Invitation(selection_id=selection_id, channel="letter", status="created",
                              code_hash=f"pending-jury-{draw.id}-{index}",
                              token_hash=f"pending-jury-{draw.id}-{index}", expires_on=deadline)
                   for index, selection_id in enumerate(selections)]
    db.session.add_all(invitations)
    db.session.flush()
    for invitation in invitations:
        keys.issue_invitation_secrets(invitation)
    db.session.flush()
    audit.record("jury_invitations_created", jury, details={"draw_id": draw.id,
                                                           "invitations": len(invitations)})
    return invitations


def invitations(jury: Jury) -> list[Invitation]:
    if jury.invitation_draw_id is None:
        return []
    return list(db.session.scalars(sa.select(Invitation).join(Selection).where(
        Selection.draw_id == jury.invitation_draw_id).order_by(Invitation.id)))


def _base_url() -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def letter_content(jury: Jury) -> LetterContent:
    contacts = texts.letter_contacts()
    template = LetterTemplate(subject=SUBJECT, body=BODY, closing=CLOSING,
                              reminder_subject=REMINDER_SUBJECT, reminder_body=REMINDER_BODY,
                              privacy=privacy_notice(jury))
    return LetterContent(
        panel_name=jury.name, sender_lines=contacts["sender"], letter_date=date.today(),
        deadline=jury.deadline or date.today(), templates={"nl": template},
        signature_lines=contacts["signature"], phone=contacts["phone"], email=contacts["email"])


def letters_pdf(jury: Jury) -> bytes:
    """One PDF with a letter per open letter invitation (same codes on every print).

    An invitee whose e-mail bounced gets a letter instead, and is a letter invitee from then on.
    """
    recipients, printed = [], []
    for invitation in invitations(jury):
        bounced = invitation.channel == "email" and invitation.status == "undeliverable"
        open_letter = invitation.channel == "letter" and invitation.status in ("created", "sent")
        if not (bounced or open_letter) or is_suppressed(invitation):
            continue
        invitation.channel = "letter"
        code, token = keys.invitation_secrets(invitation)
        resident = invitation.selection.resident
        recipients.append(Recipient(
            first_name=resident.first_name or "", last_name=resident.last_name or "",
            street=resident.street or "", house_number=resident.house_number or "",
            box=resident.box, postcode=resident.postcode or "",
            municipality=resident.municipality or "", code=code,
            link=f"{_base_url()}/kandidaat/t/{token}",
            short_url=f"{_base_url()}/kandidaat".split("://", 1)[-1]))
        printed.append(invitation)
    data = render_letters(recipients, letter_content(jury), PROFILES["DL_LEFT"])
    for invitation in printed:
        invitation.status, invitation.sent_at = "sent", invitation.sent_at or utcnow()
    add_events([invitation.id for invitation in printed], "jury_letter_printed")
    audit.record("jury_letters_printed", jury, details={"letters": len(printed)})
    return data


def jury_of(invitation: Invitation) -> Jury | None:
    """The jury an invitation belongs to (None for panel invitations)."""
    if invitation.batch_id is not None:
        return None
    return db.session.scalar(sa.select(Jury).where(
        Jury.invitation_draw_id == invitation.selection.draw_id))


def invitation_state(invitation: Invitation) -> str:
    """``open``, ``joined`` (already a candidate), ``expired`` or ``objected``."""
    if is_suppressed(invitation):
        return "objected"
    if invitation.status == "joined":
        return "joined"
    if invitation.status == "declined":
        return "declined"
    if invitation.expires_on and utcnow().date() > invitation.expires_on:
        return "expired"
    return "open"


def register(invitation: Invitation, *, availability: str, answers: dict) -> JuryCandidate:
    """The resident becomes a candidate; the caller commits."""
    jury = jury_of(invitation)
    if jury is None or invitation_state(invitation) != "open":
        raise JuryError("Deze uitnodiging kan niet meer gebruikt worden.")
    if jury.lotteries:
        raise JuryError("De loting voor deze jury is al gebeurd; kandidaat stellen kan niet "
                        "meer.")
    candidate = add_candidate(jury, invitation.selection.resident, source="invitation",
                              answers=answers, availability=availability,
                              invitation_id=invitation.id, consent_at=utcnow())
    invitation.status, invitation.answered_at = "joined", utcnow()
    add_events([invitation.id], "jury_candidate", details={"jury_id": jury.id})
    audit.record("jury_candidate_registered", candidate, details={"jury_id": jury.id,
                                                                  "source": "invitation"})
    return candidate

