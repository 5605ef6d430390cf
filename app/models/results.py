"""Weight sets and generated reports."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import CreatedAt, enum_check

WEIGHT_METHODS = ("none", "poststratify", "rake")
REPORT_KINDS = ("pdf", "slides", "pptx", "xlsx", "sav")


class WeightSet(CreatedAt, db.Model):
    """Weights for one survey's complete responses, with how they were made."""

    __tablename__ = "weight_sets"
    __table_args__ = (enum_check("method", WEIGHT_METHODS, "method"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id"), index=True)
    method: Mapped[str] = mapped_column(sa.String(20))
    variables: Mapped[list] = mapped_column(sa.JSON, default=list)  # margin / cell columns
    margins_import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("register_imports.id"))
    trim_lower: Mapped[float | None]
    trim_upper: Mapped[float | None]
    propensity: Mapped[bool] = mapped_column(default=False)
    weights: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # respondent pseudonym -> w
    # pseudonym -> the weight calibration started from (design x propensity factor); the
    # standard errors' calibration linearisation needs it. None (older sets): design weights.
    base_weights: Mapped[dict | None] = mapped_column(sa.JSON)
    diagnostics: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    is_current: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


class Report(CreatedAt, db.Model):
    """A generated artifact and the parameters that made it; councillors see published ones."""

    __tablename__ = "reports"
    __table_args__ = (enum_check("kind", REPORT_KINDS, "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id"), index=True)
    weight_set_id: Mapped[int | None] = mapped_column(sa.ForeignKey("weight_sets.id"))
    kind: Mapped[str] = mapped_column(sa.String(10))
    title: Mapped[str] = mapped_column(sa.String(300))
    parameters: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    summary: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # charts data for the dashboard
    content: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    job_id: Mapped[int | None] = mapped_column(sa.ForeignKey("jobs.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    weight_set: Mapped[WeightSet | None] = relationship()
