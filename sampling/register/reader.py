"""Parse and validate a municipal population-register export (CSV or XLSX).

Decisions worth knowing:

* ``birth_date`` is ``datetime64[ns]``; ``age`` is completed years on ``reference_date``.
* Everyone stays in the frame, minors included. Age bands start at ``minimum_age`` (16 gives
  ``16-17, 18-24, …``; younger people are ``"<16"``; no minimum keeps ``"<18"``), so margins of
  the panel population never mix in the ineligible; ``eligible`` says whether
  ``age >= minimum_age`` — the draw excludes the ineligible.
* Same national number twice: an identical row is collapsed (warning naming the first line);
  different data rejects only the later row (error naming the earlier line).
* ``household_size`` counts distinct national numbers per household id over every data row of
  the file, rejected rows included (the person still lives there).
* A ``str`` source is a file path, never file content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from sampling.register.frame import (
    CANONICAL_COLUMNS,
    ChunkOptions,
    empty_frame,
    parse_chunks,
)
from sampling.register.headers import REQUIRED_COLUMNS, map_headers
from sampling.register.keys import person_keys
from sampling.register.values import DEFAULT_AGE_BANDS, age_band_label, age_bands_from

__all__ = [
    "CANONICAL_COLUMNS", "DEFAULT_AGE_BANDS", "REQUIRED_COLUMNS", "RegisterParseResult",
    "RowProblem", "age_band_label", "age_bands_from", "iter_register_chunks", "map_headers",
    "person_keys", "read_register",
]
DEFAULT_MAX_ROWS = 10_000_000
_SEVERITY_ORDER = {"error": 0, "warning": 1}


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One problem in one row (``column`` None: the whole row); national numbers are masked."""

    line: int
    column: str | None
    value: str | None
    message: str
    severity: str


@dataclass
class RegisterParseResult:
    """Valid rows in canonical columns plus every row problem, sorted by line."""

    frame: pd.DataFrame
    errors: list[RowProblem] = field(default_factory=list)
    total_rows: int = 0
    column_mapping: dict[str, str] = field(default_factory=dict)
    unmapped_headers: list[str] = field(default_factory=list)

    @property
    def error_rows(self) -> int:
        """Number of rejected rows."""
        return len({problem.line for problem in self.errors if problem.severity == "error"})

    @property
    def warning_count(self) -> int:
        """Number of warnings (rows kept, possibly repaired)."""
        return sum(problem.severity == "warning" for problem in self.errors)


def read_register(source, *, reference_date: dt.date, filename: str | None = None,
                  column_mapping: Mapping[str, str] | None = None,
                  age_bands: Sequence[tuple[int, int | None]] | None = None,
                  minimum_age: int = 0, street_districts: Mapping | None = None,
                  max_rows: int = DEFAULT_MAX_ROWS,
                  postcodes: Collection[str] | None = None) -> RegisterParseResult:
    """Read a whole register file into one validated frame.

    Parameters
    ----------
    source : bytes, path or binary file object
        The export (CSV in UTF-8/cp1252/Latin-1 with ``;``, ``,`` or TAB, or XLSX); the type
        is told by its first bytes. A ``str`` is a path.
    reference_date : date
        Date at which ages are computed; later birth dates are rejected.
    filename : str, optional
        Original file name; accepted for the caller's convenience, not used yet.
    column_mapping : mapping, optional
        User-made source header -> canonical column pairs for unknown headers.
    age_bands : sequence of (low, high or None), optional
        Inclusive age bands; ``age_band`` labels are ``"18-24"`` ... ``"75+"``. By default
        :func:`age_bands_from` ``(minimum_age)``: the first band starts at the minimum age.
    minimum_age : int
        Sets the ``eligible`` column (``age >= minimum_age``); nobody is dropped.
    street_districts : mapping, optional
        ``street`` or ``(postcode, street)`` -> district, used when a row has no ``wijk``.
    max_rows : int
        Files with more data rows raise :class:`RegisterFileError`.
    postcodes : collection of str, optional
        The municipality's postcodes; a row with another postcode gets a warning. By default
        they are the postcodes holding at least 1 % of the rows of each part of the file
        (:func:`sampling.register.consistency.municipality_postcodes`).

    Returns
    -------
    RegisterParseResult

    Raises
    ------
    RegisterFileError
        The file as a whole cannot be used (empty, PDF, binary, no rows, missing columns).

    References
    ----------
    .. [1] Rijksregister, "IT000 Rijksregisternummer" (national number structure).
    .. [2] RFC 4180, "Common Format and MIME Type for CSV Files".
    """
    options = ChunkOptions(reference_date, column_mapping, _bands(age_bands, minimum_age),
                           minimum_age, street_districts, max_rows, filename,
                           frozenset(postcodes) if postcodes else None)
    parts = list(parse_chunks(source, options, chunk_rows=200_000, two_pass=False))
    return _combine(parts, options)


def iter_register_chunks(source, *, reference_date: dt.date, chunk_rows: int = 200_000,
                         **options) -> Iterator[RegisterParseResult]:
    """Parse a huge register file in bounded memory, one result per ``chunk_rows`` rows.

    Takes the options of :func:`read_register`. The file is read twice: a light first pass
    counts household sizes over the whole file (and finds whole-file problems before any
    chunk is yielded), the second validates. Duplicate national numbers are detected across
    chunks; the problems of a chunk refer to the file's own line numbers.

    References
    ----------
    .. [1] RFC 4180, "Common Format and MIME Type for CSV Files".
    """
    settings = ChunkOptions(
        reference_date, options.pop("column_mapping", None),
        _bands(options.pop("age_bands", None), options.get("minimum_age", 0)),
        options.pop("minimum_age", 0),
        options.pop("street_districts", None), options.pop("max_rows", DEFAULT_MAX_ROWS),
        options.pop("filename", None), frozenset(options.pop("postcodes", None) or ()) or None)
    if options:
        raise TypeError(f"Unknown options: {', '.join(sorted(options))}")
    if hasattr(source, "read") and not getattr(source, "seekable", lambda: False)():
        source = source.read()
    for part in parse_chunks(source, settings, chunk_rows=chunk_rows, two_pass=True):
        yield _combine([part], settings)


def _bands(age_bands, minimum_age: int) -> tuple:
    return tuple(age_bands) if age_bands is not None else age_bands_from(minimum_age)


def _combine(parts: list, options) -> RegisterParseResult:
    frames = [part.frame for part in parts if len(part.frame)]
    frame = pd.concat(frames, ignore_index=True) if frames else empty_frame()
    problems = pd.concat([part.problems for part in parts], ignore_index=True)
    first = parts[0]
    return RegisterParseResult(
        frame=frame[list(CANONICAL_COLUMNS)],
        errors=_row_problems(problems),
        total_rows=sum(part.total_rows for part in parts),
        column_mapping=first.column_mapping,
        unmapped_headers=first.unmapped_headers,
    )


def _row_problems(problems: pd.DataFrame) -> list[RowProblem]:
    if problems.empty:
        return []
    order = problems.assign(rank=problems["severity"].map(_SEVERITY_ORDER))
    order = order.sort_values(["line", "rank"], kind="stable")
    return [
        RowProblem(int(line), column, value, message, severity)
        for line, column, value, message, severity in zip(
            order["line"], order["column"], order["value"], order["message"], order["severity"],
            strict=True)
    ]

