"""Design weights of panel members: the chance to have been invited into the panel at all.

A panel is built by a recruitment draw and later top-up draws, each stratified and each
excluding residents invited before. Resident *i* was invited with probability

    pi_i = 1 - prod_d (1 - pi_{d,h_d(i)}),   pi_{d,h} = invited_{d,h} / eligible_{d,h},

over the panel's draws d, where h_d(i) is i's stratum under draw d's strata, ``invited`` counts
the letters actually made from that draw (reserves included) and ``eligible`` is the stratum's
eligible frame at that draw (which already left out earlier invitees, so each factor is the
conditional probability of a later draw).

h_d(i) is read from the frame snapshot draw d stored, so it is i's stratum *at that draw* (an
age band a year younger, the district before a move), not today's. A member absent from a
draw's frame had no chance in it (moved in later, too young then, on the objection list) —
unless they were left out because an earlier draw of the panel had invited them: then the
design gave them that draw's rate in their stratum (as the survey's register records it), as
the conditional product above requires. Draws made before snapshots were stored use the
survey's register data for everyone; the draw that invited a member always counts the stratum
it recorded for them. Only the draws made before the survey, or that recruited one of its
members, count (``panel_draws``): a top-up a year later changes nothing for an older survey.
The design weight is 1/pi_i: members of strata that
were invited more (e.g. with ``target_completes``, which invites more where fewer join) weigh
less, before weighting to the register margins corrects for who joined and who answered.

Reference: Lohr, S. L. (2022). *Sampling: Design and Analysis*, 3rd ed., sections 3.1-3.4
(stratified sampling, inclusion probabilities) and 6.1 (unequal probabilities).
"""

import numpy as np
import pandas as pd
import sqlalchemy as sa

from app.draws.services import read_snapshot
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
    invited_before: set[int] = set()
    for draw in draws:
        chance = _chances(draw, members, invited_before)
        not_invited *= 1 - chance.fillna(0.0).clip(0, 1).to_numpy()
        invited_before |= _invited_residents(draw)
    probability = 1 - not_invited
    return {int(assignment_id): float(value) for assignment_id, value
            in zip(members["assignment_id"], probability, strict=True) if value > 0}


def _chances(draw: Draw, members: pd.DataFrame, invited_before: set[int]) -> pd.Series:
    """Each member's chance to be invited by ``draw``, in their stratum at that draw."""
    strata = list(draw.strata or [])
    rates = _stratum_rates(draw)
    if draw.frame_snapshot is None:
        eligible = pd.Series(True, index=members.index)
        data = members
    else:
        snapshot = read_snapshot(draw).drop_duplicates("person_key").set_index("person_key")
        in_frame = members["person_key"].isin(snapshot.index)
        eligible = in_frame | members["resident_id"].isin(invited_before)
        data = members.copy()
        known = [column for column in strata if column in snapshot.columns]
        data[known] = data[known].astype(object)
        data.loc[in_frame, known] = snapshot.loc[members.loc[in_frame, "person_key"],
                                                 known].to_numpy()
    if strata:
        labels = stratum_labels(data, strata)
        own = members["draw_id"] == draw.id  # the stratum this draw recorded for them
        chance = labels.where(~own, members["stratum"]).map(rates)
    else:
        chance = pd.Series(rates.get("alle inwoners", 0.0), index=members.index)
    return chance.where(eligible, 0.0)


def _invited_residents(draw: Draw) -> set[int]:
    return set(db.session.scalars(sa.select(Selection.resident_id).join(
        Invitation, Invitation.selection_id == Selection.id).where(Selection.draw_id == draw.id)))


def _members(survey: Survey) -> pd.DataFrame:
    """Each member's register data as kept on the assignment (their cells at the survey), with
    the draw that invited them and the stratum it recorded."""
    covariates = [sa.func.coalesce(getattr(Assignment, name), getattr(Resident, name)).label(name)
                  for name in COLUMNS]
    rows = db.session.execute(
        sa.select(Assignment.id, Resident.id, Resident.person_key, *covariates,
                  Selection.draw_id, Selection.stratum)
        .join(Member, Member.id == Assignment.member_id)
        .join(Resident, Resident.id == Member.resident_id)
        .outerjoin(Invitation, Invitation.id == Member.invitation_id)
        .outerjoin(Selection, Selection.id == Invitation.selection_id)
        .where(Assignment.survey_id == survey.id)).all()
    frame = pd.DataFrame(rows, columns=["assignment_id", "resident_id", "person_key", *COLUMNS,
                                        "draw_id", "stratum"])
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
