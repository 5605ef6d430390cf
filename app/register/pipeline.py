"""From an uploaded file to staged, pseudonymised frames: whole or chunk by chunk.

A file is parsed whole (``read_register``) or, when it is large, in chunks
(``iter_register_chunks``) so memory stays bounded. Either way the parts flow through
:func:`staged_frames`, which drops the national number (``person_key`` instead), keeps a running
:class:`Tally` of counts and problems, and reports progress after each part is staged.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from flask import current_app

from app.models import RegisterImport
from sampling import register as parser

MAX_STORED_PROBLEMS = 20_000
PREVIEW_ROWS = 10
PREVIEW_COLUMNS = ("line", "last_name", "first_name", "sex", "birth_date", "street",
                   "house_number", "box", "postcode", "district", "age_band",
                   "nationality_group", "household_size")
STORED_COLUMNS = ("last_name", "first_name", "sex", "birth_date", "street", "house_number",
                  "box", "postcode", "municipality", "district", "age_band", "nationality",
                  "nationality_group", "household_id", "household_size")
MARGIN_COLUMNS = ["age_band", "sex", "district", "nationality_group"]
Progress = Callable[[int], None]


@dataclass
class Tally:
    """Counts and problems summed over the parts of one file."""

    total_rows: int = 0
    valid_rows: int = 0
    error_rows: int = 0
    warning_count: int = 0
    problems: list[dict] = field(default_factory=list)
    column_mapping: dict = field(default_factory=dict)
    headers: list = field(default_factory=list)
    preview_rows: list = field(default_factory=list)
    margin_parts: list = field(default_factory=list)

    def add(self, part: parser.RegisterParseResult) -> None:
        self.total_rows += part.total_rows
        self.valid_rows += len(part.frame)
        self.error_rows += part.error_rows
        self.warning_count += part.warning_count
        room = MAX_STORED_PROBLEMS - len(self.problems)
        self.problems.extend(problem_dict(problem) for problem in part.errors[:max(room, 0)])
        if not self.column_mapping:
            self.column_mapping = dict(part.column_mapping)
            self.headers = [*part.column_mapping, *part.unmapped_headers]
        if len(self.preview_rows) < PREVIEW_ROWS:
            self.preview_rows += preview_rows(part.frame, PREVIEW_ROWS - len(self.preview_rows))

    def add_margins(self, frame: pd.DataFrame) -> None:
        self.margin_parts.append(frame.groupby(MARGIN_COLUMNS, dropna=False).size())

    def margins(self) -> list[dict]:
        """Population count per age band x sex x district x nationality group."""
        if not self.margin_parts:
            return []
        counts = pd.concat(self.margin_parts).groupby(level=[0, 1, 2, 3]).sum()
        return [dict(zip([*MARGIN_COLUMNS, "count"], (*key, int(value)), strict=True))
                for key, value in counts.items()]


def problem_dict(problem: parser.RowProblem) -> dict:
    return {"line": problem.line, "column": problem.column, "value": problem.value,
            "message": problem.message, "severity": problem.severity}


def preview_rows(frame: pd.DataFrame, count: int) -> list[dict]:
    sample = frame.nsmallest(count, "line")[list(PREVIEW_COLUMNS)]
    return [{column: (str(value.date()) if column == "birth_date" else _plain(value))
             for column, value in zip(PREVIEW_COLUMNS, row, strict=True)}
            for row in sample.itertuples(index=False, name=None)]


def _plain(value):
    if pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def street_districts(record: RegisterImport) -> dict | None:
    """The import's street table as the parser wants it: street or (postcode, street) -> wijk."""
    table: dict = {}
    for street, postcode, district in record.street_districts or []:
        table[(postcode, street) if postcode else street] = district
    return table or None


def municipality_postcodes() -> frozenset[str] | None:
    """``MUNICIPALITY_POSTCODES`` as a set; None lets the parser derive them from the file."""
    text = str(current_app.config.get("MUNICIPALITY_POSTCODES") or "")
    codes = frozenset(code for code in text.replace(";", ",").replace(" ", ",").split(",") if code)
    return codes or None


def parse_options(record: RegisterImport) -> dict:
    return {"reference_date": record.reference_date, "filename": record.filename,
            "column_mapping": record.column_mapping or None, "minimum_age": record.minimum_age,
            "street_districts": street_districts(record), "postcodes": municipality_postcodes()}


def parse_parts(source, record: RegisterImport, *, chunked: bool,
                chunk_rows: int = 200_000) -> Iterator[parser.RegisterParseResult]:
    """The file as one part, or chunk by chunk; raises ``RegisterFileError`` for bad files."""
    options = parse_options(record)
    if chunked:
        yield from parser.iter_register_chunks(source, chunk_rows=chunk_rows, **options)
    else:
        yield parser.read_register(source, **options)


def pseudonymise(frame: pd.DataFrame) -> pd.DataFrame:
    """The stored columns plus ``person_key``; the national number is left behind."""
    secret = current_app.config["PERSON_KEY_SECRET"].encode()
    stored = frame[list(STORED_COLUMNS)].copy()
    stored["person_key"] = parser.person_keys(frame["national_number"], secret)
    return stored


def staged_frames(parts, tally: Tally, progress: Progress | None = None) -> Iterator[pd.DataFrame]:
    for part in parts:
        tally.add(part)
        tally.add_margins(part.frame)
        yield pseudonymise(part.frame)
        if progress is not None:
            progress(tally.total_rows)


def estimate_rows(path: Path) -> int:
    """Number of lines of a text file (a cheap upper bound of its rows); 0 for XLSX."""
    with path.open("rb") as handle:
        if handle.read(2) == b"PK":
            return 0
        handle.seek(0)
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 22), b""))
