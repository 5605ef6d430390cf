"""What a register clerk would catch: sex and birth date against the national number, X or blank
sex, postcodes outside the municipality. Each is a warning on its row; the row is kept."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from stdnum.be import bis, nn

from sampling.register import read_register
from sampling.register.consistency import national_number_facts
from tests.sampling.test_register_support import REFERENCE, csv_bytes, national_number, person


def _read(rows, **options):
    return read_register(csv_bytes(rows), reference_date=REFERENCE, **options)


def _warnings(result, column):
    return [problem.line for problem in result.errors
            if problem.column == column and problem.severity == "warning"]


def _bis(birth: dt.date, serial: int, offset: int) -> str:
    body = f"{birth:%y}{birth.month + offset:02d}{birth:%d}{serial:03d}"
    number = body + f"{97 - int(body) % 97:02d}"
    assert bis.is_valid(number), number  # independent reference
    return number


def test_facts_agree_with_stdnum_on_random_valid_numbers():
    rng = np.random.default_rng(14)
    numbers = []
    while len(numbers) < 3000:
        year = int(rng.integers(1900, 2026))
        birth = dt.date(year, int(rng.integers(1, 13)), int(rng.integers(1, 29)))
        serial = int(rng.integers(1, 998))
        kind = int(rng.integers(0, 3)) if year < 2000 else 0  # _bis makes 1900s numbers only
        numbers.append(national_number(birth, serial) if kind == 0
                       else _bis(birth, serial, 20 if kind == 1 else 40))
    facts = national_number_facts(pd.Series(numbers), current_year=2026)
    for number, row in zip(numbers, facts.itertuples(), strict=True):
        module = bis if int(number[2:4]) >= 20 else nn
        assert (row.sex or None) == module.get_gender(number), number
        assert dt.date(row.year, row.month, row.day) == module.get_birth_date(number), number


def test_sex_x_or_blank_is_a_warning_per_row_and_the_row_is_kept():
    result = _read([person(1), person(3, geslacht="X"), person(5, geslacht=""), person(7)])
    assert _warnings(result, "sex") == [3, 4]
    assert result.error_rows == 0 and result.frame["sex"].tolist() == ["M", "U", "U", "M"]


def test_sex_against_the_day_counter_of_national_and_bis_numbers():
    birth = dt.date(1985, 7, 30)
    rows = [person(1, geslacht="V"),                                    # odd counter: a man
            person(2, geslacht="M"),                                    # even counter: a woman
            person(3), person(4),                                       # agree
            person(5, geslacht="V", rijksregisternummer=_bis(birth, 5, 40)),  # BIS, sex known
            person(7, geslacht="V", rijksregisternummer=_bis(birth, 7, 20))]  # BIS, sex unknown
    result = _read(rows)
    assert _warnings(result, "sex") == [2, 3, 6]
    message = next(p.message for p in result.errors if p.line == 2)
    assert "vrouw" in message and "wijst op man" in message
    assert len(result.frame) == 6


def test_birth_date_against_the_national_number():
    young = dt.date(2003, 4, 5)
    rows = [person(1, geboortedatum="31/07/1985"),                       # day differs
            person(3, young, geboortedatum="05/04/1903"),                # century: check number
            person(5, young),                                            # agrees (2000s)
            person(7, rijksregisternummer=_bis(dt.date(1985, 7, 30), 7, 40)),  # BIS agrees
            person(9, geboortedatum="30/08/1985",
                   rijksregisternummer=_bis(dt.date(1985, 7, 30), 9, 20)),     # BIS month differs
            person(11, geboortedatum="12/03/1950",
                   rijksregisternummer="500000011" + f"{97 - 500000011 % 97:02d}")]  # month 00
    result = _read(rows)
    assert _warnings(result, "birth_date") == [2, 3, 6]
    message = next(p.message for p in result.errors if p.line == 3)
    assert "05/04/2003" in message
    assert result.error_rows == 0 and len(result.frame) == 6


def test_postcodes_outside_the_municipality_given_or_derived_from_the_file():
    rows = [person(index, postcode="2000" if index % 3 else "2018") for index in range(1, 201)]
    rows += [person(201, postcode="9000")]
    derived = _read(rows)
    assert _warnings(derived, "postcode") == [202]
    assert "2000, 2018" in next(p.message for p in derived.errors if p.line == 202)
    given = _read(rows, postcodes={"2000", "9000"})
    assert _warnings(given, "postcode") == [index + 1 for index in range(1, 201) if index % 3 == 0]
    assert given.error_rows == 0 and len(given.frame) == 201
