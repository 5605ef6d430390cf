"""An uploaded list of candidates (CSV or XLSX), checked row by row before anything is added.

Columns: ``rijksregisternummer`` (required; the person must be in the register, which gives
age band, sex and district), one column per self-reported feature of the jury (its key or
label; a value from the jury's list, empty = onbekend) and optionally ``beschikbaarheid``.
The list is added whole or not at all: every error is listed, in Dutch, with its row number.
"""

import io

import pandas as pd
import sqlalchemy as sa
from flask import current_app

from app import audit
from app.extensions import db
from app.juries.services import UNKNOWN, JuryError, add_candidate
from app.models import Jury, Resident
from sampling.register.keys import person_keys
from sampling.register.values import compact_national_numbers, valid_national_numbers

NATIONAL_NUMBER = "rijksregisternummer"
AVAILABILITY = "beschikbaarheid"
MAX_ROWS = 5000


class UploadError(JuryError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("De lijst is niet toegevoegd: " + "; ".join(errors[:20])
                         + (f" (en nog {len(errors) - 20})" if len(errors) > 20 else ""))
        self.errors = errors


def read_table(data: bytes, filename: str) -> pd.DataFrame:
    try:
        if filename.lower().endswith(".xlsx"):
            frame = pd.read_excel(io.BytesIO(data), dtype=str, engine="openpyxl")
        else:
            text = data.decode("utf-8-sig")
            frame = pd.read_csv(io.StringIO(text), sep=None, engine="python", dtype=str,
                                keep_default_na=False)
    except UnicodeDecodeError as error:
        raise JuryError("Het bestand is geen UTF-8-tekst; bewaar het als CSV (UTF-8) of "
                        "XLSX.") from error
    except (ValueError, OSError, KeyError) as error:
        raise JuryError("Het bestand kan niet gelezen worden als CSV of XLSX.") from error
    frame = frame.fillna("")
    frame.columns = [str(column).strip().lower() for column in frame.columns]
    if NATIONAL_NUMBER not in frame.columns:
        raise JuryError(f"De kolom '{NATIONAL_NUMBER}' ontbreekt.")
    if len(frame) > MAX_ROWS:
        raise JuryError(f"Hoogstens {MAX_ROWS} rijen per lijst.")
    return frame


def _feature_columns(jury: Jury, frame: pd.DataFrame) -> dict[str, str]:
    found = {}
    for item in jury.self_features:
        for name in (item["key"], item["label"].strip().lower()):
            if name in frame.columns:
                found[item["key"]] = name
    return found


def _row_errors(jury: Jury, row: pd.Series, columns: dict[str, str], resident) -> list[str]:
    errors = []
    if resident is None:
        errors.append("niet gevonden in het bevolkingsregister")
    for item in jury.self_features:
        value = str(row.get(columns.get(item["key"], ""), "")).strip()
        if value and value not in item["options"]:
            errors.append(f"{item['label']} '{value}' is geen van: {', '.join(item['options'])}")
    return errors


def import_list(jury: Jury, data: bytes, filename: str) -> int:
    """Add every row as a candidate, or raise ``UploadError`` and add none."""
    frame = read_table(data, filename)
    digits = compact_national_numbers(frame[NATIONAL_NUMBER].astype(str))
    valid = valid_national_numbers(digits, current_year=pd.Timestamp.today().year)
    secret = current_app.config["PERSON_KEY_SECRET"].encode()
    keyed = person_keys(digits.where(valid, "00000000000"), secret)
    residents = {resident.person_key: resident for resident in db.session.scalars(
        sa.select(Resident).where(Resident.person_key.in_(list(keyed[valid]))))}
    columns, errors, rows = _feature_columns(jury, frame), [], []
    for position, (_, row) in enumerate(frame.iterrows()):
        number = position + 2  # the header is row 1
        if not valid.iloc[position]:
            errors.append(f"rij {number}: geen geldig rijksregisternummer")
            continue
        resident = residents.get(keyed.iloc[position])
        problems = _row_errors(jury, row, columns, resident)
        errors += [f"rij {number}: {problem}" for problem in problems]
        if not problems:
            rows.append((number, row, resident))
    errors += _add_rows(jury, rows, columns) if not errors else []
    if errors:
        raise UploadError(errors)
    audit.record("jury_pool_uploaded", jury, details={"rows": len(rows)})
    return len(rows)


def _add_rows(jury: Jury, rows, columns: dict[str, str]) -> list[str]:
    errors = []
    for number, row, resident in rows:
        answers = {key: str(row.get(column, "")).strip() or UNKNOWN
                   for key, column in columns.items()}
        try:
            add_candidate(jury, resident, source="upload", answers=answers,
                          availability=str(row.get(AVAILABILITY, "")))
        except JuryError as error:
            errors.append(f"rij {number}: {error}")
    return errors
