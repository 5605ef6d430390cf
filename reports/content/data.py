"""Plain input and output data of a survey report; every renderer reads one ``ReportData``.

Column conventions of ``ReportInput.responses`` (one row per respondent):

* ``respondent_id``: a pseudonym (never a name, address, e-mail or register key);
* single choice, Likert, number, text and date questions: one column named ``code``;
* multiple choice: one 0/1 column per option, ``f"{code}_{value}"``;
* matrix: one column per item, ``f"{code}_{item_code}"``, holding the option values;
* breakdown columns (e.g. ``district``, ``age_band``, ``sex``).

Answers equal to a question's missing codes ("weet niet", "geen antwoord") are left out of the
percentages (the base is the respondents who gave a substantive answer) but kept, as
user-missing values, in the microdata. Tables follow :mod:`reports.table_schema` (see
:data:`TABLE_COLUMNS`); estimates come from :mod:`reports.estimates`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from reports.content.method_text import MethodDescription
from reports.content.tables import TABLE_COLUMNS, question_tables
from reports.content.text import headline, key_findings
from reports.diagnostics import effective_n, kish_deff, weight_summary
from reports.errors import ReportsError
from reports.estimates import CalibrationDesign, make_design
from reports.safe import assert_no_personal_columns, mask_pii
from reports.themes import Theme, extract_themes

__all__ = [
    "TABLE_COLUMNS", "MethodInfo", "QuestionInfo", "QuestionResult", "ReportData", "ReportInput",
    "WeightingSummary", "build_report_data",
]

QUESTION_TYPES = ("single", "multiple", "likert", "matrix", "number", "text", "date")


@dataclass(frozen=True)
class QuestionInfo:
    """One question: code, printed number, text, type, options, missing codes and items."""

    code: str
    number: str
    text: str
    type: str
    options: list[tuple[object, str]] = field(default_factory=list)
    missing: list[tuple[object, str]] = field(default_factory=list)
    items: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self):
        if self.type not in QUESTION_TYPES:
            raise ReportsError(f"Onbekend vraagtype '{self.type}' bij vraag {self.code}.")

    def variables(self) -> list[tuple[str, str]]:
        """The analysis columns of this question with their item (or option) label."""
        if self.type == "matrix":
            return [(f"{self.code}_{item}", text) for item, text in self.items]
        if self.type == "multiple":
            return [(f"{self.code}_{value}", label) for value, label in self.options]
        return [(self.code, "")]


@dataclass(frozen=True)
class MethodInfo:
    """How respondents were drawn and weighted, in plain language, with the response table.

    ``response`` has columns ``stratum``, ``invited``, ``responded`` and ``rate`` (0–1);
    ``description`` says how the weights were made (every weighting sentence comes from it).
    """

    sampling: str = ""
    fieldwork: str = ""
    response: pd.DataFrame | None = None
    description: MethodDescription = field(default_factory=MethodDescription)
    # complete answers that arrived after the weighting and that a report made with the stored
    # weights leaves out (0: every respondent is in); the method text states it
    late_responses_excluded: int = 0


@dataclass
class ReportInput:
    """Everything a report needs; see the module docstring for the column conventions."""

    title: str
    city: str
    survey_period: str
    questions: list[QuestionInfo]
    responses: pd.DataFrame
    subtitle: str = ""
    language: str = "nl"
    weights: pd.Series | None = None
    design: CalibrationDesign | None = None
    breakdowns: list[tuple[str, str]] = field(default_factory=list)
    min_cell: int = 10
    method: MethodInfo = field(default_factory=MethodInfo)
    published_at: dt.date | None = None
    key_findings: list[str] | None = None
    trend: dict[str, list[tuple]] | None = None
    author: str = ""
    item_codes: pd.DataFrame | None = None  # paper forms: blank/unreadable/several per question


@dataclass(frozen=True)
class WeightingSummary:
    """Weights in numbers: Kish design effect, effective n, smallest and largest weight."""

    weighted: bool
    n: int
    design_effect: float
    effective_n: float
    weight_min: float
    weight_max: float


@dataclass(frozen=True)
class QuestionResult:
    """A question's tables (``TABLE_COLUMNS``), themes for open answers and its headline."""

    question: QuestionInfo
    kind: str
    table: pd.DataFrame
    breakdowns: dict[str, pd.DataFrame]
    themes: list[Theme] = field(default_factory=list)
    n_texts: int = 0
    headline: str = ""


@dataclass(frozen=True)
class ReportData:
    """The computed report: the one source of every number in every renderer."""

    title: str
    subtitle: str
    city: str
    survey_period: str
    language: str
    published_at: dt.date
    author: str
    questions: list[QuestionResult]
    breakdowns: list[tuple[str, str]]
    method: MethodInfo
    weighting: WeightingSummary
    key_findings: list[str]
    min_cell: int
    trend: dict[str, list[tuple]]
    microdata: pd.DataFrame
    item_codes: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def suppression_note(self) -> str:
        return f"te weinig antwoorden (minder dan {self.min_cell})"


def _analysis_frame(report_input: ReportInput) -> pd.DataFrame:
    """Responses with missing codes blanked and option columns categorical in option order."""
    frame = report_input.responses.copy()
    for question in report_input.questions:
        missing = [value for value, _ in question.missing]
        for column, _ in question.variables():
            if column not in frame.columns:
                raise ReportsError(f"De kolom '{column}' van vraag {question.number} ontbreekt.")
            values = frame[column].where(~frame[column].isin(missing)) if missing else frame[column]
            if question.type in ("single", "likert", "matrix"):
                values = _categorical(values, [value for value, _ in question.options], column)
            elif question.type == "multiple":
                values = pd.Categorical(pd.to_numeric(values, errors="coerce"), categories=[0, 1])
            frame[column] = values
    return frame


def _categorical(values: pd.Series, options: list, column: str) -> pd.Categorical:
    unknown = set(values.dropna().unique()) - set(options)
    if unknown:
        raise ReportsError(f"De kolom '{column}' bevat waarden die geen antwoordoptie of "
                           f"ontbrekende code zijn: {sorted(map(str, unknown))[:5]}.")
    return pd.Categorical(values, categories=options)


def _weights_and_design(report_input: ReportInput):
    index = report_input.responses.index
    description = report_input.method.description
    given = report_input.weights is not None
    weights = (report_input.weights.reindex(index).astype(float) if given
               else pd.Series(1.0, index=index, name="weight"))
    if description.weighted and not given:
        raise ReportsError("De methodebeschrijving zegt dat er gewogen werd, maar er zijn "
                           "geen gewichten.")
    if not description.weighted and len(weights) and weights.nunique() > 1:
        raise ReportsError("De gewichten verschillen per respondent, maar de "
                           "methodebeschrijving zegt dat er niet gewogen werd.")
    design = report_input.design or make_design(report_input.responses, weights)
    return weights, design, description.weighted


def _weighting_summary(weights: pd.Series, weighted: bool) -> WeightingSummary:
    summary = weight_summary(weights)
    return WeightingSummary(weighted, len(weights), kish_deff(weights), effective_n(weights),
                            summary["min"], summary["max"])


def _text_result(question: QuestionInfo, frame: pd.DataFrame, min_cell: int):
    texts = [str(text) for text in frame[question.code].dropna() if str(text).strip()]
    themes = extract_themes(texts) if len(texts) >= min_cell else []
    return themes, len(texts)


def _question_result(question, frame, weights, design, report_input) -> QuestionResult:
    if question.type == "text":
        themes, count = _text_result(question, frame, report_input.min_cell)
        result = QuestionResult(question, "text", pd.DataFrame(columns=TABLE_COLUMNS), {},
                                themes, count)
    else:
        kind, table, breakdowns = question_tables(
            question, frame, weights, design, report_input.breakdowns, report_input.min_cell)
        result = QuestionResult(question, kind, table, breakdowns)
    return QuestionResult(**{**result.__dict__, "headline": headline(result)})


def _microdata(report_input: ReportInput, weights: pd.Series) -> pd.DataFrame:
    columns = [column for question in report_input.questions
               for column, _ in question.variables()]
    breakdowns = [column for column, _ in report_input.breakdowns if column not in columns]
    frame = report_input.responses[["respondent_id", *breakdowns, *columns]].copy()
    frame.insert(1, "weight", weights.to_numpy(float))
    for question in report_input.questions:
        if question.type == "text":
            frame[question.code] = frame[question.code].map(
                lambda text: text if pd.isna(text) else mask_pii(str(text)))
    return frame.reset_index(drop=True)


def build_report_data(report_input: ReportInput) -> ReportData:
    """Compute every table of a report once: weighted shares or means, CIs, n, differences.

    Returns
    -------
    ReportData
        Per question an overall table and one table per breakdown (see
        :mod:`reports.content.tables` for the columns and the test of differences); themes for
        open questions; key findings (given, or generated from the largest shares and the
        clearest significant differences); weighting diagnostics; the pseudonymised
        microdata with weights.

    References
    ----------
    Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley.
    """
    responses = report_input.responses
    assert_no_personal_columns(responses)
    if "respondent_id" not in responses.columns:
        raise ReportsError("De antwoorden hebben een kolom 'respondent_id' (pseudoniem) nodig.")
    weights, design, weighted = _weights_and_design(report_input)
    frame = _analysis_frame(report_input)
    results = [_question_result(question, frame, weights, design, report_input)
               for question in report_input.questions]
    findings = report_input.key_findings
    if findings is None:
        findings = key_findings(results, report_input.breakdowns)
    return ReportData(
        report_input.title, report_input.subtitle, report_input.city, report_input.survey_period,
        report_input.language, report_input.published_at or dt.date.today(),
        report_input.author or report_input.city, results, list(report_input.breakdowns),
        report_input.method, _weighting_summary(weights, weighted), list(findings),
        report_input.min_cell, dict(report_input.trend or {}), _microdata(report_input, weights),
        report_input.item_codes if report_input.item_codes is not None else pd.DataFrame())


def significant_rows(result: QuestionResult) -> pd.DataFrame:
    """All breakdown rows of a question marked as significantly different from the rest."""
    frames = [table for table in result.breakdowns.values() if not table.empty]
    if not frames:
        return pd.DataFrame(columns=TABLE_COLUMNS)
    rows = pd.concat(frames, ignore_index=True)
    return rows[rows["mark"].to_numpy(int) != 0]


def value_of(table: pd.DataFrame, **where) -> float:
    """The estimate in the row of ``table`` matching ``where`` (NaN when suppressed)."""
    mask = np.ones(len(table), dtype=bool)
    for column, value in where.items():
        mask &= (table[column] == value).to_numpy(bool)
    return float(table.loc[mask, "estimate"].iloc[0])
