"""Letter texts per panel and language: stored records, defaults from the config, validation."""

from dataclasses import asdict, fields
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.invitations.letters import content as content_module
from app.invitations.letters.content import (
    LetterContent,
    LetterTemplate,
    PrivacyNotice,
    check_template,
    validate_privacy_notice,
)
from app.models import LetterTemplateRecord, Panel, utcnow

TEXT_FIELDS = ("subject", "body", "closing", "reminder_subject", "reminder_body")
PRIVACY_FIELDS = tuple(item.name for item in fields(PrivacyNotice))


def default_values() -> dict:
    """Dutch default texts, with the controller and DPO from the environment."""
    config = current_app.config
    privacy = {
        "controller": config["CONTROLLER_NAME"], "dpo_contact": config["DPO_CONTACT"],
        "purpose": "Een inwonerspanel samenstellen dat de stad bevraagt over haar beleid.",
        "legal_basis": "Taak van algemeen belang (artikel 6.1.e AVG).",
        "data_categories": "Naam, adres, leeftijdsgroep, geslacht en wijk uit het "
                           "bevolkingsregister.",
        "recipients": "Alleen de onderzoekers van de stad. We geven uw gegevens aan niemand "
                      "anders.",
        "retention": "Doet u niet mee, dan wissen we uw naam en adres na de wervingsperiode.",
        "rights": "U mag uw gegevens inzien, laten verbeteren of laten wissen.",
        "objection": "Wilt u niet meedoen of niet meer gecontacteerd worden? Kies dat op de "
                     "website met uw code, of bel of mail ons: ons telefoonnummer en "
                     "e-mailadres staan bovenaan de brief.",
        "source": PrivacyNotice.source, "complaint": PrivacyNotice.complaint,
    }
    privacy.update(_study_notice())
    return {"subject": content_module.DEFAULT_SUBJECT_NL, "body": content_module.DEFAULT_BODY_NL,
            "closing": content_module.DEFAULT_CLOSING_NL,
            "reminder_subject": content_module.DEFAULT_REMINDER_SUBJECT_NL,
            "reminder_body": content_module.DEFAULT_REMINDER_BODY_NL, "privacy": privacy}


def _study_notice() -> dict[str, str]:
    """The latest study's controller, DPO, purpose and legal basis, where filled in."""
    from app.privacy.studies import latest_study, notice_overrides

    return {name: value for name, value in notice_overrides(latest_study()).items() if value}


def template_record(panel_id: int, language: str) -> LetterTemplateRecord | None:
    return db.session.scalar(sa.select(LetterTemplateRecord).where(
        LetterTemplateRecord.panel_id == panel_id, LetterTemplateRecord.language == language))


def template_values(panel_id: int, language: str) -> dict:
    """The stored texts of `language`, else the stored Dutch texts, else the defaults."""
    record = template_record(panel_id, language) or template_record(panel_id, "nl")
    if record is None:
        return default_values()
    return {**{name: getattr(record, name) for name in TEXT_FIELDS},
            "privacy": dict(record.privacy)}


def to_template(values: dict) -> LetterTemplate:
    privacy = PrivacyNotice(**{name: values["privacy"].get(name, "") for name in PRIVACY_FIELDS})
    return LetterTemplate(**{name: values[name] for name in TEXT_FIELDS}, privacy=privacy)


def validate(values: dict) -> None:
    """Raise LetterError (Dutch) for unknown placeholders or empty privacy fields."""
    template = to_template(values)
    for name in TEXT_FIELDS:
        check_template(getattr(template, name))
    validate_privacy_notice(template.privacy)


def save_template(panel: Panel, language: str, values: dict, *,
                  user_id: int | None) -> LetterTemplateRecord:
    """Validate and store the texts of one language (a new version each save)."""
    validate(values)
    record = template_record(panel.id, language)
    if record is None:
        record = LetterTemplateRecord(panel_id=panel.id, language=language, version=0)
        db.session.add(record)
    for name in TEXT_FIELDS:
        setattr(record, name, values[name])
    record.privacy = asdict(to_template(values).privacy)
    record.version, record.updated_at, record.updated_by_id = record.version + 1, utcnow(), user_id
    db.session.flush()
    return record


def consent_version(panel_id: int, language: str) -> str:
    """Which privacy text someone agreed to, e.g. ``nl-v3`` (``nl-standaard`` for defaults)."""
    record = template_record(panel_id, language) or template_record(panel_id, "nl")
    return f"{record.language}-v{record.version}" if record else "nl-standaard"


def letter_content(panel: Panel, *, deadline: date, letter_date: date) -> LetterContent:
    """Everything shared by one mailing of `panel` (templates of every stored language)."""
    config = current_app.config
    languages = {"nl", *db.session.scalars(sa.select(LetterTemplateRecord.language).where(
        LetterTemplateRecord.panel_id == panel.id))}
    templates = {language: to_template(template_values(panel.id, language))
                 for language in sorted(languages)}
    contacts = letter_contacts()
    logo_path = config.get("LETTER_LOGO_PATH")
    return LetterContent(
        panel_name=panel.name, sender_lines=contacts["sender"], letter_date=letter_date,
        deadline=deadline, templates=templates, signature_lines=contacts["signature"],
        phone=contacts["phone"], email=contacts["email"],
        logo=Path(logo_path).read_bytes() if logo_path else None)


def letter_contacts() -> dict:
    """Sender lines, phone, e-mail and signature lines printed on letters: the latest study's
    where filled in, else the settings (``LETTER_SENDER``, ``LETTER_PHONE``, …)."""
    from app.privacy.studies import latest_study

    config, study = current_app.config, latest_study()

    def pick(name: str) -> str:
        value = getattr(study, f"letter_{name}", "") if study is not None else ""
        return (value or "").strip() or config[f"LETTER_{name.upper()}"]

    return {"sender": _lines(pick("sender")), "phone": pick("phone").strip(),
            "email": pick("email").strip(), "signature": _lines(pick("signature"))}


def contact_rows() -> list[tuple[str, str]]:
    """(Dutch label, value) of sender, phone, e-mail and signature; "" when missing."""
    contacts = letter_contacts()
    return [("Afzender", ", ".join(contacts["sender"])), ("Telefoon", contacts["phone"]),
            ("E-mail", contacts["email"]), ("Ondertekening", ", ".join(contacts["signature"]))]


def _lines(value: str | None) -> tuple[str, ...]:
    parts = (value or "").replace("\r", "").replace("\n", "|").split("|")
    return tuple(line.strip() for line in parts if line.strip())
