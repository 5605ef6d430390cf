"""Weight a survey's respondents to the register margins and keep the diagnostics."""

from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa

from app import audit
from app.extensions import db
from app.models import Margin, RegisterImport, Survey, WeightSet
from reports.diagnostics import (
    effective_n,
    kish_deff,
    margin_check,
    r_indicator_from_response,
    weight_summary,
)
from reports.errors import WeightingError
from reports.weighting import poststratify, propensity_adjustment, rake, trim

WEIGHT_VARIABLES = ("age_band", "sex", "district", "nationality_group")
EXCLUDED_BANDS = ("<18",)


@dataclass
class WeightingChoice:
    method: str  # "rake" | "poststratify" | "none"
    variables: list[str]
    trim_lower: float | None = None
    trim_upper: float | None = None
    propensity: bool = False


def margins_import(survey: Survey) -> RegisterImport | None:
    """The committed register import whose margins describe the survey's population."""
    query = sa.select(RegisterImport).where(RegisterImport.status == "committed")
    if survey.opens_at is not None:
        query = query.where(RegisterImport.reference_date <= survey.opens_at.date())
    query = query.order_by(RegisterImport.reference_date.desc(), RegisterImport.id.desc())
    return db.session.scalar(query.limit(1)) or db.session.scalar(
        sa.select(RegisterImport).where(RegisterImport.status == "committed")
        .order_by(RegisterImport.id).limit(1))


def population_cells(import_id: int, variables: list[str]) -> pd.Series:
    """Population counts of the adult population by ``variables`` (a full cross-table)."""
    columns = [getattr(Margin, name) for name in variables]
    rows = db.session.execute(
        sa.select(*columns, sa.func.sum(Margin.count)).where(
            Margin.import_id == import_id, Margin.age_band.not_in(EXCLUDED_BANDS))
        .group_by(*columns)).all()
    frame = pd.DataFrame(rows, columns=[*variables, "count"])
    return frame.set_index(variables)["count"].astype(float)


def population_margins(import_id: int, variables: list[str]) -> dict[str, dict]:
    return {name: population_cells(import_id, [name]).to_dict() for name in variables}


def compute(respondents: pd.DataFrame, choice: WeightingChoice, import_id: int,
            invited: pd.DataFrame | None = None) -> tuple[pd.Series, dict]:
    """Weights for ``respondents`` (index = pseudonym) and their diagnostics."""
    base = respondents.get("design_weight", pd.Series(1.0, index=respondents.index))
    base = base.astype(float)
    if choice.propensity and invited is not None:
        base = base * _propensity(invited, respondents, choice.variables)
    weights = _calibrate(respondents, base, choice, import_id)
    if choice.trim_lower and choice.trim_upper and choice.method == "rake":
        weights = trim(weights, lower=choice.trim_lower, upper=choice.trim_upper,
                       data=respondents, margins=population_margins(import_id, choice.variables))
    return weights, _diagnostics(respondents, weights, choice, import_id, invited)


def _calibrate(respondents, base, choice, import_id) -> pd.Series:
    if choice.method == "none" or not choice.variables:
        return base
    if choice.method == "poststratify":
        totals = population_cells(import_id, choice.variables)
        return poststratify(respondents, choice.variables, totals, base_weights=base)
    return rake(respondents, population_margins(import_id, choice.variables), base_weights=base)


def _propensity(invited: pd.DataFrame, respondents: pd.DataFrame, variables) -> pd.Series:
    covariates = [name for name in ("age_band", "sex", "district", "nationality_group",
                                    "household_size_class") if name in invited.columns]
    factors = propensity_adjustment(invited, invited["responded"], covariates, seed=0)
    return factors.reindex(respondents.index).fillna(1.0)


def _diagnostics(respondents, weights, choice, import_id, invited) -> dict:
    result = {"n": int(len(weights)), "design_effect": float(kish_deff(weights)),
              "effective_n": float(effective_n(weights)),
              "summary": {k: float(v) for k, v in weight_summary(weights).items()}}
    if choice.variables:
        check = margin_check(respondents, weights, population_margins(import_id,
                                                                      choice.variables))
        result["margins"] = _records(check)
    if invited is not None and invited["responded"].nunique() == 2:
        covariates = [c for c in WEIGHT_VARIABLES if c in invited.columns]
        result["r_indicator"] = float(r_indicator_from_response(
            invited, invited["responded"], covariates, seed=0))
    return result


def _records(frame: pd.DataFrame) -> list[dict]:
    clean = frame.replace({np.nan: None})
    return [{key: (value.item() if hasattr(value, "item") else value)
             for key, value in row.items()} for row in clean.to_dict("records")]


def create_weight_set(survey: Survey, choice: WeightingChoice, respondents: pd.DataFrame,
                      invited: pd.DataFrame | None, user_id: int | None) -> WeightSet:
    """Compute and store a weight set, making it the survey's current one; caller commits."""
    source = margins_import(survey)
    if source is None:
        raise WeightingError("Er is geen ingelezen register met marges om naar te wegen.")
    if respondents.empty:
        raise WeightingError("Deze bevraging heeft nog geen volledige antwoorden.")
    weights, diagnostics = compute(respondents, choice, source.id, invited)
    db.session.execute(sa.update(WeightSet).where(WeightSet.survey_id == survey.id)
                       .values(is_current=False))
    weight_set = WeightSet(
        survey_id=survey.id, method=choice.method, variables=list(choice.variables),
        margins_import_id=source.id, trim_lower=choice.trim_lower, trim_upper=choice.trim_upper,
        propensity=choice.propensity, weights={str(k): float(v) for k, v in weights.items()},
        diagnostics=diagnostics, is_current=True, created_by_id=user_id)
    db.session.add(weight_set)
    db.session.flush()
    audit.record("weight_set_created", weight_set, details={
        "survey": survey.id, "method": choice.method, "variables": choice.variables,
        "deff": round(diagnostics["design_effect"], 3)})
    return weight_set
