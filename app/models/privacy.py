"""Studies (purpose and legal basis), data-subject requests and survey anonymisations."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import CreatedAt, enum_check, utcnow

REQUEST_KINDS = ("access", "erasure", "restriction", "objection")
REQUEST_STATUSES = ("open", "done", "refused")
DEFAULT_LEGAL_BASIS = "Taak van algemeen belang (artikel 6.1.e AVG)"


class Study(CreatedAt, db.Model):
    """One study: the decision that fixes its purpose, who is responsible, how long data stays."""

    __tablename__ = "studies"
    __table_args__ = (
        sa.CheckConstraint("unselected_retention_days >= 0", name="unselected_nonnegative"),
        sa.CheckConstraint("contact_retention_days >= 0", name="contact_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    decision_body: Mapped[str] = mapped_column(sa.String(200))  # e.g. "College van burgemeester"
    decision_date: Mapped[date]
    decision_reference: Mapped[str] = mapped_column(sa.String(200))
    purpose: Mapped[str] = mapped_column(sa.Text)
    legal_basis: Mapped[str] = mapped_column(sa.Text, default=DEFAULT_LEGAL_BASIS)
    controller: Mapped[str] = mapped_column(sa.Text)
    dpo_contact: Mapped[str] = mapped_column(sa.Text)
    unselected_retention_days: Mapped[int] = mapped_column(default=90)
    contact_retention_days: Mapped[int] = mapped_column(default=180)
    fieldwork_end: Mapped[date | None]
    # printed on every letter: sender block, where "bel ons" / "mail ons" lead, signature
    letter_sender: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    letter_phone: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    letter_email: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    letter_signature: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    @property
    def decision_text(self) -> str:
        """E.g. ``College van burgemeester en schepenen, 12/01/2026, 2026/045``."""
        return (f"{self.decision_body}, {self.decision_date:%d/%m/%Y}, "
                f"{self.decision_reference}")

    @property
    def legal_basis_text(self) -> str:
        return f"{self.legal_basis}; besluit: {self.decision_text}"


class DataSubjectRequest(CreatedAt, db.Model):
    """A request under Art. 15-21 GDPR, answered within one month; every step is logged."""

    __tablename__ = "data_subject_requests"
    __table_args__ = (
        enum_check("kind", REQUEST_KINDS, "kind"),
        enum_check("status", REQUEST_STATUSES, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    received_on: Mapped[date]
    due_on: Mapped[date]
    status: Mapped[str] = mapped_column(sa.String(10), default="open")
    resident_id: Mapped[int | None] = mapped_column(sa.ForeignKey("residents.id"), index=True)
    note: Mapped[str] = mapped_column(sa.Text, default="")  # how it came in; no national numbers
    log: Mapped[list] = mapped_column(sa.JSON, default=list)  # [{at, action, by}]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    handled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    def is_overdue(self, today: date) -> bool:
        return self.status == "open" and self.due_on < today

    def add_log(self, action: str, by: str) -> None:
        self.log = [*(self.log or []), {"at": utcnow().isoformat(timespec="seconds"),
                                "action": action, "by": by}]


class SurveyAnonymisation(db.Model):
    """Marks a survey whose answers were cut loose from the people who gave them."""

    __tablename__ = "survey_anonymisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id"), unique=True)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    assignments: Mapped[int] = mapped_column(default=0)
