"""Council PDF and slides read back: texts, printed numbers, suppression, metadata, pages."""

import io
import re

import pdfplumber
import pytest
from pypdf import PdfReader

from reports.content.data import build_report_data
from reports.estimates import weighted_proportions
from reports.render.pdf import render_report_pdf
from reports.render.slides import render_slides_pdf, slide_questions
from tests.reports.synthetic import cached_report, small_group_input

ROW = re.compile(r"^(?P<label>.+?) (?P<share>\d+,\d) % (?P<low>\d+,\d)–(?P<high>\d+,\d) % "
                 r"(?P<n>\d+)$")


def _parse(number: str) -> float:
    return float(number.replace(",", "."))


def _pages(pdf_bytes: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


@pytest.fixture(scope="module")
def report():
    report_input, data = cached_report()
    return report_input, data, render_report_pdf(data)


def test_every_question_text_appears(report):
    _, data, pdf = report
    text = " ".join(" ".join(_pages(pdf)).split())
    for result in data.questions:
        assert result.question.text in text


def test_printed_percentages_equal_the_estimates(report):
    report_input, _, pdf = report
    expected = weighted_proportions(report_input.responses, "v1", report_input.weights,
                                    design=report_input.design)
    lines = [line for page in _pages(pdf) for line in page.splitlines()]
    printed = {}
    for line in lines:  # question 1 is the first table with these labels
        if match := ROW.match(line):
            printed.setdefault(match["label"], match)
    for row in expected.itertuples():
        label = {1: "Ja", 2: "Nee", 3: "Soms"}[row.category]
        found = printed[label]
        assert _parse(found["share"]) == pytest.approx(100 * row.proportion, abs=0.05)
        assert _parse(found["low"]) == pytest.approx(100 * row.ci_low, abs=0.05)
        assert _parse(found["high"]) == pytest.approx(100 * row.ci_high, abs=0.05)
        assert int(found["n"]) == row.n_answered


def test_suppressed_cells_print_no_number():
    data = build_report_data(small_group_input(4))
    lines = [line for page in _pages(render_report_pdf(data)) for line in page.splitlines()]
    small = [line for line in lines if line.startswith("18-24 ")]
    assert small, "the small group must still be listed"
    for line in small:
        assert not re.search(r"\d", line.removeprefix("18-24")), line
    assert any("te weinig antwoorden (minder dan 10)" in line for line in lines)


def test_metadata_and_language(report):
    _, data, pdf = report
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == data.title
    assert reader.metadata.author == data.author
    assert data.city in reader.metadata.subject
    assert reader.trailer["/Root"]["/Lang"] == "nl-BE"


def test_marks_legend_and_page_numbers(report):
    _, _, pdf = report
    pages = _pages(pdf)
    text = "\n".join(pages)
    assert "▲" in text or "▼" in text
    assert "significant hoger / lager" in text
    assert f"pagina {len(pages)}" in pages[-1]
    assert "Rapport voor de gemeenteraad" in pages[0]


def test_user_text_is_escaped():
    report_input = small_group_input()
    question = report_input.questions[0]
    report_input.questions[0] = type(question)(
        question.code, question.number, "Wat vindt u van <b>A & B</b>?", question.type,
        [(1, "Ja <script>"), (2, "Nee"), (3, "Soms")])
    text = " ".join(_pages(render_report_pdf(build_report_data(report_input))))
    assert "Wat vindt u van <b>A & B</b>?" in " ".join(text.split())
    assert "Ja <script>" in text


def test_slides_one_landscape_page_per_finding(report):
    _, data, _ = report
    pdf = render_slides_pdf(data)
    reader = PdfReader(io.BytesIO(pdf))
    questions = slide_questions(data)
    assert len(reader.pages) == len(questions) + 3
    for page in reader.pages:
        assert float(page.mediabox.width) > float(page.mediabox.height)
    pages = _pages(pdf)
    for offset, result in enumerate(questions, start=2):
        assert " ".join(result.headline.split()[:3]) in " ".join(pages[offset].split())
    assert reader.trailer["/Root"]["/Lang"] == "nl-BE"
