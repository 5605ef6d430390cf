"""Studies: the decision, purpose and contacts that every import, draw and letter refers to."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from app import audit
from app.extensions import db
from app.models import Study

STUDY_FIELDS = ("name", "decision_body", "decision_date", "decision_reference", "purpose",
                "legal_basis", "controller", "dpo_contact", "unselected_retention_days",
                "contact_retention_days", "fieldwork_end", "letter_sender", "letter_phone",
                "letter_email", "letter_signature")
REQUIRED_TEXT = ("name", "decision_body", "decision_reference", "purpose", "legal_basis",
                 "controller", "dpo_contact")


class StudyError(ValueError):
    """A study cannot be saved; the message is Dutch and safe to show."""


@dataclass(frozen=True)
class StudyValues:
    name: str
    decision_body: str
    decision_date: date
    decision_reference: str
    purpose: str
    legal_basis: str
    controller: str
    dpo_contact: str
    unselected_retention_days: int = 90
    contact_retention_days: int = 180
    fieldwork_end: date | None = None
    letter_sender: str = ""
    letter_phone: str = ""
    letter_email: str = ""
    letter_signature: str = ""


def latest_study() -> Study | None:
    return db.session.scalar(sa.select(Study).order_by(Study.id.desc()).limit(1))


def all_studies() -> list[Study]:
    return list(db.session.scalars(sa.select(Study).order_by(Study.id.desc())))


def study_choices() -> list[tuple[int, str]]:
    """(id, label) pairs for a select, the newest first (the default)."""
    return [(study.id, f"{study.name} ({study.decision_reference})") for study in all_studies()]


def _check(values: StudyValues) -> None:
    empty = [name for name in REQUIRED_TEXT if not str(getattr(values, name)).strip()]
    if empty:
        raise StudyError("Vul alle verplichte velden van de studie in: " + ", ".join(empty) + ".")


def save_study(values: StudyValues, *, study: Study | None = None,
               user_id: int | None = None) -> Study:
    """Create or update a study; the caller commits."""
    _check(values)
    created = study is None
    if study is None:
        study = Study(created_by_id=user_id)
        db.session.add(study)
    for name in STUDY_FIELDS:
        value = getattr(values, name)
        if isinstance(value, str) or (value is None and name.startswith("letter_")):
            value = (value or "").strip()
        setattr(study, name, value)
    db.session.flush()
    audit.record("study_created" if created else "study_updated", study,
                 details={"reference": study.decision_reference})
    return study


def notice_overrides(study: Study | None) -> dict[str, str]:
    """The Art. 14 notice fields a study fixes (controller, DPO, purpose, legal basis)."""
    if study is None:
        return {}
    return {"controller": study.controller, "dpo_contact": study.dpo_contact,
            "purpose": study.purpose, "legal_basis": study.legal_basis_text,
            "retention": retention_sentence(study)}


def retention_sentence(study: Study) -> str:
    return (f"Wie niet getrokken wordt: naam en adres gewist na "
            f"{study.unselected_retention_days} dagen. Contactgegevens: gewist "
            f"{study.contact_retention_days} dagen na het einde van het veldwerk. "
            "Antwoorden bewaren we zonder naam.")
