"""Safe exports: spreadsheet formula-injection neutralising, CSV, personal columns, PII masking.

Every exporter (CSV, XLSX, SPSS labels) passes its strings through :func:`neutralise_cell`:
a string starting with ``=``, ``+``, ``-``, ``@``, a TAB or a CR gets a leading ``'`` so that
spreadsheet programs show it as text instead of evaluating it. Numbers stay numbers.
Open answers are passed through :func:`mask_pii` before they are quoted or exported.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable

import pandas as pd

from reports.errors import ReportsError

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PERSONAL_TOKENS = frozenset({
    "name", "naam", "voornaam", "achternaam", "familienaam", "address", "adres", "email",
    "mail", "street", "straat", "phone", "telefoon", "gsm", "rijksregisternummer", "iban",
})
PERSONAL_PHRASES = ("first_name", "last_name", "person_key", "national_number", "e_mail",
                    "rijksregister", "house_number", "huisnummer")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b")
_NATIONAL_NUMBER = re.compile(r"(?<![\d+])\d{2}[.\- ]?\d{2}[.\- ]?\d{2}[.\- ]?\d{3}[.\- ]?\d{2}"
                              r"(?![\d])")
_PHONE = re.compile(r"(?<![\w+])(?:\+32[ ./-]?|0032[ ./-]?|0)\(?\d{1,3}\)?(?:[ ./-]?\d{2,3}){3}"
                    r"(?!\d)")
_NAME_WORD = r"[A-ZÀ-Ý][a-zà-ÿ'’-]+"
_NAME = re.compile(
    r"(?i:\b(ik ben|mijn naam is|meneer|mevrouw|mijnheer|dhr\.?|mevr\.?))"
    rf"(\s+){_NAME_WORD}(?:\s+(?:(?:van|de|der|den|ter|ten|vander|vanden)\s+)*{_NAME_WORD})*")


def neutralise_cell(value: object) -> object:
    """Return ``value`` with a leading ``'`` when it is a string a spreadsheet would evaluate.

    Strings starting with ``=``, ``+``, ``-``, ``@``, TAB or CR are prefixed; numbers, dates and
    other strings are returned unchanged.

    References
    ----------
    OWASP. CSV Injection. https://owasp.org/www-community/attacks/CSV_Injection
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_value(value: object, decimal: str) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return repr(value).replace(".", decimal)
    return neutralise_cell(value if isinstance(value, int | str) else str(value))


def write_csv(frame: pd.DataFrame, *, decimal: str = ",") -> bytes:
    """CSV for spreadsheets used in Flanders: UTF-8 with BOM, ``;`` separated, RFC 4180 quoting.

    Headers and string cells are neutralised against formula injection; numbers are written
    with ``decimal`` as the decimal separator; missing values are empty fields.

    References
    ----------
    Shafranovich, Y. (2005). RFC 4180: Common Format and MIME Type for Comma-Separated Values.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([neutralise_cell(str(column)) for column in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        writer.writerow([_csv_value(value, decimal) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def personal_columns(columns: Iterable[object]) -> list[str]:
    """Columns whose name suggests personal data (name, address, e-mail, register keys)."""
    found = []
    for column in columns:
        normal = re.sub(r"[^a-z0-9]+", "_", str(column).lower()).strip("_")
        tokens = set(normal.split("_"))
        if tokens & PERSONAL_TOKENS or any(phrase in normal for phrase in PERSONAL_PHRASES):
            found.append(str(column))
    return found


def assert_no_personal_columns(frame: pd.DataFrame) -> None:
    """Raise :class:`ReportsError` when ``frame`` has a column that looks like personal data."""
    found = personal_columns(frame.columns)
    if found:
        raise ReportsError(
            "Analysegegevens mogen geen persoonsgegevens bevatten; verwijder de kolommen: "
            + ", ".join(found) + ".")


def mask_pii(text: str) -> str:
    """Mask e-mail addresses, phone numbers, IBANs, national numbers and introduced names.

    E-mail → ``[e-mail]``; IBAN → ``[rekeningnummer]``; 11-digit national numbers (with or
    without dots and dashes) → ``[rijksregisternummer]``; Belgian phone numbers (``0470 12 34
    56``, ``+32 470 12 34 56``, ``02/123.45.67``) → ``[telefoon]``; a capitalised name after
    "ik ben", "mijn naam is", "meneer", "mevrouw" or "mijnheer" → ``[naam]``.

    References
    ----------
    Belgian numbering plan: BIPT, Nummeringsplan (national significant numbers of 8 or 9 digits
    after the trunk prefix 0 or the country code +32).
    """
    masked = _EMAIL.sub("[e-mail]", str(text))
    masked = _IBAN.sub("[rekeningnummer]", masked)
    masked = _NATIONAL_NUMBER.sub("[rijksregisternummer]", masked)
    masked = _PHONE.sub("[telefoon]", masked)
    return _NAME.sub(lambda match: f"{match.group(1)}{match.group(2)}[naam]", masked)
