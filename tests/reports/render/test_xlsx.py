"""XLSX and CSV exports: values, formula-injection neutralising, typed numbers, privacy."""

import csv
import io

import openpyxl
import pandas as pd
import pytest

from reports.content.data import QuestionInfo, build_report_data
from reports.errors import ReportsError
from reports.estimates import weighted_proportions
from reports.render.xlsx import render_xlsx
from reports.safe import neutralise_cell, write_csv
from tests.reports.synthetic import cached_report, small_group_input

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _hostile_input():
    report_input = small_group_input(4)
    report_input.title = "=HYPERLINK(\"http://evil\")"
    report_input.questions[0] = QuestionInfo(
        "v1", "1", "+SUM(A1:A9)", "single", [(1, "@cmd"), (2, "-2+3"), (3, "\tTab")])
    ids = report_input.responses["respondent_id"].copy()
    ids.iloc[0] = "=1+1"
    report_input.responses = report_input.responses.assign(respondent_id=ids)
    report_input.breakdowns = [("sex", "=Geslacht")]
    return report_input


@pytest.fixture(scope="module")
def workbook():
    _, data = cached_report()
    return data, openpyxl.load_workbook(io.BytesIO(render_xlsx(data)))


def test_sheets_and_table_values_equal_estimates(workbook):
    data, book = workbook
    assert book.sheetnames == ["Overzicht", "Tabellen", "Codeboek", "Data"]
    report_input, _ = cached_report()
    expected = weighted_proportions(report_input.responses, "v1", report_input.weights,
                                    design=report_input.design)
    rows = [row for row in book["Tabellen"].iter_rows(min_row=2, values_only=True)
            if row[1] == "v1" and row[3] == "Totaal"]
    assert [row[7] for row in rows] == pytest.approx(expected["proportion"].tolist(), rel=1e-12)
    assert [row[8] for row in rows] == pytest.approx(expected["ci_low"].tolist(), rel=1e-12)
    assert [row[10] for row in rows] == expected["n_answered"].tolist()
    assert book["Tabellen"].cell(row=2, column=8).number_format == "0.0%"


def test_data_sheet_is_typed_and_pseudonymous(workbook):
    data, book = workbook
    sheet = book["Data"]
    header = [cell.value for cell in sheet[1]]
    assert header[:2] == ["respondent_id", "weight"]
    assert not {"name", "email", "address", "street"} & {str(h).lower() for h in header}
    weights = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(weight, float) for weight in weights)
    assert weights == pytest.approx(data.microdata["weight"].tolist())
    answers = [row[header.index("v1")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(answer, int) for answer in answers)


def test_no_cell_starts_a_formula():
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(build_report_data(_hostile_input()))))
    seen = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(DANGEROUS), cell.value
                    seen.add(cell.value)
    assert {"'=1+1", "'@cmd", "'-2+3", "'\tTab", "'+SUM(A1:A9)", "'=Geslacht"} <= seen


def test_suppressed_cells_are_empty_with_a_note():
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(build_report_data(
        small_group_input(4)))))
    rows = [row for row in book["Tabellen"].iter_rows(min_row=2, values_only=True)
            if row[3] == "18-24"]
    assert rows
    for row in rows:
        assert row[7:12] == (None, None, None, None, None)
        assert row[12] == "te weinig antwoorden (minder dan 10)"


def test_data_sheet_refuses_personal_columns():
    _, data = cached_report()
    leaked = data.microdata.assign(last_name="Peeters")
    with pytest.raises(ReportsError, match="last_name"):
        render_xlsx(type(data)(**{**data.__dict__, "microdata": leaked}))


def test_without_data_there_is_no_data_sheet():
    _, data = cached_report()
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(data, include_data=False)))
    assert "Data" not in book.sheetnames


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-x", "'-x"), ("@a", "'@a"), ("\tt", "'\tt"),
    ("\rr", "'\rr"), ("ok", "ok"), (-3, -3), (1.5, 1.5), ("", "")])
def test_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected


def test_csv_has_bom_semicolons_quoting_and_neutralised_cells():
    frame = pd.DataFrame({"=kop": ["a;b", "=2", 'zei "ja"'], "getal": [1.5, -2.0, None]})
    raw = write_csv(frame)
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows == [["'=kop", "getal"], ["a;b", "1,5"], ["'=2", "-2,0"], ['zei "ja"', ""]]


def test_paper_item_codes_get_their_own_sheet_only_when_there_are_some():
    report_input = small_group_input(4)
    report_input.item_codes = pd.DataFrame(
        [["1", "v1", 2, 0, 1], ["3b", "Q3_b", 0, 4, 0]],
        columns=["question", "variable", "leeg", "onleesbaar", "meerdere aangekruist"])
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(build_report_data(report_input),
                                                         include_data=False)))
    assert book.sheetnames == ["Overzicht", "Tabellen", "Codeboek", "Papier"]
    rows = [row for row in book["Papier"].iter_rows(values_only=True) if any(row)]
    assert rows[2] == ("Vraag", "Variabele", "leeg", "onleesbaar", "meerdere aangekruist")
    assert rows[3:] == [("1", "v1", 2, 0, 1), ("3b", "Q3_b", 0, 4, 0)]
    plain = openpyxl.load_workbook(io.BytesIO(render_xlsx(build_report_data(
        small_group_input(4)), include_data=False)))
    assert "Papier" not in plain.sheetnames
