"""Excel workbook for researchers: overview, weighted tables, codebook and pseudonymised data.

Sheets: "Overzicht" (title, method, notes), "Tabellen" (per question the overall table and
one table per breakdown: share as a number with a % format, 95 % interval, unweighted n,
difference mark; suppressed cells empty with a note), "Codeboek" (variable, label, type, value
labels, missing codes) and, with ``include_data``, "Data" (respondent pseudonym, weight,
breakdowns and answers; never names, addresses or e-mail). Every string cell — headers and
labels included — passes through :func:`reports.safe.neutralise_cell`; numbers stay numbers.
"""

from __future__ import annotations

import io
import math

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from reports.content.data import ReportData
from reports.content.method_text import interval_sentences, weighting_rows
from reports.safe import assert_no_personal_columns, neutralise_cell

__all__ = ["render_xlsx"]

PERCENT = "0.0%"
DECIMAL = "0.00"
BOLD = Font(bold=True)
TABLE_HEADER = ["Vraag", "Variabele", "Uitsplitsing", "Groep", "Item", "Antwoord", "Waarde",
                "Schatting", "95%-interval onder", "95%-interval boven", "n (ongewogen)",
                "Verschil met rest", "Opmerking"]


def _clean(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    return neutralise_cell(value)


def _append(sheet, values, *, bold: bool = False, formats: dict[int, str] | None = None):
    """Append one row to a write-only sheet, with bold and number formats where asked."""
    cells = []
    for column, value in enumerate(values):
        cell = WriteOnlyCell(sheet, _clean(value))
        if bold:
            cell.font = BOLD
        if formats and column in formats and isinstance(cell.value, int | float):
            cell.number_format = formats[column]
        cells.append(cell)
    sheet.append(cells)


def _overview(sheet, data: ReportData) -> None:
    summary, description = data.weighting, data.method.description
    rows = [
        [data.title], [data.subtitle], [f"{data.city}, {data.survey_period}"], [],
        ["Steekproef", data.method.sampling], ["Veldwerk", data.method.fieldwork],
        *weighting_rows(description), ["Respondenten", summary.n],
        ["Design-effect (Kish)", summary.design_effect], ["Effectieve n", summary.effective_n],
        ["Kleinste gewicht", summary.weight_min], ["Grootste gewicht", summary.weight_max], [],
        ["Opmerkingen"],
        ["", f"Lege cellen: {data.suppression_note}."],
        ["", "Percentages zonder 'weet niet'/'geen antwoord'."],
        *[["", sentence] for sentence in interval_sentences(description)],
        ["", "Verschil met rest: +1/−1 = significant hoger/lager dan de andere respondenten "
             "samen (z-toets, p < 0,05, geen correctie voor meervoudig toetsen)."],
    ]
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 90
    _append(sheet, rows[0], bold=True)
    for row in rows[1:]:
        _append(sheet, row, formats={1: DECIMAL})


def _table_rows(data: ReportData):
    labels = dict(data.breakdowns)
    for result in data.questions:
        number = f"{result.question.number}. {result.question.text}"
        tables = [("", result.table)] + [(labels[column], table) for column, table in
                                         result.breakdowns.items()]
        for breakdown, table in tables:
            for row in table.itertuples():
                note = data.suppression_note if row.suppressed else ""
                yield [number, row.variable, breakdown or "Totaal", row.group, row.item,
                       row.label, row.value, row.estimate, row.ci_low, row.ci_high,
                       None if row.suppressed else int(row.n),
                       None if row.suppressed else int(row.mark), note], result.kind


def _tables(sheet, data: ReportData) -> None:
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEF", (40, 12, 14, 14, 18, 22), strict=True):
        sheet.column_dimensions[letter].width = width
    _append(sheet, TABLE_HEADER, bold=True)
    for values, kind in _table_rows(data):
        number_format = DECIMAL if kind == "mean" else PERCENT
        _append(sheet, values, formats={7: number_format, 8: number_format, 9: number_format})


def _codebook(sheet, data: ReportData) -> None:
    sheet.column_dimensions["C"].width = 60
    sheet.column_dimensions["E"].width = 60
    _append(sheet, ["Variabele", "Vraag", "Label", "Type", "Waardelabels", "Ontbrekend"],
            bold=True)
    _append(sheet, ["respondent_id", "", "Pseudoniem van de respondent", "tekst", "", ""])
    _append(sheet, ["weight", "", "Gewicht", "getal", "", ""])
    for result in data.questions:
        question = result.question
        values = "; ".join(f"{value} = {label}" for value, label in question.options)
        missing = "; ".join(f"{value} = {label}" for value, label in question.missing)
        for column, item in question.variables():
            label = f"{question.text} — {item}" if item else question.text
            if question.type == "multiple":
                values = "0 = niet gekozen; 1 = gekozen"
            _append(sheet, [column, question.number, label, question.type, values, missing])


def _paper_codes(sheet, codes: pd.DataFrame) -> None:
    sheet.column_dimensions["A"].width = 10
    _append(sheet, ["Papieren vragenlijsten: antwoorden die niet gelezen konden worden"],
            bold=True)
    _append(sheet, ["Bij de invoer gecodeerd; in de gegevens staan ze als ontbrekend."])
    _append(sheet, [])
    _append(sheet, ["Vraag", "Variabele", *[str(name) for name in codes.columns[2:]]], bold=True)
    for row in codes.itertuples(index=False, name=None):
        _append(sheet, list(row))


def _data(sheet, frame: pd.DataFrame) -> None:
    sheet.freeze_panes = "B2"
    _append(sheet, list(frame.columns), bold=True)
    for row in frame.itertuples(index=False, name=None):
        sheet.append([_clean(value) for value in row])


def render_xlsx(data: ReportData, *, include_data: bool = True) -> bytes:
    """Render the researcher workbook as XLSX bytes.

    Raises
    ------
    ReportsError
        When the microdata contain a column that looks like personal data.

    References
    ----------
    OWASP. CSV Injection. https://owasp.org/www-community/attacks/CSV_Injection
    """
    if include_data:
        assert_no_personal_columns(data.microdata)  # before any write-only sheet exists
    workbook = Workbook(write_only=True)
    _overview(workbook.create_sheet("Overzicht"), data)
    _tables(workbook.create_sheet("Tabellen"), data)
    _codebook(workbook.create_sheet("Codeboek"), data)
    if not data.item_codes.empty:
        _paper_codes(workbook.create_sheet("Papier"), data.item_codes)
    if include_data:
        _data(workbook.create_sheet("Data"), data.microdata)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
