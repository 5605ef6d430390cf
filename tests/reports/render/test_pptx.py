"""PowerPoint slides read back with python-pptx: slides, titles, native chart data, intervals,
suppression, alternative text, language and the 16:9 size."""

import io
import re

import numpy as np
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Emu

from reports.content.data import build_report_data
from reports.estimates import weighted_proportions
from reports.render.pptx import render_slides_pptx
from reports.render.slides import FINDINGS_TITLE, METHOD_TITLE, slide_questions
from tests.reports.synthetic import cached_report, small_group_input

LABEL = re.compile(r"^(?P<share>\d+,\d) % \((?P<low>\d+,\d)–(?P<high>\d+,\d) %\)$")
MEAN_LABEL = re.compile(r"^(?P<mean>\d+,\d) \((?P<low>\d+,\d)–(?P<high>\d+,\d)\)$")


def _parse(number: str) -> float:
    return float(number.replace(",", "."))


def _deck(data) -> Presentation:
    return Presentation(io.BytesIO(render_slides_pptx(data)))


def _charts(slide) -> list:
    return [shape for shape in slide.shapes if shape.has_chart]


def _labels(chart) -> list[str]:
    return [point.data_label.text_frame.text for series in chart.plots[0].series
            for point in series.points]


def _texts(slide) -> list[str]:
    """Every text a reader sees: text boxes, table cells and chart categories and labels."""
    texts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            texts.append(shape.text_frame.text)
        elif shape.has_table:
            texts += [cell.text for row in shape.table.rows for cell in row.cells]
        elif shape.has_chart:
            texts += [str(name) for name in shape.chart.plots[0].categories]
            texts += _labels(shape.chart)
    return texts


@pytest.fixture(scope="module")
def report():
    report_input, data = cached_report()
    return report_input, data, _deck(data)


def test_sixteen_by_nine_and_one_slide_per_question(report):
    _, data, deck = report
    assert deck.slide_width * 9 == deck.slide_height * 16
    assert deck.slide_width == Emu(12192000)
    assert len(deck.slides) == 3 + len(slide_questions(data))


def test_every_slide_has_its_title_in_the_title_placeholder_first(report):
    _, data, deck = report
    slides = list(deck.slides)
    titles = [slide.shapes.title.text_frame.text for slide in slides]
    assert titles[0] == data.title
    assert titles[1] == FINDINGS_TITLE and titles[-1] == METHOD_TITLE
    for slide, result in zip(slides[2:-1], slide_questions(data), strict=True):
        assert slide.shapes.title.text_frame.text == result.headline
        assert f"Vraag {result.question.number}. {result.question.text}" in _texts(slide)
    for slide in slides:  # reading order: the title comes first
        assert slide.shapes[0].is_placeholder and slide.shapes[0] == slide.shapes.title


def test_findings_method_and_footer_texts(report):
    _, data, deck = report
    slides = list(deck.slides)
    assert slides[1].placeholders[1].text_frame.text.split("\n") == data.key_findings
    method = slides[-1].placeholders[1].text_frame.text
    assert data.method.sampling in method and "95 %-interval" in method
    for slide in slides[1:]:
        assert any(f"{data.title} · 04-05-2026 · Bron: Stadspanel" == text
                   for text in _texts(slide))


def test_chart_holds_the_estimates_and_their_intervals(report):
    report_input, data, deck = report
    slide = list(deck.slides)[2]  # question 1, single choice
    (frame,) = _charts(slide)
    chart = frame.chart
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    assert chart.part.chart_workbook.xlsx_part is not None  # editable data inside
    expected = weighted_proportions(report_input.responses, "v1", report_input.weights,
                                    design=report_input.design)
    assert list(chart.plots[0].categories) == ["Ja", "Nee", "Soms"]
    values = chart.plots[0].series[0].values
    assert values == pytest.approx(list(100 * expected["proportion"]), abs=1e-9)
    for label, row in zip(_labels(chart), expected.itertuples(), strict=True):
        match = LABEL.match(label)
        assert match, label
        assert _parse(match["share"]) == pytest.approx(100 * row.proportion, abs=0.05)
        assert _parse(match["low"]) == pytest.approx(100 * row.ci_low, abs=0.05)
        assert _parse(match["high"]) == pytest.approx(100 * row.ci_high, abs=0.05)
    note = (f"Gewogen percentages met 95 %-interval (de lijn rond elk resultaat). "
            f"n = {expected['n_answered'].iloc[0]} (ongewogen aantal antwoorden).")
    assert note in _texts(slide)


def test_every_kind_of_question_gets_its_chart_or_table(report):
    _, data, deck = report
    for slide, result in zip(list(deck.slides)[2:-1], slide_questions(data), strict=True):
        charts = _charts(slide)
        if result.kind == "text":
            assert not charts and any(shape.has_table for shape in slide.shapes)
            continue
        (frame,) = charts
        values = [value for series in frame.chart.plots[0].series for value in series.values]
        if result.kind == "items":  # series per option, one category per item
            assert frame.chart.chart_type == XL_CHART_TYPE.BAR_STACKED_100
            table, items = result.table, list(dict.fromkeys(result.table["variable"]))
            expected = [100 * float(table.loc[(table["variable"] == item)
                                              & (table["value"] == value), "estimate"].iloc[0])
                        for value, _ in result.question.options for item in items]
            assert values == pytest.approx(expected, abs=1e-9)
            assert any(re.fullmatch(r"\d+,\d–\d+,\d %", text.split("\n")[-1])
                       for text in _texts(slide))
        elif result.kind == "mean":
            assert values[0] == pytest.approx(result.table["estimate"].iloc[0])
            assert all(MEAN_LABEL.match(label) for label in _labels(frame.chart))
        else:
            assert values == pytest.approx(list(100 * result.table["estimate"]), abs=1e-9)


def test_charts_have_alternative_text_with_the_numbers(report):
    _, data, deck = report
    for slide, result in zip(list(deck.slides)[2:-1], slide_questions(data), strict=True):
        for frame in _charts(slide):
            description = frame._element.nvGraphicFramePr.cNvPr.get("descr")
            assert f"vraag {result.question.number}" in description
            assert "95 %-interval" in description
            assert re.search(r"\d+,\d–\d+,\d", description)


def test_dutch_language_and_metadata(report):
    _, data, deck = report
    assert deck.core_properties.language == "nl-BE"
    assert deck.core_properties.author == data.author
    assert data.title in deck.core_properties.title
    runs = [run for slide in deck.slides for shape in slide.shapes if shape.has_text_frame
            for paragraph in shape.text_frame.paragraphs for run in paragraph.runs]
    assert runs and all(run.font._rPr.get("lang") == "nl-BE" for run in runs)


def _small_group_deck():
    """Age band 18-24 has 4 respondents; age is the first breakdown, so the mean chart of
    question 4 would show it; question 1 has only 6 answers in total."""
    report_input = small_group_input(4)
    breakdowns = report_input.breakdowns
    report_input.breakdowns = [breakdowns[1], breakdowns[0], breakdowns[2]]
    answers = report_input.responses["v1"].astype(float)
    answers.iloc[6:] = np.nan
    report_input.responses = report_input.responses.assign(v1=answers)
    data = build_report_data(report_input)
    return data, _deck(data)


def test_suppressed_cells_are_absent_from_charts_and_texts():
    data, deck = _small_group_deck()
    slides = list(deck.slides)
    mean_slide = next(slide for slide, result in zip(slides[2:-1], slide_questions(data),
                                                     strict=True) if result.kind == "mean")
    (frame,) = _charts(mean_slide)
    categories = list(frame.chart.plots[0].categories)
    assert categories[0].startswith("Totaal") and len(categories) == 7
    assert not any("18-24" in name for name in categories)
    assert len(frame.chart.plots[0].series[0].values) == 7
    mentions = [line for text in _texts(mean_slide) for line in text.split("\n")
                if "18-24" in line]
    assert mentions == ["Niet getoond: 18-24 — te weinig antwoorden (minder dan 10)."]
    first = slides[2]  # question 1: every cell suppressed, so no chart and no number
    assert not _charts(first)
    assert not any(re.search(r"\d+,\d", text) for text in _texts(first))
    assert "Niet getoond: Ja, Nee, Soms — te weinig antwoorden (minder dan 10)." in _texts(first)
