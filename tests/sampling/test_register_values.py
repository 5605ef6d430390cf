"""Row-level validation: national numbers, dates, sex, postcode, duplicates, problem lines."""

from __future__ import annotations

import datetime as dt
import time

import numpy as np
import pandas as pd
import pytest
from stdnum.be import bis, nn

from sampling.register import read_register
from sampling.register.values import valid_national_numbers
from tests.sampling.test_register_support import REFERENCE, csv_bytes, national_number, person


def _read(rows, **options):
    return read_register(csv_bytes(rows), reference_date=REFERENCE, **options)


def _problems(result):
    return [(problem.line, problem.column, problem.severity) for problem in result.errors]


def test_vectorised_check_agrees_with_stdnum_on_random_numbers():
    rng = np.random.default_rng(2024)
    bodies = rng.integers(0, 10**9, size=6000)
    checks = np.where(rng.random(6000) < 0.5, rng.integers(0, 100, 6000),
                      97 - bodies % 97)  # half plausible 1900s check digits
    new_rule = rng.random(6000) < 0.25
    checks = np.where(new_rule, 97 - (2 * 10**9 + bodies) % 97, checks)
    numbers = pd.Series([f"{body:09d}{check:02d}" for body, check in zip(bodies, checks,
                                                                          strict=True)])
    expected = [nn.is_valid(number) or bis.is_valid(number) for number in numbers]
    got = valid_national_numbers(numbers, current_year=dt.date.today().year).tolist()
    assert got == expected
    assert 1000 < sum(expected) < 5000  # both outcomes well represented


def test_formatted_and_bis_numbers_are_accepted():
    plain = national_number(dt.date(1985, 7, 30), 33)
    formatted = f"{plain[:2]}.{plain[2:4]}.{plain[4:6]}-{plain[6:9]}.{plain[9:]}"
    bis_body = "854730033"  # month 07 + 40
    bis_number = bis_body + f"{97 - int(bis_body) % 97:02d}"
    assert bis.is_valid(bis_number)
    result = _read([person(1, rijksregisternummer=formatted),
                    person(3, rijksregisternummer=bis_number)])
    assert result.errors == []
    assert result.frame["national_number"].tolist() == [plain, bis_number]


def test_stripped_leading_zero_is_repaired_with_a_warning():
    number = national_number(dt.date(2004, 3, 9), 12)
    assert number.startswith("0")
    result = _read([person(12, dt.date(2004, 3, 9), rijksregisternummer=number[1:])])
    assert result.frame["national_number"].tolist() == [number]
    assert _problems(result) == [(2, "national_number", "warning")]
    shown = result.errors[0].value
    assert sum(char.isdigit() for char in shown) <= 6 and shown.endswith("****")


def test_invalid_numbers_are_rejected_and_masked():
    good = national_number(dt.date(1985, 7, 30), 33)
    wrong_check = good[:-2] + f"{(int(good[-2:]) + 1) % 100:02d}"
    result = _read([person(1, rijksregisternummer=wrong_check),
                    person(3, rijksregisternummer="12345"),
                    person(5, rijksregisternummer=good)])
    assert _problems(result) == [(2, "national_number", "error"), (3, "national_number", "error")]
    assert result.errors[0].value == good[:6] + "*****"
    assert "controlegetal" in result.errors[0].message
    assert "11 cijfers" in result.errors[1].message
    assert all(good not in problem.message for problem in result.errors)
    assert result.error_rows == 2 and len(result.frame) == 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("30/07/1985", dt.date(1985, 7, 30)), ("3/7/1985", dt.date(1985, 7, 3)),
     ("30-07-1985", dt.date(1985, 7, 30)), ("30.07.1985", dt.date(1985, 7, 30)),
     ("1985-07-30", dt.date(1985, 7, 30)), ("31258", dt.date(1985, 7, 30))],
)
def test_date_layouts(raw, expected):
    result = _read([person(1, expected, geboortedatum=raw)])
    assert result.errors == []
    assert result.frame["birth_date"].dt.date.tolist() == [expected]


@pytest.mark.parametrize(
    ("raw", "words"),
    [("31/02/1980", "bestaat niet"), ("12/13/1980", "bestaat niet"),
     ("02/01/2027", "na de peildatum"), ("01/01/1899", "vóór 1900"), ("gisteren", "vorm")],
)
def test_impossible_dates_are_rejected(raw, words):
    result = _read([person(1, geboortedatum=raw)])
    assert _problems(result) == [(2, "birth_date", "error")]
    assert words in result.errors[0].message
    assert result.errors[0].value == raw


def _number_of(body: str) -> str:
    """A valid 1900s national number from its first nine digits (month or day may be 00)."""
    return body + f"{97 - int(body) % 97:02d}"


def test_unknown_day_or_month_is_repaired():
    result = _read([person(1, geboortedatum="00/05/1950", rijksregisternummer=_number_of(
                        "500500001")),
                    person(3, geboortedatum="00/00/1950", rijksregisternummer=_number_of(
                        "500000003"))])
    assert result.frame["birth_date"].dt.date.tolist() == [dt.date(1950, 5, 1),
                                                          dt.date(1950, 1, 1)]
    assert _problems(result) == [(2, "birth_date", "warning"), (3, "birth_date", "warning")]
    assert "onbekende dag" in result.errors[0].message


@pytest.mark.parametrize(
    ("raw", "code"),
    [("M", "M"), ("v", "F"), ("F", "F"), ("vrouw", "F"), ("Femme", "F"), ("homme", "M"),
     ("male", "M"), ("X", "U"), ("", "U")],
)
def test_sex_codes(raw, code):
    result = _read([person(2 if code == "F" else 1, geslacht=raw)])
    assert _problems(result) == ([(2, "sex", "warning")] if code == "U" else [])
    assert result.frame["sex"].tolist() == [code]


def test_postcodes():
    result = _read([person(1, postcode="B-1500"), person(3, postcode="150"),
                    person(5, postcode=" 2000 ")])
    assert result.frame["postcode"].tolist() == ["1500", "2000"]
    assert _problems(result) == [(2, "postcode", "warning"), (3, "postcode", "error")]


def test_identical_duplicates_collapse_and_conflicts_reject_the_later_row():
    first = person(1)
    rows = [first, person(3), dict(first), person(1, straat="Molenstraat"), person(5)]
    result = _read(rows)
    assert result.frame["line"].tolist() == [2, 3, 6]
    assert _problems(result) == [(4, None, "warning"), (5, "national_number", "error")]
    assert "regel 2" in result.errors[0].message and "regel 2" in result.errors[1].message
    assert result.error_rows == 1 and result.warning_count == 1


def test_every_defect_is_reported_at_its_line_and_column():
    rows = [person(1), person(3, naam=""), person(5, huishoudnummer=" "),
            person(7, voornaam="", straat="", geboortedatum="30/02/1990"), person(9),
            person(11, huisnummer="12A", bus="0.1")]
    result = _read(rows)
    assert _problems(result) == [
        (3, "last_name", "error"), (4, "household_id", "error"),
        (5, "first_name", "error"), (5, "street", "error"), (5, "birth_date", "error")]
    assert result.frame["line"].tolist() == [2, 6, 7]
    assert result.frame[["house_number", "box"]].iloc[-1].tolist() == ["12A", "0.1"]


def test_districts_from_a_street_list():
    rows = [person(1, straat="Kerkstraat", postcode="2100"), person(3, straat="MOLENSTRAAT"),
            person(5, straat="Onbekende Weg")]
    headers = [header for header in csv_bytes([])[3:].decode().split("\r\n")[0].split(";")
               if header != "wijk"]
    data = csv_bytes(rows, headers=headers)
    lookup = {("2100", "Kerkstraat"): "Deurne", "Molenstraat": "Berchem"}
    result = read_register(data, reference_date=REFERENCE, street_districts=lookup)
    assert result.frame["district"].tolist() == ["Deurne", "Berchem", "onbekend"]
    assert _problems(result) == [(4, "district", "warning")]
    without = read_register(data, reference_date=REFERENCE)
    assert set(without.frame["district"]) == {"onbekend"}
    assert _problems(without) == [(1, "district", "warning")]


def test_ten_thousand_invalid_rows_are_all_reported_quickly():
    # Check digits 98 and 99 never occur (97 - x mod 97 lies in 1..97).
    rows = [person(1, rijksregisternummer=f"{index:09d}99") for index in range(1, 10_001)]
    started = time.perf_counter()
    result = _read(rows)
    assert time.perf_counter() - started < 10
    assert result.frame.empty and result.total_rows == 10_000
    assert result.error_rows == 10_000
    assert [problem.line for problem in result.errors] == list(range(2, 10_002))
