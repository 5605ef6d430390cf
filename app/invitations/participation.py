"""Panel upkeep: how often each member answered the panel's closed surveys.

Members who stopped answering still count as active, so the panel can look balanced while the
people who actually answer are not. Three closed surveys in a row without a complete answer
marks a member as *no longer answering*: the panel page says how many, and the member list can
show just them, so staff can ask them whether they want to stay (or pause them).
"""

from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db
from app.models import Assignment, Member, Survey

SILENT_AFTER = 3  # closed surveys in a row without a complete answer


@dataclass(frozen=True)
class Participation:
    asked: int  # closed surveys the member was assigned
    answered: int
    missed_in_a_row: int  # most recent closed surveys without a complete answer

    @property
    def silent(self) -> bool:
        return self.missed_in_a_row >= SILENT_AFTER


def participation(panel_id: int) -> dict[int, Participation]:
    """Per member id of the panel: closed surveys asked, answered, and missed most recently."""
    rows = db.session.execute(
        sa.select(Assignment.member_id, Assignment.status)
        .join(Survey, Survey.id == Assignment.survey_id)
        .join(Member, Member.id == Assignment.member_id)
        .where(Member.panel_id == panel_id, Survey.status == "closed")
        .order_by(Assignment.member_id, sa.func.coalesce(Survey.opens_at, Survey.created_at),
                  Survey.id)).all()
    history: dict[int, list[bool]] = {}
    for member_id, status in rows:
        history.setdefault(member_id, []).append(status == "completed")
    return {member_id: _summary(answers) for member_id, answers in history.items()}


def _summary(answers: list[bool]) -> Participation:
    missed = 0
    for answered in reversed(answers):
        if answered:
            break
        missed += 1
    return Participation(len(answers), sum(answers), missed)


def silent_active_members(panel_id: int, stats: dict[int, Participation] | None = None) -> int:
    """Active members who left the last ``SILENT_AFTER`` closed surveys unanswered."""
    stats = participation(panel_id) if stats is None else stats
    active = set(db.session.scalars(sa.select(Member.id).where(
        Member.panel_id == panel_id, Member.status == "active")))
    return sum(1 for member_id, item in stats.items() if item.silent and member_id in active)
