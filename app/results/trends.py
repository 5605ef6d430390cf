"""The same question across successive surveys of a panel (agreement share or mean per wave)."""

import pandas as pd
import sqlalchemy as sa

from app.extensions import db
from app.models import Response, Survey, WeightSet
from app.results.data import current_definition, respondent_frame
from reports.estimates import weighted_means, weighted_proportions

TREND_TYPES = ("likert", "number")


def waves(survey: Survey) -> list[Survey]:
    """Surveys of the same panel up to this one, oldest first, that have complete responses."""
    if survey.panel_id is None:
        return [survey]
    answered = sa.select(Response.survey_id).where(Response.status == "complete")
    earlier = db.session.scalars(sa.select(Survey).where(
        Survey.panel_id == survey.panel_id, Survey.id != survey.id,
        Survey.created_at <= survey.created_at, Survey.id.in_(answered))
        .order_by(Survey.created_at, Survey.id)).all()
    return [*earlier, survey]


def _signature(question) -> tuple:
    return (question.type, tuple(question.answer_values))


def _weights(survey: Survey, frame: pd.DataFrame) -> pd.Series:
    weight_set = db.session.scalar(sa.select(WeightSet).where(
        WeightSet.survey_id == survey.id, WeightSet.is_current.is_(True)))
    if weight_set is None:
        return pd.Series(1.0, index=frame.index)
    return frame["respondent_id"].map(weight_set.weights).astype(float).fillna(1.0)


def _estimate(question, frame: pd.DataFrame, weights: pd.Series, min_cell: int):
    if question.type == "number":
        values = pd.to_numeric(frame[question.code], errors="coerce")
        table = weighted_means(frame.assign(_v=values), "_v", weights, min_cell=min_cell)
        row = table.iloc[0]
        return row["mean"], row["ci_low"], row["ci_high"], int(row["n"])
    top = set(question.answer_values[-2:])  # the two most agreeing/satisfied scale points
    answered = frame[question.code].where(~frame[question.code].isin(question.missing_values))
    flag = answered.map(lambda value: None if pd.isna(value) else str(value in top))
    table = weighted_proportions(frame.assign(_top=flag), "_top", weights, min_cell=min_cell,
                                 categories=["False", "True"])
    row = table[table["category"] == "True"].iloc[0]  # 0 % rows get an honest interval too
    return row["proportion"], row["ci_low"], row["ci_high"], int(row["n_answered"])


def trends(survey: Survey, *, min_cell: int) -> dict[str, list[tuple]]:
    """question code -> [(wave title, estimate, ci_low, ci_high, n), …] when ≥ 2 waves."""
    series = waves(survey)
    if len(series) < 2:
        return {}
    current = current_definition(survey)
    result: dict[str, list[tuple]] = {}
    for wave in series:
        definition = current_definition(wave)
        frame = respondent_frame(wave).reset_index(drop=True)
        weights = _weights(wave, frame)
        for question in current.questions:
            if question.type not in TREND_TYPES or question.code not in frame.columns:
                continue
            earlier = {q.code: q for q in definition.questions}.get(question.code)
            if earlier is None or _signature(earlier) != _signature(question):
                continue
            estimate = _estimate(question, frame, weights, min_cell)
            result.setdefault(question.code, []).append((wave.title.get("nl", ""), *estimate))
    return {code: points for code, points in result.items() if len(points) >= 2}
