"""Derived frame columns: district, age, age band, nationality group, eligibility."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from sampling.register.checks import PROBLEM_COLUMNS, problems
from sampling.register.nationality import nationality_groups
from sampling.register.values import age_band_labels, completed_ages

UNKNOWN_DISTRICT = "onbekend"


def district_warnings(positions: Mapping[str, int], street_districts: Mapping | None,
                      header_line: int) -> pd.DataFrame:
    """One whole-file warning when there is neither a district column nor a street list."""
    if "district" in positions or street_districts:
        return pd.DataFrame(columns=PROBLEM_COLUMNS)
    return pd.DataFrame([{
        "line": header_line, "column": "district", "value": None, "severity": "warning",
        "message": "Er is geen kolom 'wijk' en geen lijst van straten per wijk: "
                   f"iedereen krijgt wijk '{UNKNOWN_DISTRICT}'.",
    }], columns=PROBLEM_COLUMNS)


def add_derived_columns(frame: pd.DataFrame, options, *,
                        warn_districts: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add district (filled in), age, age_band, nationality_group and eligible.

    ``warn_districts``: warn per row whose district stays unknown (when the file has a
    district column or a street list was given; otherwise one whole-file warning suffices).
    """
    frame, notes = _fill_districts(frame, options.street_districts, warn_districts)
    frame["age"] = completed_ages(frame["birth_date"], options.reference_date)
    frame["age_band"] = age_band_labels(frame["age"], options.age_bands)
    frame["nationality_group"] = nationality_groups(frame["nationality"])
    frame["eligible"] = (frame["age"] >= options.minimum_age).astype(bool)
    return frame, notes


def _fill_districts(frame: pd.DataFrame, street_districts: Mapping | None, warn: bool):
    blank = frame["district"] == ""
    if street_districts and blank.any():
        found = _look_up_streets(frame[blank], street_districts)
        frame.loc[blank, "district"] = found.fillna("")
        blank = frame["district"] == ""
    notes = problems(frame, blank & warn, "district", frame["street"],
                     f"Wijk onbekend voor deze straat; wijk '{UNKNOWN_DISTRICT}' gebruikt.",
                     "warning")
    frame.loc[blank, "district"] = UNKNOWN_DISTRICT
    return frame, notes


def _street_key(street: str) -> str:
    return " ".join(str(street).casefold().split())


def _look_up_streets(rows: pd.DataFrame, street_districts: Mapping) -> pd.Series:
    by_pair = {(str(key[0]).strip(), _street_key(key[1])): value
               for key, value in street_districts.items() if isinstance(key, tuple)}
    by_street = {_street_key(key): value
                 for key, value in street_districts.items() if not isinstance(key, tuple)}
    streets = rows["street"].map(_street_key)
    pairs = pd.Series(list(zip(rows["postcode"], streets, strict=True)), index=rows.index)
    by_pair_found = pairs.map(by_pair).astype(object)  # all-missing maps come back as float
    return by_pair_found.fillna(streets.map(by_street).astype(object))
