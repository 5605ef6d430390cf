"""A report never claims what was not done: every report kind, read back, says how the answers
were weighted (or that they were not) and to which population, for each kind of weight set."""

import io

import numpy as np
import pdfplumber
import pytest
from openpyxl import load_workbook
from pptx import Presentation

from app.extensions import db
from app.results import data, reporting, weighting
from reports.content.data import build_report_data
from tests.web.register.test_register_import import SAMPLE, do_import
from tests.web.survey_factory import build_survey_with_responses

CHOICES = {
    "unweighted": weighting.WeightingChoice("none", []),
    "poststratified": weighting.WeightingChoice("poststratify", ["sex"]),
    "raked": weighting.WeightingChoice("rake", ["sex", "district"]),
    "raked_propensity": weighting.WeightingChoice("rake", ["sex", "district"], propensity=True),
}
# what each report must say (lower case), and what it must never say
MUST = {
    "unweighted": ["niet gewogen"],
    "poststratified": ["gewogen naar de inwoners van 16 jaar en ouder",
                       "poststratificatie", "geslacht"],
    "raked": ["gewogen naar de inwoners van 16 jaar en ouder", "raking",
              "geslacht en wijk"],
    "raked_propensity": ["gewogen naar de inwoners van 16 jaar en ouder", "raking",
                         "geslacht en wijk", "responskans"],
}
MUST_NOT = {
    "unweighted": ["gewogen naar", "raking", "poststratificatie", "responskans",
                   "percentages zijn gewogen", "gewogen percentages"],
    "poststratified": ["raking", "responskans", "niet gewogen"],
    "raked": ["poststratificatie", "responskans", "niet gewogen"],
    "raked_propensity": ["poststratificatie", "niet gewogen"],
}
EVERYWHERE_NOT = ["(geen)", "18 jaar", "leeftijd, geslacht en wijk", "gelijk verdeeld"]


def pdf_text(content: bytes) -> str:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def pptx_text(content: bytes) -> str:
    texts = []
    for slide in Presentation(io.BytesIO(content)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_chart:  # the chart's alternative text is a caption too
                texts.append(shape._element.xpath(".//p:cNvPr")[0].get("descr", ""))
    return "\n".join(texts)


def xlsx_text(content: bytes) -> str:
    sheet = load_workbook(io.BytesIO(content), read_only=True)["Overzicht"]
    return "\n".join(str(cell) for row in sheet.iter_rows(values_only=True)
                     for cell in row if cell is not None)


READERS = {"pdf": pdf_text, "slides": pdf_text, "pptx": pptx_text, "xlsx": xlsx_text}


@pytest.fixture
def survey(app):
    do_import(SAMPLE.read_bytes(), minimum_age=16)
    return build_survey_with_responses(150)


def _flat(text: str) -> str:
    return " ".join(text.lower().split())


@pytest.mark.parametrize("variant", list(CHOICES))
def test_every_report_kind_says_what_was_done(survey, variant):
    choice = CHOICES[variant]
    weight_set = weighting.create_weight_set(
        survey, choice, data.respondent_frame(survey),
        data.invited_frame(survey) if choice.propensity else None, None)
    db.session.commit()
    report = build_report_data(reporting.report_input(survey, weight_set, min_cell=10))
    assert report.weighting.weighted is (variant != "unweighted")
    for kind, read in READERS.items():
        text = _flat(read(reporting.RENDERERS[kind](report)))
        assert "16 jaar en ouder" in text, kind
        for phrase in MUST[variant]:
            assert phrase in text, (variant, kind, phrase)
        for phrase in MUST_NOT[variant] + EVERYWHERE_NOT:
            assert phrase not in text, (variant, kind, phrase)
    charted = _flat(pdf_text(reporting.RENDERERS["pdf"](report)))
    caption = "percentages met 95 %-interval (de lijn rond elk resultaat)"
    assert ("gewogen " + caption in charted) is (variant != "unweighted")
    assert caption in charted


def test_a_report_without_any_weight_set_is_unweighted_and_names_its_population(survey):
    report = build_report_data(reporting.report_input(survey, None, min_cell=10))
    for kind, read in READERS.items():
        text = _flat(read(reporting.RENDERERS[kind](report)))
        assert "niet gewogen" in text and "gewogen naar" not in text, kind
        assert "16 jaar en ouder" in text and "(geen)" not in text, kind


def test_the_register_reference_date_of_the_margins_is_named(survey):
    weight_set = weighting.create_weight_set(
        survey, CHOICES["raked"], data.respondent_frame(survey), None, None)
    report = build_report_data(reporting.report_input(survey, weight_set, min_cell=10))
    text = _flat(pdf_text(reporting.RENDERERS["pdf"](report)))
    assert "volgens het bevolkingsregister op 01-01-2026" in text


def test_a_propensity_set_s_standard_errors_start_from_design_times_propensity(survey):
    """The calibration linearisation needs the weights raking started from: with a
    propensity adjustment those are design weight x propensity factor, not design weights."""
    from reports.weighting import rake

    choice = CHOICES["raked_propensity"]
    respondents = data.respondent_frame(survey)
    weight_set = weighting.create_weight_set(survey, choice, respondents,
                                             data.invited_frame(survey), None)
    db.session.commit()
    frame = respondents.set_index("respondent_id")
    base = frame.index.map(weight_set.base_weights).to_series(index=frame.index).astype(float)
    assert base.round(9).nunique() > 1  # the propensity factors differ between respondents
    assert not np.allclose(base, frame["design_weight"])
    source = weighting.margins_import(survey)
    population = weighting.Population(source.id, weighting.survey_minimum_age(survey, source))
    again = rake(frame, weighting.population_margins(population, choice.variables),
                 base_weights=base)  # the stored base reproduces the stored weights
    assert np.allclose(again.to_numpy(), frame.index.map(weight_set.weights).to_numpy(float))

    report = reporting.report_input(survey, weight_set, min_cell=10)
    order = report.responses["respondent_id"]
    assert np.allclose(report.design.base_weights,
                       order.map(weight_set.base_weights).to_numpy(float))
