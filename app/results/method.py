"""The facts behind a report's method text: the weight set used and the survey's population."""

import pandas as pd
import sqlalchemy as sa
from babel.numbers import format_decimal

from app.extensions import db
from app.models import Assignment, Draw, RegisterImport, Selection, Survey, WeightSet
from app.results.data import dispositions, invited_frame
from app.results.weighting import survey_minimum_age
from app.surveys import population
from reports.content.data import MethodInfo
from reports.content.method_text import MethodDescription, population_phrase
from reports.content.text import format_number
from reports.disposition import response_rates

VARIABLE_LABELS = {"age_band": "leeftijd", "sex": "geslacht", "district": "wijk",
                   "nationality_group": "nationaliteit",
                   "household_size_class": "gezinsgrootte"}


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} en {words[-1]}"


def survey_draws(survey: Survey) -> list[Draw]:
    """The draws that recruited the survey's panel or drew its sample."""
    assigned = sa.select(Selection.draw_id).join(
        Assignment, Assignment.selection_id == Selection.id).where(
        Assignment.survey_id == survey.id)
    return list(db.session.scalars(sa.select(Draw).where(sa.or_(
        Draw.id.in_(assigned),
        sa.and_(Draw.panel_id.is_not(None), Draw.panel_id == survey.panel_id)))
        .order_by(Draw.id)))


def describe(survey: Survey, weight_set: WeightSet | None, respondents: pd.DataFrame,
             late: int = 0) -> MethodDescription:
    """What was done: the weight set's method and margins, or no weighting at all."""
    design = "design_weight" in respondents and respondents["design_weight"].nunique() > 1
    if weight_set is None:
        source = population.survey_import(survey)  # None: no register behind the survey
        minimum_age = survey_minimum_age(survey, source) if source else None
        return MethodDescription(minimum_age=minimum_age,
                                 register_date=source.reference_date if source else None)
    source = (db.session.get(RegisterImport, weight_set.margins_import_id)
              if weight_set.margins_import_id else None)
    minimum_age = (weight_set.diagnostics or {}).get("population_minimum_age")
    if minimum_age is None and source is not None:
        minimum_age = survey_minimum_age(survey, source)
    trim = ((weight_set.trim_lower, weight_set.trim_upper)
            if weight_set.trim_lower and weight_set.trim_upper and weight_set.method == "rake"
            else None)
    calibrated = weight_set.method != "none" and bool(weight_set.variables)
    return MethodDescription(
        method=weight_set.method if calibrated else "none",
        variables=tuple(VARIABLE_LABELS.get(name, name) for name in weight_set.variables)
        if calibrated else (),
        propensity=bool(weight_set.propensity), trim=trim, minimum_age=minimum_age,
        register_date=source.reference_date if source else None, design_weights=bool(design),
        late_responses_excluded=late)


def _sampling(survey: Survey, description: MethodDescription) -> str:
    draws = survey_draws(survey)
    who = "De panelleden werden" if survey.panel_id else "De deelnemers werden"
    population = population_phrase(description)
    strata = list(dict.fromkeys(VARIABLE_LABELS.get(name, name)
                                for draw in draws for name in draw.strata))
    spread = f", gespreid over {_join(strata)}" if strata else ""
    if not draws:
        return f"{who} uitgenodigd uit {population}."
    return (f"{who} door toevallige trekking uit het bevolkingsregister ({population}) "
            f"gekozen en uitgenodigd{spread}.")


def method_info(survey: Survey, weight_set: WeightSet | None,
                respondents: pd.DataFrame, late: int = 0) -> MethodInfo:
    """``late``: complete answers left out because the report uses the stored weights."""
    description = describe(survey, weight_set, respondents, late)
    invited = invited_frame(survey, weight_set.margins_import_id if weight_set else None)
    response = (invited.groupby("age_band")["responded"].agg(["size", "sum"]).reset_index()
                .rename(columns={"age_band": "stratum", "size": "invited", "sum": "responded"}))
    response["rate"] = response["responded"] / response["invited"].where(response["invited"] > 0)
    return MethodInfo(
        sampling=_sampling(survey, description),
        fieldwork=f"{format_number(len(invited), 0)} uitgenodigd, "
                  f"{format_number(int(invited['responded'].sum()), 0)} volledige antwoorden "
                  f"(online en op papier){_response_rate(survey)}.",
        response=response, description=description, late_responses_excluded=late)


def _response_rate(survey: Survey) -> str:
    rates = response_rates(dispositions(survey)[""])
    if rates["rr1"] is None:
        return ""
    share = format_decimal(rates["rr1"] * 100, format="0.0", locale="nl")
    return f"; responsgraad {share} % (RR1, AAPOR)"
