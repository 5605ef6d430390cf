"""The council PDF at the edge (issue 16): a question everyone answered the same way.

Before, 100 % and 0 % were printed with an interval of width zero ("0,0–0,0 %"). The
reference is Clopper–Pearson's closed form at 0 and n successes, with the Kish effective n of
the (raked) weights, which is what Korn–Graubard gives when the variance estimate is 0.
"""

import io
import re

import pdfplumber
import pytest

from reports.content.data import build_report_data
from reports.intervals import interval_rule_text
from reports.render.pdf import render_report_pdf
from tests.reports.synthetic import make_report_input

ROW = re.compile(r"^(?P<label>Ja|Nee|Soms) (?P<share>\d+,\d) % (?P<low>\d+,\d)–(?P<high>\d+,\d) % "
                 r"(?P<n>\d+)$")


def _number(text: str) -> float:
    return float(text.replace(",", "."))


@pytest.fixture(scope="module")
def unanimous():
    report_input = make_report_input(300, 6, seed=0)
    report_input.responses = report_input.responses.assign(v1=1)  # everyone: "Ja"
    data = build_report_data(report_input)
    with pdfplumber.open(io.BytesIO(render_report_pdf(data))) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    return report_input, pages


def test_unanimous_answers_print_a_non_degenerate_interval(unanimous):
    report_input, pages = unanimous
    printed = {}
    for line in (line for page in pages for line in page.splitlines()):
        if match := ROW.match(line):
            printed.setdefault(match["label"], match)  # question 1 is the first such table
    weights = report_input.weights
    kish = weights.sum() ** 2 / (weights**2).sum()
    edge = 100 * 0.025 ** (1 / kish)
    assert _number(printed["Ja"]["share"]) == 100.0
    assert _number(printed["Ja"]["low"]) == pytest.approx(edge, abs=0.05)
    assert _number(printed["Ja"]["low"]) < 99.5
    assert _number(printed["Ja"]["high"]) == 100.0
    for label in ("Nee", "Soms"):
        assert _number(printed[label]["share"]) == 0.0
        assert _number(printed[label]["low"]) == 0.0
        assert _number(printed[label]["high"]) == pytest.approx(100 - edge, abs=0.05)
        assert _number(printed[label]["high"]) > 0.5


def test_method_page_explains_how_such_intervals_are_computed(unanimous):
    _, pages = unanimous
    method = next(page for page in pages if "Foutenmarge" in page)
    flat = " ".join(method.split())
    assert " ".join(interval_rule_text().split()) in flat
