"""Read the rows of an XLSX register export as text cells with their Excel row numbers."""

from __future__ import annotations

import datetime as dt
import itertools
import zipfile
from collections.abc import Iterator, Mapping
from typing import BinaryIO

from sampling.errors import RegisterFileError
from sampling.register.headers import HEADER_SEARCH_ROWS, is_header_row


def cell_text(value: object) -> str:
    """Excel cell value as text: whole floats lose ``.0``, dates become ``yyyy-mm-dd``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def xlsx_rows(
    stream: BinaryIO, column_mapping: Mapping[str, str] | None = None
) -> Iterator[tuple[int, list[str]]]:
    """Rows of the first sheet that has a header row (else the first sheet), as text cells."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise RegisterFileError(
            "Dit is een ZIP- of Office-bestand dat niet als Excel-werkblad (.xlsx) gelezen kan "
            "worden.") from error
    try:
        yield from _sheet_rows(workbook, column_mapping)
    finally:
        workbook.close()


def _sheet_rows(workbook, column_mapping) -> Iterator[tuple[int, list[str]]]:
    first = None
    for sheet in workbook.worksheets:
        rows = (
            (number, [cell_text(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
        head = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
        if any(is_header_row(cells, column_mapping) for _, cells in head):
            yield from itertools.chain(head, rows)
            return
        first = first or head
    yield from first or []
