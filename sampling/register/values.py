"""Vectorised checks and repairs of register values (national number, dates, sex, postcode)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

DEFAULT_AGE_BANDS: tuple[tuple[int, int | None], ...] = (
    (18, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 74), (75, None),
)
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_SEPARATORS = re.compile(r"[\s.\-/]")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_YEAR_FIRST = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_SERIAL = re.compile(r"^(\d{1,5})(?:\.0+)?$")
_SEX_CODES = {
    "m": "M", "man": "M", "male": "M", "homme": "M", "h": "M", "mannelijk": "M", "masculin": "M",
    "v": "F", "f": "F", "vrouw": "F", "female": "F", "femme": "F", "vrouwelijk": "F",
    "féminin": "F", "feminin": "F",
    "x": "U", "": "U", "u": "U", "onbekend": "U", "?": "U",
}


def is_ascii_digits(values: pd.Series) -> pd.Series:
    """Mask of non-empty values made of ASCII digits only."""
    return values.str.isascii() & values.str.isdigit()


def valid_national_numbers(digits: pd.Series, *, current_year: int) -> pd.Series:
    """Vectorised ``stdnum.be.nn.is_valid(x) or stdnum.be.bis.is_valid(x)`` for 11-digit text.

    The check number is 97 - (first nine digits mod 97); for people born from 2000 a ``2`` is
    put before the nine digits, which is only tried when ``2000 + yy <= current_year``. The month
    field must be 0-12 (national number) or 20-32 / 40-52 (BIS number). Values that are not 11
    ASCII digits are invalid.

    References
    ----------
    .. [1] Rijksregister, "IT000 Rijksregisternummer" (structure and check digits).
    .. [2] python-stdnum, ``stdnum.be.nn`` and ``stdnum.be.bis``.
    """
    shaped = is_ascii_digits(digits) & (digits.str.len() == 11)
    number = pd.to_numeric(digits.where(shaped, "0")).astype("int64").to_numpy()
    body, check = number // 100, number % 100
    year, month = body // 10_000_000, (body // 100_000) % 100
    old_rule = (97 - body % 97) == check
    new_rule = ((97 - (2_000_000_000 + body) % 97) == check) & (2000 + year <= current_year)
    month_ok = (month <= 12) | ((month >= 20) & (month <= 32)) | ((month >= 40) & (month <= 52))
    return pd.Series(shaped.to_numpy() & (number > 0) & (old_rule | new_rule) & month_ok,
                     index=digits.index)


def compact_national_numbers(raw: pd.Series) -> pd.Series:
    """Strip dots, dashes, slashes and spaces (``85.07.30-033.28`` -> ``85073003328``)."""
    plain = is_ascii_digits(raw)
    if plain.all():
        return raw
    cleaned = raw.copy()
    cleaned[~plain] = raw[~plain].str.replace(_SEPARATORS, "", regex=True)
    return cleaned


def mask_national_number(value: str) -> str:
    """Hide everything after the sixth digit: ``85.07.30-033.28`` -> ``85.07.30-***.**``."""
    seen, out = 0, []
    for char in str(value)[:20]:
        if char.isdigit():
            seen += 1
            out.append(char if seen <= 6 else "*")
        else:
            out.append(char)
    return "".join(out)


def parse_birth_dates(raw: pd.Series, reference_date: dt.date) -> tuple[pd.Series, pd.Series]:
    """Parse birth dates; return ``(dates, problems)``.

    ``dates`` is datetime64[ns] with NaT where the value is rejected. ``problems`` holds
    ``""`` for a clean value, ``"warning:<text>"`` for a repaired one (day or month 00 becomes
    1) and ``"error:<text>"`` for a rejected one. The bulk ``dd/mm/yyyy`` goes through one
    vectorised call; other layouts (``d-m-yyyy``, ``dd.mm.yyyy``, ``yyyy-mm-dd``, Excel serial
    numbers) are parsed value by value.

    References
    ----------
    .. [1] Microsoft, "DATEVALUE function" (serial 1 = 1900-01-01, epoch 1899-12-30).
    """
    dates = pd.to_datetime(raw, format="%d/%m/%Y", errors="coerce").astype("datetime64[ns]")
    problems = pd.Series("", index=raw.index, dtype="str")
    rest = dates.isna()
    if rest.any():
        parsed = [_parse_one(value) for value in raw[rest]]
        dates[rest] = pd.to_datetime([date for date, _ in parsed]).astype("datetime64[ns]")
        problems[rest] = [problem for _, problem in parsed]
    low, high = pd.Timestamp(1900, 1, 1), pd.Timestamp(reference_date)
    too_old, future = dates < low, dates > high
    problems[too_old] = "error:Geboortedatum vóór 1900 is niet mogelijk."
    problems[future] = "error:Geboortedatum ligt na de peildatum " + reference_date.strftime(
        "%d/%m/%Y") + "."
    dates[too_old | future] = pd.NaT
    return dates, problems


def _parse_one(value: str) -> tuple[dt.date | None, str]:
    if not value:
        return None, "error:Geboortedatum ontbreekt."
    if match := _DAY_FIRST.match(value):
        day, month, year = (int(part) for part in match.groups())
    elif match := _YEAR_FIRST.match(value):
        year, month, day = (int(part) for part in match.groups())
    elif match := _SERIAL.match(value):
        serial = int(match.group(1))
        return (EXCEL_EPOCH + pd.Timedelta(days=serial)).date(), ""
    else:
        return None, f"error:Geboortedatum {value} heeft geen geldige vorm (dd/mm/jjjj)."
    return _repair_unknown_parts(value, year, month, day)


def _repair_unknown_parts(value: str, year: int, month: int, day: int):
    notes = []
    if month == 0:
        month, notes = 1, ["onbekende maand: 1 januari gebruikt"]
    if day == 0:
        day = 1
        notes = notes or ["onbekende dag: de eerste van de maand gebruikt"]
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None, f"error:Ongeldige geboortedatum: {value} bestaat niet."
    return date, (f"warning:Geboortedatum {value}: {notes[0]}." if notes else "")


def _per_distinct(values: pd.Series, function) -> list[pd.Series]:
    """Apply ``function`` (value -> tuple) once per distinct value; one Series per tuple item."""
    codes, uniques = pd.factorize(values)
    answers = list(zip(*(function(value) for value in uniques), strict=True))
    if not answers:
        return [pd.Series([], index=values.index, dtype=object) for _ in range(3)]
    return [pd.Series(np.asarray(answer, dtype=object)[codes], index=values.index)
            for answer in answers]


def _sex_code(value: str) -> tuple[str, bool]:
    code = _SEX_CODES.get(value.strip().casefold())
    return (code or "U", code is None)


def normalise_sex(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Map sex to ``M``, ``F`` or ``U``; return ``(codes, unrecognised mask)``."""
    codes, unknown = _per_distinct(raw, _sex_code)[:2] if len(raw) else (raw, raw == "")
    return codes.astype("str"), unknown.astype(bool)


def _postcode(value: str) -> tuple[str, bool, bool]:
    if len(value) == 4 and value.isascii() and value.isdigit() and value[0] != "0":
        return value, False, False
    match = _FOREIGN_POSTCODE.match(value)
    return (match.group(1), True, False) if match else (value, False, True)


_FOREIGN_POSTCODE = re.compile(r"^(?:B|BE)\s*-?\s*([1-9]\d{3})$", flags=re.IGNORECASE)


def normalise_postcodes(raw: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Belgian postcodes: return ``(codes, repaired mask, invalid mask)``; ``B-1500`` -> 1500."""
    if not len(raw):
        return raw, raw == "", raw == ""
    codes, repaired, invalid = _per_distinct(raw, _postcode)
    return codes.astype("str"), repaired.astype(bool), invalid.astype(bool)


def completed_ages(dates: pd.Series, reference_date: dt.date) -> pd.Series:
    """Completed years of age on ``reference_date`` (a 29 February birthday counts on 1 March)."""
    years = reference_date.year - dates.dt.year
    before = (dates.dt.month > reference_date.month) | (
        (dates.dt.month == reference_date.month) & (dates.dt.day > reference_date.day))
    return (years - before.astype("int64")).astype("int64")


def age_bands_from(minimum_age: int, bands: Sequence[tuple[int, int | None]] = DEFAULT_AGE_BANDS
                   ) -> tuple[tuple[int, int | None], ...]:
    """Age bands that start at the panel's minimum age, so a margin never mixes in the ineligible.

    With a minimum age of 16 the default bands become ``16-17, 18-24, …, 75+`` (and everyone
    younger is ``"<16"``); with 21 the band holding 21 is cut there: ``21-24, 25-34, …``.
    A minimum age of 0 (none given) keeps ``bands`` as they are.

    Parameters
    ----------
    minimum_age : int
        The youngest age that may join the panel.
    bands : sequence of (low, high or None)
        Inclusive, ascending age bands.

    Returns
    -------
    tuple of (low, high or None)

    References
    ----------
    .. [1] Statistics Flanders, *Survey Samenleving en Stad* weighting documentation: weighting
       cells are defined on the survey's own target population.
    """
    if minimum_age <= 0:
        return tuple(bands)
    if minimum_age < bands[0][0]:
        return ((minimum_age, bands[0][0] - 1), *bands)
    kept = []
    for low, high in bands:
        if high is not None and high < minimum_age:
            continue
        kept.append((max(low, minimum_age), high))
    return tuple(kept)


def age_band_bounds(label: str) -> tuple[int, int | None] | None:
    """``(low, high)`` of a band label such as ``"18-24"`` or ``"75+"``; None for ``"<18"``."""
    match = re.fullmatch(r"(\d+)-(\d+)|(\d+)\+", label or "")
    if match is None:
        return None
    if match.group(3) is not None:
        return int(match.group(3)), None
    return int(match.group(1)), int(match.group(2))


def age_band_label(age: int, bands: Sequence[tuple[int, int | None]] = DEFAULT_AGE_BANDS) -> str:
    """Label of the band holding ``age``: ``"18-24"``, ``"75+"``, ``"<18"`` below the first band.

    An age in a gap between bands gets ``""``.
    """
    if age < bands[0][0]:
        return f"<{bands[0][0]}"
    for low, high in bands:
        if low <= age and (high is None or age <= high):
            return f"{low}+" if high is None else f"{low}-{high}"
    return ""


def age_band_labels(ages: pd.Series, bands: Sequence[tuple[int, int | None]]) -> pd.Series:
    """Vectorised :func:`age_band_label` (one call per distinct age)."""
    unique = {int(age): age_band_label(int(age), bands) for age in np.unique(ages.to_numpy())}
    return ages.map(unique).astype("str")
