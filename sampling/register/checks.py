"""Row checks of one chunk of register data, column by column (vectorised).

Problems are collected as small DataFrames with columns ``line, column, value, message,
severity``; only offending rows are ever turned into Python objects.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from sampling.register.headers import DUTCH_NAMES, REQUIRED_COLUMNS
from sampling.register.values import (
    compact_national_numbers,
    mask_national_number,
    normalise_postcodes,
    normalise_sex,
    parse_birth_dates,
    valid_national_numbers,
)

PROBLEM_COLUMNS = ["line", "column", "value", "message", "severity"]


def problems(frame, mask, column, values, message, severity, *, conceal=False) -> pd.DataFrame:
    """Problem rows for ``frame[mask]``; ``message`` is a string or a Series of strings.

    ``conceal`` masks the values as national numbers (only the offending rows are touched).
    """
    mask = np.asarray(mask, dtype=bool)
    count = int(mask.sum())
    if isinstance(message, pd.Series):
        message = message[mask].to_numpy(dtype=object)
    if values is None:
        shown = [None] * count
    else:
        shown = values[mask].to_numpy(dtype=object)
        shown = [mask_national_number(value) for value in shown] if conceal else shown
    return pd.DataFrame({
        "line": frame["line"].to_numpy()[mask],
        "column": [column] * count,
        "value": shown,
        "message": np.broadcast_to(np.asarray(message, dtype=object), (count,)),
        "severity": [severity] * count,
    })


def check_rows(frame: pd.DataFrame, reference_date: dt.date) -> tuple:
    """Normalise ``frame`` (stripped text) in place; return ``(frame, problems, error mask)``."""
    found: list[pd.DataFrame] = []
    blank = {column: frame[column].to_numpy(dtype=object) == "" for column in REQUIRED_COLUMNS}
    for column in REQUIRED_COLUMNS:
        if column == "sex":  # a blank sex is legal and means unknown
            continue
        found.append(problems(frame, blank[column], column, frame[column],
                              f"Verplicht veld '{DUTCH_NAMES[column]}' is leeg.", "error"))
    _check_national_numbers(frame, ~blank["national_number"], found)
    _check_birth_dates(frame, reference_date, found)
    _check_sex_and_postcode(frame, ~blank["postcode"], found)
    error_lines = [part.loc[part["severity"] == "error", "line"] for part in found if len(part)]
    rejected = frame["line"].isin(np.concatenate(error_lines) if error_lines else [])
    return frame, found, rejected


def _check_national_numbers(frame: pd.DataFrame, present: pd.Series, found: list) -> None:
    raw = frame["national_number"]
    compact = compact_national_numbers(raw)
    year = dt.date.today().year
    valid = valid_national_numbers(compact, current_year=year)
    invalid = present & ~valid.to_numpy()
    repaired = np.zeros(len(frame), dtype=bool)
    padded = compact
    if invalid.any():
        ten = invalid & (compact.str.len() == 10).to_numpy() & compact.str.isdigit().to_numpy()
        padded = ("0" + compact).where(ten, compact)
        repaired = ten & valid_national_numbers(padded, current_year=year).to_numpy()
        invalid &= ~repaired
    shaped = compact.str.len().isin([10, 11]) & compact.str.isdigit()
    message = pd.Series(np.where(
        shaped.to_numpy(dtype=bool), "Ongeldig rijksregisternummer: het controlegetal klopt niet.",
        "Ongeldig rijksregisternummer: het moet uit 11 cijfers bestaan."), index=frame.index)
    found.append(problems(frame, invalid, "national_number", raw, message, "error", conceal=True))
    found.append(problems(
        frame, repaired, "national_number", raw,
        "Rijksregisternummer had 10 cijfers (de voorloopnul viel weg, bv. door Excel); "
        "een 0 is vooraan toegevoegd.", "warning", conceal=True))
    frame["national_number"] = padded


def _check_birth_dates(frame: pd.DataFrame, reference_date: dt.date, found: list) -> None:
    raw = frame["birth_date"]
    dates, notes = parse_birth_dates(raw, reference_date)
    texts = notes.to_numpy(dtype=object)
    noted = np.flatnonzero((texts != "") & (raw.to_numpy(dtype=object) != ""))
    severities = np.full(len(texts), "", dtype=object)
    for position in noted:
        severities[position], texts[position] = texts[position].split(":", 1)
    messages = pd.Series(texts, index=frame.index)
    for severity in ("error", "warning"):
        found.append(problems(frame, severities == severity, "birth_date", raw, messages,
                              severity))
    frame["birth_date"] = dates


def _check_sex_and_postcode(frame: pd.DataFrame, postcode_present: pd.Series, found: list):
    raw_sex = frame["sex"]
    codes, unknown = normalise_sex(raw_sex)
    found.append(problems(frame, unknown, "sex", raw_sex,
                          "Onbekende waarde voor geslacht; 'onbekend' (U) gebruikt.", "warning"))
    unstated = raw_sex.str.casefold().isin(["x", ""]).to_numpy(dtype=bool)
    found.append(problems(frame, unstated, "sex", raw_sex,
                          "Geslacht is X of leeg: geteld als 'onbekend' (U). Controleer bij de "
                          "bevolkingsdienst of het geslacht gekend is.", "warning"))
    frame["sex"] = codes
    raw_postcode = frame["postcode"]
    postcodes, repaired, invalid = normalise_postcodes(raw_postcode)
    found.append(problems(frame, repaired, "postcode", raw_postcode,
                          "Postcode hersteld naar 4 cijfers.", "warning"))
    found.append(problems(frame, invalid & postcode_present, "postcode", raw_postcode,
                          "Ongeldige postcode: een Belgische postcode heeft 4 cijfers.", "error"))
    frame["postcode"] = postcodes
