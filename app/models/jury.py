"""Juries and mini-publics: the pool of candidates, quotas and the two-phase lotteries."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.extensions import db
from app.models.base import CreatedAt, enum_check

CANDIDATE_SOURCES = ("panel", "invitation", "upload")
CANDIDATE_STATUSES = ("pool", "selected", "withdrawn")
LOTTERY_KINDS = ("main", "replacement")
REGISTER_FEATURES = ("age_band", "sex", "district")


class Jury(CreatedAt, db.Model):
    """A jury, citizens' budget panel or advisory council drawn by lot from a pool."""

    __tablename__ = "juries"
    __table_args__ = (sa.CheckConstraint("panel_size >= 1", name="panel_size_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    panel_size: Mapped[int]
    study_id: Mapped[int | None] = mapped_column(sa.ForeignKey("studies.id"), index=True)
    one_per_household: Mapped[bool] = mapped_column(default=False)
    # [{"key": "opleiding", "label": "Opleiding", "options": ["Lager", ...]}, ...]
    self_features: Mapped[list] = mapped_column(sa.JSON, default=list)
    register_features: Mapped[list] = mapped_column(sa.JSON, default=list)
    quotas: Mapped[list] = mapped_column(sa.JSON, default=list)  # [{feature, value, min, max}]
    invitation_draw_id: Mapped[int | None] = mapped_column(sa.ForeignKey("draws.id"))
    deadline: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    study = relationship("Study")
    invitation_draw = relationship("Draw")
    candidates: Mapped[list["JuryCandidate"]] = relationship(
        back_populates="jury", order_by="JuryCandidate.pseudonym")
    lotteries: Mapped[list["JuryLottery"]] = relationship(
        back_populates="jury", order_by="JuryLottery.id")

    @property
    def features(self) -> list[str]:
        return [*self.register_features, *(item["key"] for item in self.self_features)]


class JuryCandidate(CreatedAt, db.Model):
    """One person in a jury's pool; lotteries and public pages only know the pseudonym."""

    __tablename__ = "jury_candidates"
    __table_args__ = (
        sa.UniqueConstraint("jury_id", "pseudonym"),
        sa.UniqueConstraint("jury_id", "resident_id"),
        enum_check("source", CANDIDATE_SOURCES, "source"),
        enum_check("status", CANDIDATE_STATUSES, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    jury_id: Mapped[int] = mapped_column(sa.ForeignKey("juries.id"), index=True)
    pseudonym: Mapped[str] = mapped_column(sa.String(16))
    source: Mapped[str] = mapped_column(sa.String(12))
    resident_id: Mapped[int | None] = mapped_column(sa.ForeignKey("residents.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id"))
    invitation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("invitations.id"),
                                                      unique=True)
    household_id: Mapped[str | None] = mapped_column(sa.String(40))
    features: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    availability: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(10), default="pool")
    consent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    erased_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    jury: Mapped[Jury] = relationship(back_populates="candidates")
    resident = relationship("Resident")


class JuryLottery(CreatedAt, db.Model):
    """One two-phase lottery: phase 1 publishes the portfolio, phase 2 applies the seed.

    Everything needed to replay it is stored: the pool snapshot (pseudonyms and features in
    the canonical text that ``pool_hash`` covers), the jury's quotas and panel size, who was
    fixed and who excluded (replacements), the portfolio and the seed.
    """

    __tablename__ = "jury_lotteries"
    __table_args__ = (
        enum_check("kind", LOTTERY_KINDS, "kind"),
        sa.CheckConstraint("portfolio_size >= 1", name="portfolio_size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    jury_id: Mapped[int] = mapped_column(sa.ForeignKey("juries.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(12), default="main")
    panel_size: Mapped[int]
    seats: Mapped[int]
    algorithm: Mapped[str] = mapped_column(sa.String(60))
    software_version: Mapped[str] = mapped_column(sa.String(40))
    features: Mapped[list] = mapped_column(sa.JSON, default=list)
    quotas: Mapped[list] = mapped_column(sa.JSON, default=list)
    fixed: Mapped[list] = mapped_column(sa.JSON, default=list)
    excluded: Mapped[list] = mapped_column(sa.JSON, default=list)
    pool_snapshot: Mapped[bytes] = deferred(mapped_column(sa.LargeBinary))
    pool_hash: Mapped[str] = mapped_column(sa.String(64))
    portfolio_size: Mapped[int]
    portfolio_text: Mapped[bytes] = deferred(mapped_column(sa.LargeBinary))
    portfolio_hash: Mapped[str] = mapped_column(sa.String(64))
    probabilities: Mapped[list] = mapped_column(sa.JSON, default=list)  # [[id, before, after]]
    maximin_bound: Mapped[float]
    seed: Mapped[int | None] = mapped_column(sa.BigInteger)
    chosen_number: Mapped[int | None]
    chosen: Mapped[list] = mapped_column(sa.JSON, default=list)
    drawn_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    drawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    jury: Mapped[Jury] = relationship(back_populates="lotteries")

    @property
    def drawn(self) -> bool:
        return self.seed is not None
