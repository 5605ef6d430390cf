"""Weight a survey's respondents to the register margins and keep the diagnostics."""

from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa

from app import audit
from app.draws.frame import minimum_age_of
from app.extensions import db
from app.models import Assignment, Draw, Margin, RegisterImport, Selection, Survey, WeightSet
from app.results.data import invited_frame, respondent_frame
from app.surveys import population
from reports.diagnostics import (
    effective_n,
    kish_deff,
    margin_check,
    r_indicator_from_response,
    weight_summary,
    weighting_efficiency,
)
from reports.errors import WeightingError
from reports.weighting import poststratify, propensity_adjustment, rake, trim
from sampling.register.values import age_band_bounds

WEIGHT_VARIABLES = ("age_band", "sex", "district", "nationality_group")


@dataclass(frozen=True)
class Population:
    """The survey's target population: a register import's margins from a minimum age on."""

    import_id: int
    minimum_age: int


@dataclass
class WeightingChoice:
    method: str  # "rake" | "poststratify" | "none"
    variables: list[str]
    trim_lower: float | None = None
    trim_upper: float | None = None
    propensity: bool = False


def margins_import(survey: Survey, import_id: int | None = None) -> RegisterImport:
    """The register import to weight to: the survey's own, or the newer one chosen explicitly."""
    own = population.survey_import(survey)
    if own is None:
        raise WeightingError("Er is geen ingelezen register met marges om naar te wegen.")
    if import_id is None or import_id == own.id:
        return own
    if import_id not in {item.id for item in population.import_choices(survey)}:
        raise WeightingError("Kies het register van deze bevraging of het nieuwste register.")
    return db.session.get(RegisterImport, import_id)


def survey_minimum_age(survey: Survey, source: RegisterImport) -> int:
    """The youngest age in the survey's population: the lowest minimum age of the draws that
    recruited its panel or drew its sample; the register import's when there are none."""
    assigned = sa.select(Selection.draw_id).join(
        Assignment, Assignment.selection_id == Selection.id).where(
        Assignment.survey_id == survey.id)
    found = minimum_age_of(db.session.scalars(sa.select(Draw).where(sa.or_(
        Draw.id.in_(assigned),
        sa.and_(Draw.panel_id.is_not(None), Draw.panel_id == survey.panel_id)))))
    return found if found is not None else int(source.minimum_age)


def _bands_in(population: Population) -> list[str]:
    """The import's age bands that make up the population (raises when one straddles it)."""
    bands = db.session.scalars(sa.select(Margin.age_band).distinct().where(
        Margin.import_id == population.import_id)).all()
    lowest = min((bounds[0] for bounds in map(age_band_bounds, bands) if bounds), default=0)
    if population.minimum_age < lowest:
        raise WeightingError(
            f"De leeftijdsgroepen van het register beginnen bij {lowest} jaar, maar deze "
            f"bevraging telt deelnemers vanaf {population.minimum_age} jaar. Lees het register "
            f"opnieuw in met minimumleeftijd {population.minimum_age}: dan krijgen zij een "
            "eigen leeftijdsgroep.")
    kept = []
    for band in bands:
        bounds = age_band_bounds(band)
        if bounds is None or bounds[0] >= population.minimum_age:
            kept += [band] if bounds is not None else []
        elif bounds[1] is None or bounds[1] >= population.minimum_age:
            raise WeightingError(
                f"De leeftijdsgroep {band} van het register loopt over de minimumleeftijd "
                f"({population.minimum_age} jaar) van deze bevraging heen, dus haar "
                "bevolkingstotaal telt ook wie niet mocht deelnemen. Lees het register opnieuw "
                f"in met minimumleeftijd {population.minimum_age}: dan begint de eerste "
                "leeftijdsgroep daar.")
    return kept


def population_cells(population: Population, variables: list[str]) -> pd.Series:
    """Population counts from the minimum age on, by ``variables`` (a full cross-table)."""
    columns = [getattr(Margin, name) for name in variables]
    rows = db.session.execute(
        sa.select(*columns, sa.func.sum(Margin.count)).where(
            Margin.import_id == population.import_id,
            Margin.age_band.in_(_bands_in(population)))
        .group_by(*columns)).all()
    frame = pd.DataFrame(rows, columns=[*variables, "count"])
    return frame.set_index(variables)["count"].astype(float)


def population_margins(population: Population, variables: list[str]) -> dict[str, dict]:
    return {name: population_cells(population, [name]).to_dict() for name in variables}


def base_weights(respondents: pd.DataFrame, choice: WeightingChoice,
                 invited: pd.DataFrame | None = None) -> pd.Series:
    """The weights calibration starts from: design weight x propensity factor (if chosen)."""
    base = respondents.get("design_weight", pd.Series(1.0, index=respondents.index))
    base = base.astype(float)
    if choice.propensity and invited is not None:
        base = base * _propensity(invited, respondents, choice.variables)
    return base


def compute(respondents: pd.DataFrame, choice: WeightingChoice, population: Population,
            invited: pd.DataFrame | None = None, base: pd.Series | None = None
            ) -> tuple[pd.Series, dict]:
    """Weights for ``respondents`` (index = pseudonym) and their diagnostics; ``base``: the
    weights to calibrate from when already computed (else :func:`base_weights`)."""
    if base is None:
        base = base_weights(respondents, choice, invited)
    weights = _calibrate(respondents, base, choice, population)
    if choice.trim_lower and choice.trim_upper and choice.method == "rake":
        weights = trim(weights, lower=choice.trim_lower, upper=choice.trim_upper,
                       data=respondents, margins=population_margins(population, choice.variables))
    return weights, _diagnostics(respondents, weights, choice, population, invited)


def _calibrate(respondents, base, choice, population) -> pd.Series:
    if choice.method == "none" or not choice.variables:
        return base
    if choice.method == "poststratify":
        totals = population_cells(population, choice.variables)
        return poststratify(respondents, choice.variables, totals, base_weights=base)
    return rake(respondents, population_margins(population, choice.variables), base_weights=base)


def _propensity(invited: pd.DataFrame, respondents: pd.DataFrame, variables) -> pd.Series:
    covariates = [name for name in ("age_band", "sex", "district", "nationality_group",
                                    "household_size_class") if name in invited.columns]
    factors = propensity_adjustment(invited, invited["responded"], covariates, seed=0)
    return factors.reindex(respondents.index).fillna(1.0)


def _diagnostics(respondents, weights, choice, population, invited) -> dict:
    result = {"n": int(len(weights)), "design_effect": float(kish_deff(weights)),
              "population_minimum_age": population.minimum_age,
              "effective_n": float(effective_n(weights)),
              "weighting_efficiency": float(weighting_efficiency(weights)),
              "summary": {k: float(v) for k, v in weight_summary(weights).items()}}
    if choice.variables:
        check = margin_check(respondents, weights, population_margins(population,
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
                      invited: pd.DataFrame | None, user_id: int | None,
                      import_id: int | None = None) -> WeightSet:
    """Compute and store a weight set, making it the survey's current one; caller commits.

    ``import_id``: a newer register import than the survey's own, chosen explicitly (the
    respondent frames must then carry the residents' current data, see ``app.results.data``).
    """
    source = margins_import(survey, import_id)
    if respondents.empty:
        raise WeightingError("Deze bevraging heeft nog geen volledige antwoorden.")
    population = Population(source.id, survey_minimum_age(survey, source))
    base = base_weights(respondents, choice, invited)
    weights, diagnostics = compute(respondents, choice, population, invited, base)
    db.session.execute(sa.update(WeightSet).where(WeightSet.survey_id == survey.id)
                       .values(is_current=False))
    weight_set = WeightSet(
        survey_id=survey.id, method=choice.method, variables=list(choice.variables),
        margins_import_id=source.id, trim_lower=choice.trim_lower, trim_upper=choice.trim_upper,
        propensity=choice.propensity, weights={str(k): float(v) for k, v in weights.items()},
        base_weights={str(k): float(v) for k, v in base.items()},
        diagnostics=diagnostics, is_current=True, created_by_id=user_id)
    db.session.add(weight_set)
    db.session.flush()
    audit.record("weight_set_created", weight_set, details={
        "survey": survey.id, "method": choice.method, "variables": choice.variables,
        "register_import": source.id, "own_register": source.id == survey.register_import_id,
        "deff": round(diagnostics["design_effect"], 3)})
    return weight_set


def weigh_survey(survey: Survey, choice: WeightingChoice, user_id: int | None,
                 import_id: int | None = None) -> WeightSet:
    """Weight the survey's complete respondents (register data as of the chosen import)."""
    source = margins_import(survey, import_id)
    return create_weight_set(
        survey, choice, respondent_frame(survey, source.id),
        invited_frame(survey, source.id) if choice.propensity else None, user_id, source.id)


def choice_of(weight_set: WeightSet) -> WeightingChoice:
    return WeightingChoice(method=weight_set.method, variables=list(weight_set.variables),
                           trim_lower=weight_set.trim_lower, trim_upper=weight_set.trim_upper,
                           propensity=weight_set.propensity)


def reweigh(survey: Survey, weight_set: WeightSet, user_id: int | None) -> WeightSet:
    """A new weight set with the same choices and register as ``weight_set`` (late answers)."""
    return weigh_survey(survey, choice_of(weight_set), user_id, weight_set.margins_import_id)
