"""Synthetic survey for report tests and the report benchmark (raked to register margins)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools

import numpy as np
import pandas as pd

from reports.content.data import MethodInfo, QuestionInfo, ReportInput, build_report_data
from reports.content.method_text import MethodDescription
from reports.estimates import make_design
from reports.weighting import rake

DISTRICTS = ["Centrum", "Noord", "Oost", "Zuid", "West", "Haven", "Rand", "Dorp"]
AGE_BANDS = ["18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]
SEXES = ["man", "vrouw"]
LIKERT = [(1, "Helemaal oneens"), (2, "Oneens"), (3, "Neutraal"), (4, "Eens"),
          (5, "Helemaal eens")]
MISSING = [(9, "Weet niet")]
TOPICS = {
    "parkeren": "parkeren parkeerplaatsen auto wagen betalend",
    "groen": "park bomen groen speeltuin natuur",
    "fiets": "fietspad fietsers veilig oversteken kruispunt",
    "afval": "afval zwerfvuil vuilnisbakken containerpark sluikstorten",
    "lawaai": "lawaai verkeer vrachtwagens nacht overlast",
}


def _respondents(n: int, rng: np.random.Generator) -> pd.DataFrame:
    return pd.DataFrame({
        "respondent_id": [f"R{index:05d}" for index in range(n)],
        "district": rng.choice(DISTRICTS, n, p=np.linspace(2, 1, len(DISTRICTS)) / 12),
        "age_band": rng.choice(AGE_BANDS, n, p=[0.06, 0.12, 0.15, 0.17, 0.19, 0.18, 0.13]),
        "sex": rng.choice(SEXES, n, p=[0.45, 0.55]),
    })


def _scale(frame: pd.DataFrame, rng: np.random.Generator, missing_share=0.04) -> np.ndarray:
    shift = (frame["district"].isin(["Centrum", "Haven"]) * 0.8
             + (frame["age_band"] == "75+") * -0.6).to_numpy(float)
    answers = np.clip(np.round(rng.normal(3.2 + shift, 1.1)), 1, 5).astype(int)
    return np.where(rng.random(len(frame)) < missing_share, 9, answers)


def _text(topic: str, rng: np.random.Generator) -> str:
    words = rng.choice(TOPICS[topic].split(), 3, replace=False)
    return f"Meer aandacht voor {words[0]} en {words[1]}, ook het {words[2]} is een probleem."


def _question(index: int, frame: pd.DataFrame, rng: np.random.Generator, n_text_first: bool):
    code, number = f"v{index + 1}", str(index + 1)
    kind = ["single", "likert", "matrix", "number", "multiple"][index % 5]
    if kind == "single":
        options = [(1, "Ja"), (2, "Nee"), (3, "Soms")]
        frame[code] = rng.choice([1, 2, 3], len(frame), p=[0.5, 0.3, 0.2])
        return QuestionInfo(code, number, f"Gebruikt u dienst {number} van de stad?",
                            "single", options)
    if kind == "likert":
        frame[code] = _scale(frame, rng)
        return QuestionInfo(code, number, f"Ik voel mij veilig in mijn buurt ({number}).",
                            "likert", LIKERT, MISSING)
    if kind == "matrix":
        items = [("a", "Netheid"), ("b", "Verlichting"), ("c", "Groen"), ("d", "Verkeer")]
        for item, _ in items:
            frame[f"{code}_{item}"] = _scale(frame, rng)
        return QuestionInfo(code, number, f"Hoe tevreden bent u over uw straat? ({number})",
                            "matrix", LIKERT, MISSING, items)
    if kind == "number":
        frame[code] = np.where(rng.random(len(frame)) < 0.05, np.nan,
                               np.clip(rng.normal(6.8, 1.6, len(frame)).round(), 0, 10))
        return QuestionInfo(code, number, f"Welk cijfer geeft u uw buurt? ({number})", "number")
    options = [(1, "Te voet"), (2, "Fiets"), (3, "Bus of tram"), (4, "Auto")]
    for value, _ in options:
        frame[f"{code}_{value}"] = (rng.random(len(frame)) < 0.2 + 0.15 * value).astype(int)
    return QuestionInfo(code, number, f"Hoe verplaatst u zich in de stad? ({number})",
                        "multiple", options)


def _open_question(index: int, frame: pd.DataFrame, rng: np.random.Generator):
    code = f"v{index + 1}"
    topics = rng.choice(list(TOPICS), len(frame))
    texts = [_text(topic, rng) for topic in topics]
    texts[0] = "Bel mij op 0470 12 34 56 over het park, mijn naam is Jan Peeters."
    answered = rng.random(len(frame)) < 0.35
    answered[0] = True
    frame[code] = np.where(answered, texts, None)
    return QuestionInfo(code, str(index + 1), "Wat moet de stad volgens u beter doen?", "text")


def population_margins(total: float = 80_000) -> dict:
    return {
        "district": {name: total * share for name, share in
                     zip(DISTRICTS, np.linspace(1, 2, len(DISTRICTS)) / 12, strict=True)},
        "age_band": {name: total / len(AGE_BANDS) for name in AGE_BANDS},
        "sex": {"man": total * 0.49, "vrouw": total * 0.51},
    }


def make_report_input(n: int = 300, n_questions: int = 12, *, seed: int = 0,
                      n_text: int = 1) -> ReportInput:
    """A weighted survey with every question type; the last ``n_text`` questions are open."""
    rng = np.random.default_rng(seed)
    frame = _respondents(n, rng)
    questions = [_question(index, frame, rng, False) for index in range(n_questions - n_text)]
    questions += [_open_question(index, frame, rng)
                  for index in range(n_questions - n_text, n_questions)]
    margins = population_margins()
    weights = rake(frame, margins)
    response = pd.DataFrame({"stratum": DISTRICTS, "invited": 400, "responded": frame[
        "district"].value_counts().reindex(DISTRICTS).to_numpy()})
    method = MethodInfo(
        sampling="We trokken 3.200 inwoners van 18 jaar of ouder at random uit het "
                 "bevolkingsregister, 400 per wijk.",
        fieldwork="Uitnodiging per brief; antwoorden via internet of op papier.",
        response=response.assign(rate=response["responded"] / response["invited"]),
        description=MethodDescription("rake", ("wijk", "leeftijd", "geslacht"),
                                      minimum_age=18, register_date=dt.date(2026, 1, 1)))
    return ReportInput(
        title="Stadsbevraging 2026", subtitle="Leven in de stad", city="Halle",
        survey_period="maart–april 2026", questions=questions, responses=frame,
        weights=weights, design=make_design(frame, weights, "rake", margins=list(margins)),
        breakdowns=[("district", "Wijk"), ("age_band", "Leeftijd"), ("sex", "Geslacht")],
        method=method, published_at=dt.date(2026, 5, 4))


@functools.cache
def cached_report(n: int = 300, n_questions: int = 12, seed: int = 0):
    """``(ReportInput, ReportData)`` built once per test session (treat as read-only)."""
    report_input = make_report_input(n, n_questions, seed=seed)
    return report_input, build_report_data(report_input)


def small_group_input(size: int = 4) -> ReportInput:
    """An unweighted survey in which age band 18-24 has only ``size`` respondents."""
    report_input = make_report_input(200, 6, seed=3)
    ages = report_input.responses["age_band"].replace("18-24", "25-34")
    ages.iloc[:size] = "18-24"
    report_input.responses = report_input.responses.assign(age_band=ages)
    report_input.weights, report_input.design = None, None
    report_input.method = dataclasses.replace(report_input.method,
                                              description=MethodDescription())
    return report_input
