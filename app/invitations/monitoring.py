"""Join rates of a panel's invitations against the rates its draws' allocations expected."""

import pandas as pd
import sqlalchemy as sa

from app.draws.services import DEFAULT_RESPONSE_RATE
from app.extensions import db
from app.models import Draw, Invitation, InvitationBatch, Selection


def invitation_frame(panel_id: int) -> pd.DataFrame:
    """One row per invitation of the panel: stratum, channel, status, answer day, expected."""
    rows = db.session.execute(
        sa.select(Invitation.id, Selection.stratum, Invitation.channel, Invitation.status,
                  Invitation.answered_at, InvitationBatch.draw_id)
        .join(Selection, Selection.id == Invitation.selection_id)
        .join(InvitationBatch, InvitationBatch.id == Invitation.batch_id)
        .where(InvitationBatch.panel_id == panel_id)).all()
    frame = pd.DataFrame(rows, columns=["id", "stratum", "channel", "status", "answered_at",
                                        "draw_id"])
    rates = {draw_id: expected_rates(db.session.get(Draw, int(draw_id)))
             for draw_id in frame["draw_id"].unique()}
    frame["expected"] = [rates[draw_id].get(stratum, DEFAULT_RESPONSE_RATE)
                         for draw_id, stratum in zip(frame["draw_id"], frame["stratum"],
                                                     strict=True)]
    frame["joined"] = frame["status"] == "joined"
    frame["declined"] = frame["status"] == "declined"
    return frame


def expected_rates(draw: Draw) -> dict[str, float]:
    """Per stratum: the response rate the allocation assumed (target_completes), else none."""
    parameters = draw.parameters or {}
    if draw.allocation_method != "target_completes":
        return {}
    rates = {str(key): float(value) for key, value in
             (parameters.get("response_rates") or {}).items()}
    for row in parameters.get("allocation_table") or []:
        if row.get("response_rate") is not None:
            rates[str(row["stratum"])] = float(row["response_rate"])
    return rates


def summary(frame: pd.DataFrame, by: str) -> list[dict]:
    """Invited, joined, declined, join rate and expected rate per value of `by`."""
    if frame.empty:
        return []
    grouped = frame.groupby(by, sort=True).agg(
        invited=("id", "size"), joined=("joined", "sum"), declined=("declined", "sum"),
        expected=("expected", "mean"))
    grouped["rate"] = grouped["joined"] / grouped["invited"]
    grouped["expected_joins"] = grouped["expected"] * grouped["invited"]
    return [{"key": key, **{name: _plain(value) for name, value in row.items()}}
            for key, row in grouped.iterrows()]


def per_day(frame: pd.DataFrame) -> list[dict]:
    """Joins per day and the cumulative join rate."""
    joined = frame[frame["joined"] & frame["answered_at"].notna()]
    if joined.empty:
        return []
    days = pd.to_datetime(joined["answered_at"], utc=True).dt.date.value_counts().sort_index()
    cumulative = days.cumsum()
    return [{"day": day, "joined": int(count), "cumulative": int(cumulative[day]),
             "rate": float(cumulative[day] / len(frame))} for day, count in days.items()]


def _plain(value):
    return value.item() if hasattr(value, "item") else value
