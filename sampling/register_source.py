"""Turn a register file (CSV in any common encoding/delimiter, or XLSX) into rows of text.

Yields chunks of ``(line numbers, rows)`` where every row has exactly the header's width and
every line number is the one a user sees: the text-editor line for CSV (blank lines and quoted
multi-line cells included), the Excel row number for XLSX.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import os
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import BinaryIO

from sampling.errors import RegisterFileError
from sampling.register_headers import (
    HEADER_SEARCH_ROWS,
    header_score,
    is_header_row,
    no_header_error,
)
from sampling.register_xlsx import xlsx_rows

DELIMITERS = (";", ",", "\t")
_SNIFF_BYTES = 65_536
_BLOCK = 1 << 20


@dataclass
class RawChunk:
    """Data rows of one chunk plus row problems found while splitting lines into cells."""

    lines: list[int] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    problems: list[tuple[int, str | None, str | None, str, str]] = field(default_factory=list)
    rejected_rows: int = 0


@dataclass
class RawTable:
    header_line: int
    headers: list[str]
    chunks: Iterator[RawChunk]


@contextlib.contextmanager
def open_table(source, *, chunk_rows: int, column_mapping: Mapping[str, str] | None = None):
    """Open ``source`` and yield a :class:`RawTable`; the file is closed afterwards."""
    with _binary(source) as stream:
        head = stream.read(_SNIFF_BYTES)
        stream.seek(0)
        kind = _file_kind(head)
        if kind == "xlsx":
            rows = xlsx_rows(stream, column_mapping)
        else:
            encoding = detect_encoding(stream)
            text = io.TextIOWrapper(stream, encoding=encoding, newline="")
            rows = _csv_rows(text, column_mapping)
        try:
            header_line, headers = _find_header(rows, column_mapping)
            yield RawTable(header_line, headers, _chunks(rows, len(headers), chunk_rows))
        finally:
            if kind != "xlsx":
                text.detach()


@contextlib.contextmanager
def _binary(source) -> Iterator[BinaryIO]:
    if isinstance(source, bytes | bytearray | memoryview):
        yield io.BytesIO(bytes(source))
    elif isinstance(source, str | os.PathLike):
        try:
            handle = open(source, "rb")  # noqa: SIM115 - closed below
        except OSError as error:
            raise RegisterFileError(f"Het bestand kan niet geopend worden: {error}") from error
        with handle:
            yield handle
    elif hasattr(source, "read"):
        seekable = getattr(source, "seekable", lambda: False)()
        yield source if seekable else io.BytesIO(source.read())
    else:
        raise TypeError(f"Unsupported register source: {type(source).__name__}")


def _file_kind(head: bytes) -> str:
    if not head.strip():
        raise RegisterFileError("Het bestand is leeg.")
    if head.startswith(b"%PDF"):
        raise RegisterFileError("Dit is een PDF-bestand, geen registerexport. "
                                "Vraag een export als CSV of Excel (.xlsx).")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise RegisterFileError("Dit is een oud Excel-bestand (.xls). "
                                "Sla het op als .xlsx of als CSV en probeer opnieuw.")
    control = sum(head.count(bytes([code])) for code in range(32) if code not in (9, 10, 13))
    if b"\x00" in head or control > len(head) // 100:
        raise RegisterFileError("Dit is geen tekstbestand (CSV) en geen Excel-bestand. "
                                "Het bestand kan niet gelezen worden.")
    return "csv"


def detect_encoding(stream: BinaryIO) -> str:
    """Return ``utf-8-sig`` if the whole stream decodes strictly, else ``cp1252``, else ``latin-1``.

    The stream is read block by block (bounded memory) and rewound.
    """
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        try:
            while block := stream.read(_BLOCK):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        finally:
            stream.seek(0)
        return encoding
    return "latin-1"


def _nfc_lines(text: io.TextIOBase) -> Iterator[str]:
    for line in text:
        yield line if line.isascii() else unicodedata.normalize("NFC", line)


def _csv_rows(text: io.TextIOBase, column_mapping) -> Iterator[tuple[int, list[str]]]:
    lines = _nfc_lines(text)
    head = list(itertools.islice(lines, HEADER_SEARCH_ROWS))
    delimiter = choose_delimiter(head, column_mapping)
    reader = csv.reader(itertools.chain(head, lines), delimiter=delimiter)
    previous = 0
    try:
        for cells in reader:
            yield previous + 1, cells
            previous = reader.line_num
    except csv.Error as error:
        raise RegisterFileError(
            f"Het bestand kan niet gelezen worden rond regel {previous + 1}: {error}") from error


def choose_delimiter(head: list[str], column_mapping=None) -> str:
    """Pick the delimiter among ``;``, ``,`` and TAB that reveals a header row.

    Ties are broken by the most frequent field count, so a headerless table still gets a
    sensible choice (the caller then reports the missing columns).
    """
    def score(delimiter: str) -> tuple[int, int]:
        try:
            rows = list(csv.reader(head, delimiter=delimiter))
        except csv.Error:
            return (0, 0)
        best = max((header_score(row, column_mapping) for row in rows), default=0)
        widths = [len(row) for row in rows if len(row) > 1]
        common = max(set(widths), key=widths.count) if widths else 0
        return (best, common)

    return max(DELIMITERS, key=score)


def _find_header(rows: Iterator[tuple[int, list[str]]], column_mapping):
    seen: list[list[str]] = []
    for line, cells in itertools.islice(rows, HEADER_SEARCH_ROWS):
        if is_header_row(cells, column_mapping):
            return line, [cell.strip() for cell in cells]
        if any(cell.strip() for cell in cells):
            seen.append(cells)
    raise no_header_error(seen, column_mapping)


def _chunks(rows, width: int, chunk_rows: int) -> Iterator[RawChunk]:
    chunk = RawChunk()
    for line, cells in rows:
        if len(cells) != width:
            cells = _fit_width(chunk, line, cells, width)
            if cells is None:
                continue
        chunk.lines.append(line)
        chunk.rows.append(cells)
        if len(chunk.rows) >= chunk_rows:
            yield chunk
            chunk = RawChunk()
    if chunk.rows or chunk.problems:
        yield chunk


def _fit_width(chunk: RawChunk, line: int, cells: list[str], width: int) -> list[str] | None:
    if len(cells) < width:
        return cells + [""] * (width - len(cells))
    if not any(cell.strip() for cell in cells[width:]):
        return cells[:width]
    chunk.rejected_rows += 1
    chunk.problems.append((line, None, None, f"Deze regel heeft {len(cells)} velden, maar de "
                           f"kopregel heeft er {width}. Controleer het scheidingsteken of de "
                           "aanhalingstekens.", "error"))
    return None
