"""read_register on the example file, derived columns and public helpers."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from pathlib import Path

import pandas as pd
import pytest

from sampling.register import (
    CANONICAL_COLUMNS,
    DEFAULT_AGE_BANDS,
    age_band_label,
    age_bands_from,
    map_headers,
    person_keys,
    read_register,
)
from sampling.register.values import age_band_bounds
from tests.sampling.test_register_support import REFERENCE, csv_bytes, person

EXAMPLE = Path("/work/shared/data/example_register_antwerpen_3000.csv")


@pytest.fixture(scope="module")
def example():
    return read_register(EXAMPLE, reference_date=REFERENCE)


def test_example_file_parses_without_problems(example):
    assert example.total_rows == 3000
    assert example.errors == []
    assert len(example.frame) == 3000
    assert list(example.frame.columns) == list(CANONICAL_COLUMNS)
    assert example.unmapped_headers == []


def test_example_frame_matches_the_raw_file(example):
    raw = pd.read_csv(EXAMPLE, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame = example.frame
    assert frame["line"].tolist() == list(range(2, 3002))
    assert frame["national_number"].tolist() == raw["rijksregisternummer"].tolist()
    assert frame["sex"].tolist() == raw["geslacht"].map({"M": "M", "V": "F"}).tolist()
    assert frame["district"].tolist() == raw["wijk"].tolist()
    expected_sizes = raw.groupby("huishoudnummer")["rijksregisternummer"].transform("nunique")
    assert frame["household_size"].tolist() == expected_sizes.tolist()
    assert str(frame["birth_date"].dtype) == "datetime64[ns]"


def test_example_derived_columns_are_in_range(example):
    assert example.frame["age"].between(0, 120).all()
    assert set(example.frame["nationality_group"]) <= {"BE", "EU", "NON_EU"}


@pytest.mark.parametrize(
    ("birth", "reference", "age"),
    [
        (dt.date(1980, 1, 1), dt.date(2026, 1, 1), 46),   # birthday on the reference date
        (dt.date(1980, 1, 2), dt.date(2026, 1, 1), 45),   # one day short
        (dt.date(2000, 2, 29), dt.date(2025, 2, 28), 24),  # leap-day birthday, not yet
        (dt.date(2000, 2, 29), dt.date(2025, 3, 1), 25),
        (dt.date(2000, 2, 29), dt.date(2024, 2, 29), 24),
        (dt.date(2025, 12, 31), dt.date(2026, 1, 1), 0),
    ],
)
def test_age_in_completed_years(birth, reference, age):
    result = read_register(csv_bytes([person(11, birth)]), reference_date=reference)
    assert result.frame["age"].tolist() == [age]


@pytest.mark.parametrize(
    ("age", "label"),
    [(0, "<18"), (17, "<18"), (18, "18-24"), (24, "18-24"), (25, "25-34"), (74, "65-74"),
     (75, "75+"), (104, "75+")],
)
def test_default_age_bands(age, label):
    assert age_band_label(age, DEFAULT_AGE_BANDS) == label


def test_custom_bands_and_minimum_age_keep_everyone():
    rows = [person(1, dt.date(2010, 5, 1)), person(3, dt.date(1990, 5, 1))]
    result = read_register(csv_bytes(rows), reference_date=REFERENCE, minimum_age=16,
                           age_bands=[(16, 39), (40, None)])
    assert result.frame["age_band"].tolist() == ["<16", "16-39"]
    assert result.frame["eligible"].tolist() == [False, True]


@pytest.mark.parametrize(
    ("minimum_age", "first_bands"),
    [(0, [(18, 24), (25, 34)]), (16, [(16, 17), (18, 24), (25, 34)]),
     (18, [(18, 24), (25, 34)]), (21, [(21, 24), (25, 34)]), (80, [(80, None)])],
)
def test_age_bands_start_at_the_minimum_age(minimum_age, first_bands):
    bands = age_bands_from(minimum_age)
    assert list(bands[: len(first_bands)]) == first_bands
    assert bands[-1] == ((80, None) if minimum_age == 80 else (75, None))


@pytest.mark.parametrize(
    ("label", "bounds"),
    [("16-17", (16, 17)), ("75+", (75, None)), ("<18", None), ("", None), ("onbekend", None)],
)
def test_age_band_bounds(label, bounds):
    assert age_band_bounds(label) == bounds


def test_a_minimum_age_of_16_gives_16_to_17_year_olds_their_own_band():
    rows = [person(1, dt.date(2009, 5, 1)), person(3, dt.date(2011, 5, 1)),
            person(5, dt.date(1990, 5, 1))]
    for reader in (read_register, _chunked):
        frame = reader(csv_bytes(rows), reference_date=REFERENCE, minimum_age=16).frame
        assert frame["age_band"].tolist() == ["16-17", "<16", "35-44"]
        assert frame["eligible"].tolist() == [True, False, True]


def _chunked(source, **options):
    from sampling.register import iter_register_chunks

    return next(iter_register_chunks(source, chunk_rows=10, **options))


@pytest.mark.parametrize(
    ("nationality", "group"),
    [("België", "BE"), ("belge", "BE"), ("Belgische", "BE"), ("Nederlandse", "EU"),
     ("France", "EU"), ("Roemenië", "EU"), ("polonaise", "EU"), ("Kroatië", "EU"),
     ("Marokko", "NON_EU"), ("Verenigd Koninkrijk", "NON_EU"), ("Zwitserland", "NON_EU"),
     ("", "ONBEKEND")],
)
def test_nationality_groups(nationality, group):
    result = read_register(csv_bytes([person(1, nationaliteit=nationality)]),
                           reference_date=REFERENCE)
    assert result.frame["nationality_group"].tolist() == [group]


def test_all_27_eu_members_are_listed():
    from sampling.register.nationality import BELGIAN, EU_MEMBERS

    assert len(EU_MEMBERS) + (1 if BELGIAN else 0) == 27


def test_household_size_counts_people_including_rejected_rows():
    rows = [person(1, huishoudnummer="A"), person(3, huishoudnummer="A"),
            person(5, huishoudnummer="A", geboortedatum="31/02/1980"),
            person(7, huishoudnummer="B")]
    result = read_register(csv_bytes(rows), reference_date=REFERENCE)
    assert result.frame["household_size"].tolist() == [3, 3, 1]


def test_person_keys_are_hmac_of_the_compact_number():
    secret = b"0123456789abcdef"
    keys = person_keys(pd.Series(["85.07.30-033.28", "85073003328"]), secret)
    expected = hmac.new(secret, b"85073003328", hashlib.sha256).hexdigest()
    assert keys.tolist() == [expected, expected]


def test_map_headers_is_case_accent_and_language_insensitive():
    mapping, unmapped = map_headers(["Rijksregister_Nummer", "NOM", "Prénom ", "date-de-naissance",
                                     "Code postal", "N° ménage", "Numéro de ménage", "Opmerking"])
    assert mapping["Rijksregister_Nummer"] == "national_number"
    assert mapping["NOM"] == "last_name"
    assert mapping["Prénom "] == "first_name"
    assert mapping["date-de-naissance"] == "birth_date"
    assert mapping["Code postal"] == "postcode"
    assert mapping["Numéro de ménage"] == "household_id"
    assert unmapped == ["N° ménage", "Opmerking"]
