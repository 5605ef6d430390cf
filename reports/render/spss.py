"""SPSS ``.sav`` export of the pseudonymised microdata, with labels and user-missing values.

The file holds one row per respondent: ``respondent_id`` (pseudonym), ``weight``, the
breakdown columns and every analysis variable (open answers masked with
:func:`reports.safe.mask_pii`). It is respondent-level data meant for researchers only;
small-cell suppression applies to tables, not to microdata, so the caller must restrict
access. Variable labels are the question texts (with the matrix item or option), shortened
at a word boundary to :data:`LABEL_LENGTH` characters; value labels are the options and the
missing codes; the missing codes are declared user-missing (SPSS allows at most three discrete
values, or one range, per variable). String cells and labels are neutralised against
spreadsheet formula injection.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pandas as pd
import pyreadstat

from reports.content.data import QuestionInfo, ReportData
from reports.errors import ReportsError
from reports.safe import assert_no_personal_columns, neutralise_cell

__all__ = ["LABEL_LENGTH", "render_sav", "spss_name"]

LABEL_LENGTH = 250
CHOSEN_LABELS = {0: "niet gekozen", 1: "gekozen"}


def spss_name(column: str) -> str:
    """A valid SPSS variable name: letters, digits and ``_``, starting with a letter."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", str(column))
    if not name or not name[0].isalpha():
        name = "v" + name
    return name[:64]


def shorten(label: str, length: int = LABEL_LENGTH) -> str:
    """Cut ``label`` at a word boundary so that it fits ``length`` characters."""
    label = " ".join(str(label).split())
    if len(label) <= length:
        return label
    cut = label[: length - 1].rsplit(" ", 1)[0]
    return cut + "…"


def _numeric_codes(question: QuestionInfo) -> bool:
    values = [value for value, _ in question.options + question.missing]
    return all(isinstance(value, int | float) and not isinstance(value, bool) for value in values)


def _missing_ranges(question: QuestionInfo, column: str):
    codes = sorted(value for value, _ in question.missing)
    if len(codes) <= 3:
        return codes
    inside = [value for value, _ in question.options if codes[0] <= value <= codes[-1]]
    if inside:
        raise ReportsError(f"Variabele {column}: SPSS kent hoogstens drie ontbrekende codes of "
                           "één bereik zonder geldige antwoorden erin.")
    return [{"lo": codes[0], "hi": codes[-1]}]


def _metadata(data: ReportData):
    labels = {"respondent_id": "Pseudoniem van de respondent", "weight": "Gewicht"}
    labels |= {column: label for column, label in data.breakdowns}
    value_labels, missing = {}, {}
    for result in data.questions:
        question = result.question
        numeric = question.type in ("multiple", "number") or _numeric_codes(question)
        for column, item in question.variables():
            text = f"{question.number}. {question.text}" + (f" — {item}" if item else "")
            labels[column] = shorten(text)
            if question.type == "multiple":
                value_labels[column] = dict(CHOSEN_LABELS)
            elif question.options and numeric:
                value_labels[column] = dict(question.options + question.missing)
            if question.missing and numeric:
                missing[column] = _missing_ranges(question, column)
    return labels, value_labels, missing


def _frame(data: ReportData) -> pd.DataFrame:
    frame = data.microdata.copy()
    assert_no_personal_columns(frame)
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].map(
                lambda value: value if pd.isna(value) else neutralise_cell(str(value))
            ).astype(object)
        elif isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype(object)
    return frame


def _rename(mapping: dict, names: dict) -> dict:
    return {names[column]: value for column, value in mapping.items() if column in names}


def render_sav(data: ReportData) -> bytes:
    """Write the microdata as an SPSS ``.sav`` file and return its bytes.

    References
    ----------
    IBM SPSS Statistics Command Syntax Reference: MISSING VALUES, VALUE LABELS, WEIGHT.
    pyreadstat ``write_sav``.
    """
    frame = _frame(data)
    names = {column: spss_name(column) for column in frame.columns}
    if len(set(names.values())) != len(names):
        raise ReportsError("Twee variabelen krijgen in SPSS dezelfde naam.")
    labels, value_labels, missing = _metadata(data)
    labels = {column: neutralise_cell(label) for column, label in labels.items()}
    value_labels = {column: {value: neutralise_cell(label) for value, label in pairs.items()}
                    for column, pairs in value_labels.items()}
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "data.sav"
        pyreadstat.write_sav(
            frame.rename(columns=names), str(path),
            column_labels=_rename(labels, names),
            variable_value_labels=_rename(value_labels, names),
            missing_ranges=_rename(missing, names))
        return path.read_bytes()
