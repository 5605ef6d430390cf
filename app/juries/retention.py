"""Retention of a jury's pool, per its study record.

After a jury's last lottery, candidates who were not selected (still in the pool, or who
withdrew) keep their links to the register, the panel and their invitation for the study's
``unselected_retention_days`` (90 without a study); then the links, the household and the
availability note are removed. The pseudonym and the features stay: they are what the
public lottery page and ``flask juries verify`` need, and alone they identify no one.
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app import audit
from app.extensions import db
from app.models import Jury, JuryCandidate, utcnow

DEFAULT_DAYS = 90


def _due(jury: Jury, now: datetime) -> bool:
    drawn = [lottery.drawn_at if lottery.drawn_at.tzinfo else lottery.drawn_at.replace(tzinfo=UTC)
             for lottery in jury.lotteries if lottery.drawn_at is not None]
    if not drawn:
        return False
    days = jury.study.unselected_retention_days if jury.study else DEFAULT_DAYS
    return max(drawn) + timedelta(days=days) <= now


def _expired(now: datetime):
    due = [jury.id for jury in db.session.scalars(sa.select(Jury)) if _due(jury, now)]
    return sa.select(JuryCandidate.id).where(
        JuryCandidate.jury_id.in_(due), JuryCandidate.status.in_(["pool", "withdrawn"]),
        JuryCandidate.erased_at.is_(None))


def plan(*, now: datetime | None = None) -> int:
    now = now or utcnow()
    query = _expired(now if now.tzinfo else now.replace(tzinfo=UTC))
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0


def purge(*, now: datetime | None = None) -> int:
    """Unlink the candidates whose time is up, in the caller's transaction; return how many."""
    now = now or utcnow()
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    ids = list(db.session.scalars(_expired(now)))
    if ids:
        db.session.execute(sa.update(JuryCandidate).where(JuryCandidate.id.in_(ids)).values(
            resident_id=None, member_id=None, invitation_id=None, household_id=None,
            availability="", erased_at=now))
    audit.record("jury_pool_purged", object_type="Retention", details={"candidates": len(ids)})
    return len(ids)
