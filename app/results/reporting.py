"""Reports: assemble ``reports.ReportInput`` from a survey and its weights, render, store."""

from datetime import UTC, datetime

import pandas as pd
import sqlalchemy as sa
from flask import current_app

from app import audit, jobs
from app.extensions import db
from app.models import Assignment, Job, Report, Response, Survey, WeightSet
from app.results.data import current_definition, respondent_frame
from app.results.method import method_info
from app.results.paper_codes import item_codes
from app.results.trends import trends
from app.surveys.definition import numbering, text_in
from reports.content.data import QuestionInfo, ReportInput, build_report_data
from reports.content.method_text import weighting_line
from reports.errors import ReportsError
from reports.estimates import make_design
from reports.render.pdf import render_report_pdf
from reports.render.pptx import render_slides_pptx
from reports.render.slides import render_slides_pdf
from reports.render.spss import render_sav
from reports.render.xlsx import render_xlsx

RENDERERS = {"pdf": render_report_pdf, "slides": render_slides_pdf,
             "pptx": render_slides_pptx,
             "xlsx": lambda data: render_xlsx(data, include_data=True), "sav": render_sav}
MIMETYPES = {"pdf": "application/pdf", "slides": "application/pdf",
             "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "sav": "application/x-spss-sav"}
EXTENSIONS = {"pdf": "pdf", "slides": "pdf", "pptx": "pptx", "xlsx": "xlsx", "sav": "sav"}
COUNCIL_KINDS = ("pdf", "slides", "pptx")  # microdata (xlsx, sav) stay with researchers
BREAKDOWNS = [("district", "Wijk"), ("age_band", "Leeftijd"), ("sex", "Geslacht")]
SEX_LABELS = {"M": "Man", "F": "Vrouw", "U": "Onbekend"}
TECHNICAL_FAILURE = ("Het rapport kon door een technische fout niet gemaakt worden. Probeer het "
                     "opnieuw; lukt het weer niet, meld het dan aan de beheerder.")


def question_infos(definition, language: str = "nl") -> list[QuestionInfo]:
    numbers = numbering(definition)
    return [QuestionInfo(
        code=q.code, number=numbers.get(q.code, ""), text=text_in(q.text, language), type=q.type,
        options=[(o.value, text_in(o.label, language)) for o in q.options],
        missing=[(o.value, text_in(o.label, language)) for o in q.missing],
        items=[(i.code, text_in(i.text, language)) for i in q.items],
    ) for q in definition.questions]


def report_input(survey: Survey, weight_set: WeightSet | None, *, min_cell: int,
                 stored_weights: bool = False) -> ReportInput:
    """The report's data; ``stored_weights`` leaves out answers that came after the weighting."""
    definition = current_definition(survey)
    source = weight_set.margins_import_id if weight_set else None
    frame = respondent_frame(survey, source).reset_index(drop=True)
    frame["sex"] = frame["sex"].map(SEX_LABELS).fillna(frame["sex"])
    weights, design, late = None, None, 0
    if weight_set is not None:
        weights = frame["respondent_id"].map(weight_set.weights).astype(float)
        late = int(weights.isna().sum())
        if late and not stored_weights:
            raise ReportsError(late_message(late))
        frame, weights = frame[weights.notna()].reset_index(drop=True), weights.dropna()
        weights = weights.reset_index(drop=True)
        design = make_design(frame, weights, method=weight_set.method,
                             cells=weight_set.variables if weight_set.method == "poststratify"
                             else None,
                             margins=weight_set.variables if weight_set.method == "rake" else None,
                             base_weights=_base_weights(weight_set, frame))
    columns = [c for c in frame.columns if c not in ("design_weight", "household_size_class",
                                                      "nationality_group")]
    return ReportInput(
        title=text_in(survey.title, "nl"), city=current_app.config["CITY_NAME"],
        survey_period=_period(survey), questions=question_infos(definition),
        responses=frame[columns], weights=weights, design=design,
        breakdowns=BREAKDOWNS, min_cell=min_cell,
        method=method_info(survey, weight_set, frame, late),
        trend=trends(survey, min_cell=min_cell), item_codes=item_codes(survey))


def _base_weights(weight_set: WeightSet, frame: pd.DataFrame) -> pd.Series | None:
    """What the weight set's calibration started from (older sets: the design weights)."""
    if not weight_set.base_weights:
        return frame.get("design_weight")
    return frame["respondent_id"].map(weight_set.base_weights).astype(float)


def _period(survey: Survey) -> str:
    """The fieldwork as it happened: opened – closed, "vanaf" while still open."""
    opened, closed = (moment and moment.strftime("%d/%m/%Y")
                      for moment in (survey.opens_at, survey.closes_at))
    if opened and closed:
        return f"{opened} – {closed}"
    if opened:
        return f"vanaf {opened}"
    return str(survey.created_at.year)


def late_message(late: int) -> str:
    arrived = "1 antwoord kwam" if late == 1 else f"{late} antwoorden kwamen"
    return (f"{arrived} binnen na deze weging. Weeg opnieuw, of maak het rapport "
            "uitdrukkelijk met de bewaarde gewichten (zonder die antwoorden).")


def late_responses(survey: Survey, weight_set: WeightSet | None) -> int:
    """Complete answers that have no weight in ``weight_set`` (they came after it)."""
    if weight_set is None:
        return 0
    pseudonyms = db.session.scalars(sa.select(Assignment.pseudonym).join(
        Response, Response.assignment_id == Assignment.id).where(
        Response.survey_id == survey.id, Response.status == "complete"))
    return sum(1 for pseudonym in pseudonyms if pseudonym not in weight_set.weights)


def start_report(survey: Survey, kind: str, weight_set: WeightSet | None,
                 user_id: int | None, *, stored_weights: bool = False) -> Report:
    """Queue a report; refuses (``ReportsError``) while answers wait for a new weighting,
    unless the researcher chose to report ``stored_weights`` without them."""
    late = late_responses(survey, weight_set)
    if late and not stored_weights:
        raise ReportsError(late_message(late))
    report = Report(survey_id=survey.id, weight_set_id=weight_set.id if weight_set else None,
                    kind=kind, title=text_in(survey.title, "nl"), created_by_id=user_id,
                    parameters={"min_cell": current_app.config["MIN_CELL_SIZE"],
                                "stored_weights": bool(late)})
    db.session.add(report)
    db.session.flush()
    job = jobs.create_job("render_report", {"report_id": report.id},
                          key=f"report:{report.id}", user_id=user_id)
    report.job_id = job.id
    audit.record("report_requested", report, details={"kind": kind, "survey": survey.id})
    return report


@jobs.handler("render_report")
def render_report(job: Job, *, report_id: int) -> dict:
    report = db.session.get(Report, report_id)
    if report.content is not None:
        return {"bytes": len(report.content)}
    survey = db.session.get(Survey, report.survey_id)
    try:
        data = build_report_data(report_input(
            survey, report.weight_set, min_cell=report.parameters["min_cell"],
            stored_weights=bool(report.parameters.get("stored_weights"))))
        report.content = RENDERERS[report.kind](data)
    except ReportsError:
        raise
    except Exception as error:  # the job log keeps the technical cause
        raise ReportsError(TECHNICAL_FAILURE) from error
    report.summary = dashboard_summary(data)
    return {"bytes": len(report.content)}


def dashboard_summary(data) -> dict:
    """Overall, non-suppressed shares per question for the in-page charts."""
    questions = []
    for result in data.questions:
        table = result.table
        if table is None or table.empty or "estimate" not in table.columns:
            continue
        rows = table[(table["group"] == "Totaal") & ~table["suppressed"].astype(bool)]
        bars = [{"label": _bar_label(row),
                 "estimate": float(row.estimate), "ci_low": _float(row.ci_low),
                 "ci_high": _float(row.ci_high), "n": int(row.n)}
                for row in rows.itertuples() if pd.notna(row.estimate)]
        questions.append({"number": result.question.number, "text": result.question.text,
                          "kind": result.kind, "bars": bars[:30],
                          "trend": _trend_points(data, result.question.code)})
    return {"questions": questions, "findings": list(data.key_findings),
            "weighted": data.weighting.weighted,
            "method": weighting_line(data.method.description)}


def _trend_points(data, code: str) -> list[dict]:
    points = []
    for wave, estimate, low, high, n in data.trend.get(code, []):
        small = n < data.min_cell
        points.append({"wave": wave, "estimate": None if small else _float(estimate),
                       "ci_low": None if small else _float(low),
                       "ci_high": None if small else _float(high), "n": int(n)})
    return points


def _bar_label(row) -> str:
    label = str(row.label) if pd.notna(row.label) else ""
    item = str(row.item) if "item" in row._fields and pd.notna(row.item) else ""
    return f"{item}: {label}" if item and label and item != label else (label or item)


def _float(value):
    return None if pd.isna(value) else float(value)


def publish(report: Report, published: bool) -> None:
    report.published_at = datetime.now(UTC) if published else None
    audit.record("report_published" if published else "report_unpublished", report)


def report_versions(reports) -> dict[int, int]:
    """Report id → its version: 1 for a survey's first report of that kind, 2 for the next…"""
    keys = {(report.survey_id, report.kind) for report in reports}
    versions: dict[int, int] = {}
    for survey_id, kind in keys:
        ids = db.session.scalars(sa.select(Report.id).where(
            Report.survey_id == survey_id, Report.kind == kind).order_by(Report.id))
        versions.update({report_id: number for number, report_id in enumerate(ids, start=1)})
    return versions


def published_reports():
    return db.session.scalars(sa.select(Report).where(
        Report.published_at.is_not(None), Report.content.is_not(None),
        Report.kind.in_(COUNCIL_KINDS))
        .order_by(Report.published_at.desc())).all()


def failed(report: Report, job: Job | None) -> bool:
    return report.content is None and job is not None and job.status == "failed"


def remove_failed(report: Report) -> None:
    """Delete a failed report attempt (never shown to councillors); audited."""
    job = db.session.get(Job, report.job_id) if report.job_id else None
    if not failed(report, job):
        raise ReportsError("Alleen een mislukte poging kan verwijderd worden.")
    audit.record("report_removed", report, details={
        "kind": report.kind, "survey": report.survey_id, "reason": (job.error or "")[:300]})
    db.session.delete(report)
    db.session.flush()
