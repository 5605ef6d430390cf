"""Surveys, questions, assignments, responses and answers."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import CreatedAt, enum_check

SURVEY_STATUSES = ("draft", "open", "closed")
QUESTION_TYPES = ("single", "multiple", "likert", "matrix", "number", "text", "date")
ASSIGNMENT_CHANNELS = ("web", "paper")
ASSIGNMENT_STATUSES = ("created", "sent", "started", "completed")
RESPONSE_MODES = ("web", "paper")
RESPONSE_STATUSES = ("partial", "complete")


class Survey(CreatedAt, db.Model):
    __tablename__ = "surveys"
    __table_args__ = (enum_check("status", SURVEY_STATUSES, "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int | None] = mapped_column(sa.ForeignKey("panels.id"), index=True)
    title: Mapped[dict] = mapped_column(sa.JSON)  # language -> text
    languages: Mapped[list] = mapped_column(sa.JSON, default=lambda: ["nl"])
    status: Mapped[str] = mapped_column(sa.String(10), default="draft")
    version: Mapped[int] = mapped_column(default=1)
    copied_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("surveys.id"))
    opens_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    closes_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    questions: Mapped[list["Question"]] = relationship(
        back_populates="survey", order_by="Question.position"
    )


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (
        sa.UniqueConstraint("survey_id", "code", "version"),
        enum_check("question_type", QUESTION_TYPES, "question_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(40))
    version: Mapped[int] = mapped_column(default=1)
    position: Mapped[int]
    section: Mapped[int] = mapped_column(default=1)
    question_type: Mapped[str] = mapped_column(sa.String(10))
    required: Mapped[bool] = mapped_column(default=False)
    texts: Mapped[dict] = mapped_column(sa.JSON)  # language -> text
    help_texts: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    options: Mapped[list] = mapped_column(sa.JSON, default=list)
    settings: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # range, max choices, items
    condition: Mapped[dict | None] = mapped_column(sa.JSON)

    survey: Mapped[Survey] = relationship(back_populates="questions")


class Assignment(CreatedAt, db.Model):
    __tablename__ = "assignments"
    __table_args__ = (
        sa.UniqueConstraint("survey_id", "member_id"),
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
    status: Mapped[str] = mapped_column(sa.String(10), default="created")
    started_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

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
    started_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    answers: Mapped[list["Answer"]] = relationship(back_populates="response")


class Answer(db.Model):
    __tablename__ = "answers"
    __table_args__ = (sa.UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("responses.id"), index=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id"), index=True)
    value: Mapped[dict | list | str | int | float | None] = mapped_column(sa.JSON)

    response: Mapped[Response] = relationship(back_populates="answers")
