"""From raw text chunks to validated canonical frames (used by :mod:`sampling.register`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sampling.errors import RegisterFileError
from sampling.register.checks import PROBLEM_COLUMNS, check_rows, problems
from sampling.register.consistency import consistency_warnings
from sampling.register.derived import add_derived_columns, district_warnings
from sampling.register.headers import (
    SOURCE_COLUMNS,
    map_headers,
    missing_columns_error,
    missing_required,
)
from sampling.register.source import RawChunk, open_table
from sampling.register.tracking import DuplicateTracker, HouseholdCounter
from sampling.register.values import compact_national_numbers

CANONICAL_COLUMNS = (
    "line", "national_number", "last_name", "first_name", "sex", "birth_date", "street",
    "house_number", "box", "postcode", "municipality", "nationality", "civil_status",
    "household_id", "district", "age", "age_band", "nationality_group", "household_size",
    "eligible",
)


@dataclass(frozen=True)
class ChunkOptions:
    reference_date: dt.date
    column_mapping: Mapping[str, str] | None
    age_bands: tuple
    minimum_age: int
    street_districts: Mapping | None
    max_rows: int
    filename: str | None
    postcodes: frozenset[str] | None = None  # the municipality's; None = derived from the file


@dataclass
class ChunkPart:
    frame: pd.DataFrame
    problems: pd.DataFrame
    total_rows: int
    column_mapping: dict[str, str]
    unmapped_headers: list[str]


def empty_frame() -> pd.DataFrame:
    """A frame with the canonical columns and no rows."""
    return pd.DataFrame({column: pd.Series(dtype=_DTYPES.get(column, "str"))
                         for column in CANONICAL_COLUMNS})


_DTYPES = {"line": "int64", "birth_date": "datetime64[ns]", "age": "int64",
           "household_size": "int64", "eligible": "bool"}


def parse_chunks(source, options: ChunkOptions, *, chunk_rows: int,
                 two_pass: bool) -> Iterator[ChunkPart]:
    """Validated parts of the file.

    Household sizes need every row of the file: with ``two_pass`` a light first pass counts
    them (bounded memory); otherwise all parts are kept and completed at the end.
    """
    counter = HouseholdCounter()
    if two_pass:
        for _ in _parts(source, options, chunk_rows, counter, validate=False):
            pass
        counter.finish()
        parts = _parts(source, options, chunk_rows, None, validate=True)
    else:
        parts = list(_parts(source, options, chunk_rows, counter, validate=True))
        counter.finish()
    for part in parts:
        part.frame["household_size"] = counter.sizes(part.frame["household_id"])
        yield part


def _parts(source, options, chunk_rows, counter, *, validate: bool) -> Iterator[ChunkPart]:
    tracker, total = DuplicateTracker(), 0
    with open_table(source, chunk_rows=chunk_rows, column_mapping=options.column_mapping) as table:
        mapping, unmapped = map_headers(table.headers, options.column_mapping)
        if missing_required(mapping):
            raise missing_columns_error(table.headers, mapping)
        positions = {canonical: table.headers.index(header)
                     for header, canonical in mapping.items()}
        notes = district_warnings(positions, options.street_districts, table.header_line)
        warn_districts = "district" in positions or bool(options.street_districts)
        for chunk in table.chunks:
            raw = _raw_frame(chunk, positions)
            rows = len(raw) + chunk.rejected_rows
            total += rows
            _check_limit(total, options.max_rows)
            if counter is not None:
                counter.add(raw["household_id"], compact_national_numbers(raw["national_number"]))
            if validate:
                frame, found = _validate(raw, chunk, options, tracker, warn_districts)
                yield ChunkPart(frame, pd.concat([notes, found], ignore_index=True), rows,
                                mapping, unmapped)
                notes = notes.iloc[0:0]
    if total == 0:
        raise RegisterFileError("Het bestand bevat alleen kolomkoppen en geen gegevens.")


def _check_limit(total: int, max_rows: int) -> None:
    if total > max_rows:
        limit = f"{max_rows:,}".replace(",", ".")
        raise RegisterFileError(f"Het bestand heeft meer dan {limit} rijen; dat is te veel.")


def _raw_frame(chunk: RawChunk, positions: Mapping[str, int]) -> pd.DataFrame:
    """Mapped columns as stripped text, without blank, count and repeated header rows."""
    count = len(chunk.lines)
    frame = pd.DataFrame({"line": np.asarray(chunk.lines, dtype=np.int64)})
    for column in SOURCE_COLUMNS:
        if column in positions:
            values = _stripped(chunk.columns[positions[column]])
        else:
            values = [""] * count
        frame[column] = pd.Series(values, dtype="str")
    filled = sum((frame[column].to_numpy(dtype=object) != "").astype(int) for column in positions)
    repeated = _repeated_header(frame, positions)
    return frame[(filled > 1) & ~repeated].reset_index(drop=True)


def _stripped(values) -> list[str]:
    """Values without surrounding white space."""
    return list(map(str.strip, values))


def _repeated_header(frame: pd.DataFrame, positions: Mapping[str, int]) -> np.ndarray:
    """Rows that repeat the header (concatenated exports); only non-numeric numbers are probed."""
    flags = np.zeros(len(frame), dtype=bool)
    first = frame["national_number"].str.slice(0, 1)
    for index in np.flatnonzero((first != "") & ~first.str.isdigit()):
        cells = [frame["national_number"].iat[index], frame["birth_date"].iat[index]]
        flags[index] = set(map_headers(cells)[0].values()) == {"national_number", "birth_date"}
    return flags


def _validate(raw: pd.DataFrame, chunk: RawChunk, options: ChunkOptions,
              tracker: DuplicateTracker, warn_districts: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame, found, rejected = check_rows(raw, options.reference_date)
    found.append(pd.DataFrame(chunk.problems, columns=PROBLEM_COLUMNS))
    valid = frame[~rejected.to_numpy()].reset_index(drop=True)
    valid, duplicates = _drop_duplicates(valid, tracker)
    found.append(duplicates)
    valid, district_notes = add_derived_columns(valid, options, warn_districts=warn_districts)
    found.append(district_notes)
    found.append(consistency_warnings(valid, current_year=dt.date.today().year,
                                      postcodes=options.postcodes))
    kept = [part for part in found if len(part)]
    merged = pd.concat(kept, ignore_index=True) if kept else pd.DataFrame(columns=PROBLEM_COLUMNS)
    return valid, merged


def _drop_duplicates(frame: pd.DataFrame, tracker: DuplicateTracker):
    numbers = frame["national_number"].astype("int64").to_numpy()
    data = frame[[column for column in SOURCE_COLUMNS if column != "national_number"]]
    hashes = pd.util.hash_pandas_object(data, index=False).to_numpy()
    first_line, identical = tracker.classify(numbers, frame["line"].to_numpy(), hashes)
    duplicate = first_line > 0
    earlier = pd.Series(first_line, index=frame.index).astype("str")
    same = problems(frame, duplicate & identical, None, None,
                    "Dubbele regel: dezelfde persoon met dezelfde gegevens staat al op regel "
                    + earlier + "; de persoon is maar één keer opgenomen.", "warning")
    other = problems(frame, duplicate & ~identical, "national_number", frame["national_number"],
                     "Rijksregisternummer komt al voor op regel " + earlier
                     + " met andere gegevens; deze regel is niet opgenomen.", "error",
                     conceal=True)
    return frame[~duplicate].reset_index(drop=True), pd.concat([same, other], ignore_index=True)
