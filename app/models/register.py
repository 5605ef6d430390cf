"""The sampling frame: register imports, residents, margins and the objection list."""

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import CreatedAt, enum_check

if TYPE_CHECKING:
    from app.models.user import User

IMPORT_STATUSES = ("preview", "committed", "rejected", "failed", "cancelled")
SEXES = ("M", "F", "U")


class RegisterImport(CreatedAt, db.Model):
    __tablename__ = "register_imports"
    __table_args__ = (enum_check("status", IMPORT_STATUSES, "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    file_sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    reference_date: Mapped[date]
    legal_basis: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(20), default="preview")
    total_rows: Mapped[int] = mapped_column(default=0)
    valid_rows: Mapped[int] = mapped_column(default=0)
    error_rows: Mapped[int] = mapped_column(default=0)
    warning_count: Mapped[int] = mapped_column(default=0)
    new_count: Mapped[int] = mapped_column(default=0)
    updated_count: Mapped[int] = mapped_column(default=0)
    moved_count: Mapped[int] = mapped_column(default=0)
    left_count: Mapped[int] = mapped_column(default=0)
    problems: Mapped[list] = mapped_column(sa.JSON, default=list)  # row-level, numbers masked
    max_error_share: Mapped[float] = mapped_column(default=0.05)
    minimum_age: Mapped[int] = mapped_column(default=16)
    unchanged_count: Mapped[int] = mapped_column(default=0)
    preview_rows: Mapped[list] = mapped_column(sa.JSON, default=list)  # dropped at commit/cancel
    headers: Mapped[list] = mapped_column(sa.JSON, default=list)  # the file's own headers
    job_id: Mapped[int | None] = mapped_column(sa.ForeignKey("jobs.id"))
    rejoined_count: Mapped[int] = mapped_column(default=0)
    column_mapping: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    message: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    committed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # [street, postcode or None, district] rows of the city's street -> district table
    street_districts: Mapped[list] = mapped_column(sa.JSON, default=list)
    study_id: Mapped[int | None] = mapped_column(sa.ForeignKey("studies.id"), index=True)

    created_by: Mapped["User | None"] = relationship(foreign_keys=[created_by_id])  # noqa: UP037


class Resident(db.Model):
    __tablename__ = "residents"
    __table_args__ = (
        enum_check("sex", SEXES, "sex"),
        sa.Index("ix_residents_frame_strata", "in_frame", "district", "sex"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_key: Mapped[str] = mapped_column(sa.String(64), unique=True)  # HMAC of national number
    last_name: Mapped[str | None] = mapped_column(sa.String(200))
    first_name: Mapped[str | None] = mapped_column(sa.String(200))
    sex: Mapped[str] = mapped_column(sa.String(1))
    birth_date: Mapped[date | None]
    street: Mapped[str | None] = mapped_column(sa.String(200))
    house_number: Mapped[str | None] = mapped_column(sa.String(20))
    box: Mapped[str | None] = mapped_column(sa.String(20))
    postcode: Mapped[str | None] = mapped_column(sa.String(4))
    municipality: Mapped[str | None] = mapped_column(sa.String(100))
    district: Mapped[str] = mapped_column(sa.String(100))
    age_band: Mapped[str] = mapped_column(sa.String(10))  # at the last import's reference date
    nationality: Mapped[str | None] = mapped_column(sa.String(100))
    nationality_group: Mapped[str] = mapped_column(sa.String(10))
    household_id: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    household_size: Mapped[int] = mapped_column(default=1)
    in_frame: Mapped[bool] = mapped_column(default=True)
    left_frame_on: Mapped[date | None]
    erased_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    restricted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    first_import_id: Mapped[int] = mapped_column(sa.ForeignKey("register_imports.id"))
    last_import_id: Mapped[int] = mapped_column(sa.ForeignKey("register_imports.id"), index=True)

    first_import: Mapped[RegisterImport] = relationship(foreign_keys=[first_import_id])


class Margin(db.Model):
    """Population count of one cell at an import's reference date (kept after purges)."""

    __tablename__ = "margins"
    __table_args__ = (
        sa.UniqueConstraint("import_id", "age_band", "sex", "district", "nationality_group"),
        sa.CheckConstraint("count >= 0", name="count_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(sa.ForeignKey("register_imports.id"), index=True)
    age_band: Mapped[str] = mapped_column(sa.String(10))
    sex: Mapped[str] = mapped_column(sa.String(1))
    district: Mapped[str] = mapped_column(sa.String(100))
    nationality_group: Mapped[str] = mapped_column(sa.String(10))
    count: Mapped[int]


class Suppression(CreatedAt, db.Model):
    """Art. 21 objection: never draw or contact this person again (keyed hash only)."""

    __tablename__ = "suppressions"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    reason: Mapped[str] = mapped_column(sa.String(200))
