"""Surveys, their definition versions, assignments, responses and answers.

A survey's questions live in its definition (the ``stadspanel-survey`` JSON format, see
``docs/survey-schema.md``), stored per version on :class:`SurveyVersion`. Once a version has
responses it is frozen: editing makes a new version, and every response keeps the version number
it was answered on.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import CreatedAt, enum_check, utcnow

SURVEY_STATUSES = ("draft", "open", "closed")
ASSIGNMENT_CHANNELS = ("web", "paper")
ASSIGNMENT_STATUSES = ("created", "sent", "started", "completed")
RESPONSE_MODES = ("web", "paper")
RESPONSE_STATUSES = ("partial", "complete")


class SurveyStateError(ValueError):
    """A survey cannot make the requested state change (message in Dutch)."""


class Survey(CreatedAt, db.Model):
    __tablename__ = "surveys"
    __table_args__ = (enum_check("status", SURVEY_STATUSES, "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int | None] = mapped_column(sa.ForeignKey("panels.id"), index=True)
    title: Mapped[dict] = mapped_column(sa.JSON)  # language -> text (copy of the definition's)
    languages: Mapped[list] = mapped_column(sa.JSON, default=lambda: ["nl"])
    status: Mapped[str] = mapped_column(sa.String(10), default="draft")
    version: Mapped[int] = mapped_column(default=1)  # the current SurveyVersion.number
    copied_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("surveys.id"))
    opens_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    closes_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # the register import its population came from: its margins weight it, unless the
    # researcher explicitly chooses a newer register (set at the first assignment)
    register_import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("register_imports.id"))

    versions: Mapped[list["SurveyVersion"]] = relationship(
        back_populates="survey", order_by="SurveyVersion.number"
    )

    def open(self) -> None:
        """Open for answers; the first opening is the start of fieldwork (``opens_at``).

        Reopening a closed survey keeps that start and clears the closing moment.
        """
        if self.status == "open":
            raise SurveyStateError("De bevraging is al open.")
        self.status = "open"
        self.opens_at = self.opens_at or utcnow()
        self.closes_at = None

    def close(self) -> None:
        """Close for answers: the end of fieldwork (``closes_at``), stated in reports."""
        if self.status != "open":
            raise SurveyStateError("Alleen een open bevraging kan gesloten worden.")
        self.status = "closed"
        self.closes_at = utcnow()


class SurveyVersion(CreatedAt, db.Model):
    """One version of a survey's definition (validated JSON, as ``dump_definition`` wrote it)."""

    __tablename__ = "survey_versions"
    __table_args__ = (sa.UniqueConstraint("survey_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id"), index=True)
    number: Mapped[int]
    definition: Mapped[dict] = mapped_column(sa.JSON)
    definition_hash: Mapped[str] = mapped_column(sa.String(64))  # sha256 of the JSON text
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    survey: Mapped[Survey] = relationship(back_populates="versions")


class Assignment(CreatedAt, db.Model):
    __tablename__ = "assignments"
    __table_args__ = (
        sa.UniqueConstraint("survey_id", "member_id"),
        sa.UniqueConstraint("survey_id", "selection_id"),
        enum_check("channel", ASSIGNMENT_CHANNELS, "channel"),
        enum_check("status", ASSIGNMENT_STATUSES, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id"))
    selection_id: Mapped[int | None] = mapped_column(sa.ForeignKey("selections.id"))
    pseudonym: Mapped[str] = mapped_column(sa.String(32), unique=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    channel: Mapped[str] = mapped_column(sa.String(10))
    language: Mapped[str] = mapped_column(sa.String(2), default="nl")
    status: Mapped[str] = mapped_column(sa.String(10), default="created")
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    secret_nonce: Mapped[str | None] = mapped_column(sa.String(32))  # derives the mailed link
    undeliverable_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # register data of the person when assigned (the survey's register import), so a later
    # import (moves, birthdays) never changes the cells an earlier survey is weighted in
    age_band: Mapped[str | None] = mapped_column(sa.String(10))
    sex: Mapped[str | None] = mapped_column(sa.String(1))
    district: Mapped[str | None] = mapped_column(sa.String(100))
    nationality_group: Mapped[str | None] = mapped_column(sa.String(10))
    household_size: Mapped[int | None]

    survey: Mapped[Survey] = relationship()


class Response(db.Model):
    """One questionnaire per assignment: the database refuses a second (NOT NULL + UNIQUE)."""

    __tablename__ = "responses"
    __table_args__ = (
        enum_check("mode", RESPONSE_MODES, "mode"),
        enum_check("status", RESPONSE_STATUSES, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assignments.id"), unique=True, nullable=False
    )
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id"), index=True)
    survey_version: Mapped[int] = mapped_column(default=1)
    mode: Mapped[str] = mapped_column(sa.String(10))
    status: Mapped[str] = mapped_column(sa.String(10), default="partial")
    language: Mapped[str] = mapped_column(sa.String(2), default="nl")
    current_section: Mapped[str | None] = mapped_column(sa.String(40))  # where to resume
    started_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    answers: Mapped[list["Answer"]] = relationship(back_populates="response")


class Answer(db.Model):
    """One question's answer, keyed by the question code of the response's survey version."""

    __tablename__ = "answers"
    __table_args__ = (sa.UniqueConstraint("response_id", "question_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("responses.id"), index=True)
    question_code: Mapped[str] = mapped_column(sa.String(40))
    value: Mapped[dict | list | str | int | float | None] = mapped_column(sa.JSON)

    response: Mapped[Response] = relationship(back_populates="answers")
