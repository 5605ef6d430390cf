"""Design weights of panel members: the chance to have been invited into the panel at all.

A panel is built by a recruitment draw and later top-up draws, each stratified and each
excluding residents invited before. Resident *i* was invited with probability

    pi_i = 1 - prod_d (1 - pi_{d,h_d(i)}),   pi_{d,h} = invited_{d,h} / eligible_{d,h},

over the panel's draws d, where h_d(i) is i's stratum under draw d's strata, ``invited`` counts
the letters actually made from that draw (reserves included) and ``eligible`` is the stratum's
eligible frame at that draw (which already left out earlier invitees, so each factor is the
conditional probability of a later draw). The design weight is 1/pi_i: members of strata that
were invited more (e.g. with ``target_completes``, which invites more where fewer join) weigh
less, before weighting to the register margins corrects for who joined and who answered.

Reference: Lohr, S. L. (2022). *Sampling: Design and Analysis*, 3rd ed., sections 3.1-3.4
(stratified sampling, inclusion probabilities) and 6.1 (unequal probabilities).
"""

import numpy as np
import pandas as pd
import sqlalchemy as sa

from app.extensions import db
from app.models import Assignment, Draw, Invitation, Member, Resident, Selection, Survey
from sampling.strata import household_size_class, stratum_labels

COLUMNS = ("age_band", "sex", "district", "nationality_group", "household_size")


def panel_draws(survey: Survey) -> list[Draw]:
    """The panel's recruitment and top-up draws that had been made for this survey's panel.

    Those made before the survey was created, and any later one that recruited one of its
    members; a top-up made after the survey (a year later, say) never changes its weights.
    """
    recruited = (sa.select(Selection.draw_id)
                 .join(Invitation, Invitation.selection_id == Selection.id)
                 .join(Member, Member.invitation_id == Invitation.id)
                 .join(Assignment, Assignment.member_id == Member.id)
                 .where(Assignment.survey_id == survey.id))
    return list(db.session.scalars(sa.select(Draw).where(
        Draw.panel_id == survey.panel_id, Draw.purpose.in_(("recruitment", "topup")),
        sa.or_(Draw.created_at <= survey.created_at, Draw.id.in_(recruited)))
        .order_by(Draw.id)))


def panel_inclusion(survey: Survey) -> dict[int, float]:
    """Assignment id -> probability that its member was invited into the survey's panel."""
    if survey.panel_id is None:
        return {}
    draws = panel_draws(survey)
    members = _members(survey)
    if not draws or members.empty:
        return {}
    not_invited = np.ones(len(members))
    for draw in draws:
        rates = _stratum_rates(draw)
        labels = stratum_labels(members, list(draw.strata)) if draw.strata else None
        own = members["draw_id"] == draw.id  # the stratum they were drawn in, at that draw
        chance = (labels.where(~own, members["stratum"]).map(rates) if labels is not None
                  else pd.Series(rates.get("alle inwoners", 0.0), index=members.index))
        not_invited *= 1 - chance.fillna(0.0).clip(0, 1).to_numpy()
    probability = 1 - not_invited
    return {int(assignment_id): float(value) for assignment_id, value
            in zip(members["assignment_id"], probability, strict=True) if value > 0}


def _members(survey: Survey) -> pd.DataFrame:
    """Each member's register data as kept on the assignment (their cells at the survey)."""
    kept = [sa.func.coalesce(getattr(Assignment, name), getattr(Resident, name))
            for name in COLUMNS]
    rows = db.session.execute(
        sa.select(Assignment.id, *kept, Selection.draw_id, Selection.stratum)
        .join(Member, Member.id == Assignment.member_id)
        .join(Resident, Resident.id == Member.resident_id)
        .outerjoin(Invitation, Invitation.id == Member.invitation_id)
        .outerjoin(Selection, Selection.id == Invitation.selection_id)
        .where(Assignment.survey_id == survey.id)).all()
    frame = pd.DataFrame(rows, columns=["assignment_id", *COLUMNS, "draw_id", "stratum"])
    frame["household_size_class"] = frame["household_size"].map(
        lambda size: household_size_class(int(size or 1)))
    return frame


def _stratum_rates(draw: Draw) -> dict[str, float]:
    """Per stratum of the draw: letters made from it / residents eligible at the draw."""
    invited = dict(db.session.execute(
        sa.select(Selection.stratum, sa.func.count())
        .join(Invitation, Invitation.selection_id == Selection.id)
        .where(Selection.draw_id == draw.id).group_by(Selection.stratum)).all())
    return {row["stratum"]: invited.get(row["stratum"], 0) / row["eligible"]
            for row in draw.stratum_table or [] if row.get("eligible")}
