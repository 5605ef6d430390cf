"""Checks a register clerk would make across columns: row warnings, never rejections.

* sex against the national number: the day counter (digits 7-9) is odd for men and even for
  women; a BIS number only carries the sex when 40 was added to its month (20 = sex unknown);
* the birth date against the national number: digits 1-6 are ``YYMMDD``, the century follows
  from the check number (``97 - n mod 97`` over the first nine digits, with a ``2`` put in
  front for people born from 2000), a BIS month is raised by 20 or 40, and a month (or day) of
  ``00`` means that part was unknown when the number was issued;
* the postcode against the municipality's postcodes: given, or derived from the file as the
  postcodes that hold at least ``POSTCODE_SHARE`` of its rows.

References
----------
.. [1] Rijksregister, "IT000 Rijksregisternummer" (structure, day counter, check number).
.. [2] python-stdnum, ``stdnum.be.nn`` (``get_gender``, ``get_birth_date``) and ``stdnum.be.bis``.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from sampling.register.checks import problems

POSTCODE_SHARE = 0.01
SEX_WORDS = {"M": "man", "F": "vrouw"}


def national_number_facts(digits: pd.Series, *, current_year: int) -> pd.DataFrame:
    """Birth year, month, day (0 = unknown) and sex (``""`` = not encoded) of valid numbers.

    ``digits`` holds valid 11-digit national or BIS numbers.
    """
    number = digits.astype("int64").to_numpy()
    body, check = number // 100, number % 100
    yy, raw_month = body // 10_000_000, (body // 100_000) % 100
    day, counter = (body // 1_000) % 100, body % 1_000
    born_2000 = ((97 - (2_000_000_000 + body) % 97) == check) & (2000 + yy <= current_year)
    known_sex = (raw_month < 20) | (raw_month >= 40)
    sex = np.where(known_sex, np.where(counter % 2 == 1, "M", "F"), "")
    month = raw_month % 20
    return pd.DataFrame({"year": np.where(born_2000, 2000, 1900) + yy, "month": month,
                         "day": np.where(month == 0, 0, day), "sex": sex}, index=digits.index)


def consistency_warnings(frame: pd.DataFrame, *, current_year: int,
                         postcodes: Collection[str] | None = None) -> pd.DataFrame:
    """Warnings for valid rows (normalised sex ``M/F/U``, parsed ``birth_date``, postcode)."""
    if frame.empty:
        return problems(frame, np.zeros(0, dtype=bool), None, None, "", "warning")
    facts = national_number_facts(frame["national_number"], current_year=current_year)
    return pd.concat([_sex_warnings(frame, facts), _birth_date_warnings(frame, facts),
                      _postcode_warnings(frame, postcodes)], ignore_index=True)


def _sex_warnings(frame: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    sex = frame["sex"]
    wrong = (sex.isin(["M", "F"]) & (facts["sex"] != "") & (sex != facts["sex"])).to_numpy()
    rows, encoded = frame[wrong], facts["sex"][wrong]  # messages only for the offending rows
    message = ("Geslacht (" + rows["sex"].map(SEX_WORDS).astype("str") + ") past niet bij het "
               "rijksregisternummer: het volgnummer wijst op "
               + encoded.map(SEX_WORDS).astype("str") + ". Controleer bij de bevolkingsdienst.")
    shown = rows["sex"].map({"M": "M", "F": "V"})
    return problems(rows, np.ones(len(rows), dtype=bool), "sex", shown, message, "warning")


def _birth_date_warnings(frame: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    born = frame["birth_date"]
    wrong = (born.dt.year != facts["year"]) | (
        (facts["month"] > 0) & (born.dt.month != facts["month"])) | (
        (facts["day"] > 0) & (born.dt.day != facts["day"]))
    wrong = (wrong & born.notna()).to_numpy(dtype=bool)
    rows, encoded = frame[wrong], facts[wrong]  # messages only for the offending rows
    said = (encoded["day"].map(_two_or_unknown).astype("str") + "/"
            + encoded["month"].map(_two_or_unknown).astype("str") + "/"
            + encoded["year"].astype("str"))
    message = ("Geboortedatum past niet bij het rijksregisternummer, dat wijst op " + said
               + ". Controleer bij de bevolkingsdienst.")
    shown = rows["birth_date"].dt.strftime("%d/%m/%Y")
    return problems(rows, np.ones(len(rows), dtype=bool), "birth_date", shown, message,
                    "warning")


def _two_or_unknown(value: int) -> str:
    return f"{int(value):02d}" if value else "??"


def municipality_postcodes(postcodes: pd.Series, share: float = POSTCODE_SHARE) -> set[str]:
    """The postcodes that hold at least ``share`` of the rows (blank postcodes left out)."""
    present = postcodes[postcodes != ""]
    counts = present.value_counts()
    return set(counts.index[counts >= share * max(len(present), 1)])


def _postcode_warnings(frame: pd.DataFrame, postcodes: Collection[str] | None) -> pd.DataFrame:
    code = frame["postcode"]
    own = set(postcodes) if postcodes else municipality_postcodes(code)
    outside = (code != "") & ~code.isin(own)
    listed = ", ".join(sorted(own)) or "geen"
    message = (f"Postcode hoort niet bij de gemeente (postcodes van de gemeente: {listed}). "
               "Controleer het adres bij de bevolkingsdienst.")
    return problems(frame, outside.to_numpy(dtype=bool), "postcode", code, message, "warning")
