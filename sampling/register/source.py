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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np
import pandas as pd

from sampling.errors import RegisterFileError
from sampling.register.headers import (
    HEADER_SEARCH_ROWS,
    header_score,
    is_header_row,
    no_header_error,
)
from sampling.register.xlsx import xlsx_rows

DELIMITERS = (";", ",", "\t")
_SNIFF_BYTES = 65_536
_BLOCK = 1 << 20
_EXTRA = 8


@dataclass
class RawChunk:
    """Data rows of one chunk as columns of text, plus problems found while splitting lines."""

    lines: np.ndarray
    columns: list[Sequence[str]]
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
        if _file_kind(head) == "xlsx":
            rows = xlsx_rows(stream, column_mapping)
            header_line, headers, _ = _find_header(rows, column_mapping)
            yield RawTable(header_line, headers, _row_chunks(rows, len(headers), chunk_rows))
            return
        encoding = detect_encoding(stream)
        with _text(stream, encoding) as text:
            delimiter, rows = _csv_rows(text, column_mapping)
            header_line, headers, records = _find_header(rows, column_mapping)
        stream.seek(0)
        with _text(stream, encoding) as text:
            first_line = header_line + 1 + sum(_breaks(cell) for cell in headers)
            chunks = csv_chunks(_NfcReader(text), delimiter=delimiter, width=len(headers),
                                skip=records, first_line=first_line, chunk_rows=chunk_rows)
            yield RawTable(header_line, [cell.strip() for cell in headers], chunks)


@contextlib.contextmanager
def _text(stream: BinaryIO, encoding: str) -> Iterator[io.TextIOWrapper]:
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        yield text
    finally:
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
        if getattr(source, "seekable", lambda: False)():
            source.seek(0)
            yield source
        else:
            yield io.BytesIO(source.read())
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
    """Lines (ends kept, split like ``newline=""``) in Unicode NFC, read in large blocks."""
    rest = ""
    while block := text.read(_BLOCK):
        block = rest + block
        cut = block.rfind("\n") + 1 or (len(block) if len(block) > 64 * _BLOCK else 0)
        block, rest = block[:cut], block[cut:]
        if not block.isascii():
            block = unicodedata.normalize("NFC", block)
        yield from io.StringIO(block, newline="")
    if rest:
        yield from io.StringIO(unicodedata.normalize("NFC", rest), newline="")


def _csv_rows(text: io.TextIOBase, column_mapping) -> tuple[str, Iterator]:
    lines = _nfc_lines(text)
    head = list(itertools.islice(lines, HEADER_SEARCH_ROWS))
    delimiter = choose_delimiter(head, column_mapping)
    reader = csv.reader(head, delimiter=delimiter)

    def rows() -> Iterator[tuple[int, list[str]]]:
        previous = 0
        with contextlib.suppress(csv.Error):
            for cells in reader:
                yield previous + 1, cells
                previous = reader.line_num

    return delimiter, rows()


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
    """``(line, header cells, records up to and including the header)``."""
    seen: list[list[str]] = []
    for records, (line, cells) in enumerate(itertools.islice(rows, HEADER_SEARCH_ROWS), 1):
        if is_header_row(cells, column_mapping):
            return line, cells, records
        if any(cell.strip() for cell in cells):
            seen.append(cells)
    raise no_header_error(seen, column_mapping)


def _row_chunks(rows, width: int, chunk_rows: int) -> Iterator[RawChunk]:
    """Chunks from an iterator of ``(line, cells)`` (XLSX)."""
    while block := list(itertools.islice(rows, chunk_rows)):
        problems: list = []
        kept = [(line, _fit_width(problems, line, cells, width)) for line, cells in block]
        kept = [(line, cells) for line, cells in kept if cells is not None]
        columns = [list(column) for column in zip(*(cells for _, cells in kept), strict=True)]
        lines = np.array([line for line, _ in kept], dtype=np.int64)
        yield RawChunk(lines, columns or [[] for _ in range(width)], problems, len(problems))


def _fit_width(problems: list, line: int, cells: list[str], width: int) -> list[str] | None:
    if len(cells) < width:
        return cells + [""] * (width - len(cells))
    if not any(cell.strip() for cell in cells[width:]):
        return cells[:width]
    problems.append((line, None, None, _too_many_fields(len(cells), width), "error"))
    return None


def _too_many_fields(count: int | str, width: int) -> str:
    return (f"Deze regel heeft {count} velden, maar de kopregel heeft er {width}. "
            "Controleer het scheidingsteken of de aanhalingstekens.")


def _breaks(value: str) -> int:
    """Line breaks in a cell as an editor counts them (CRLF, LF or CR)."""
    return value.count("\n") + value.count("\r") - value.count("\r\n")


class _NfcReader:
    """Text reader for pandas: blocks in Unicode NFC, cut after a line feed."""

    def __init__(self, text: io.TextIOBase) -> None:
        self._text, self._rest = text, ""

    def __iter__(self):
        return _nfc_lines(self._text)

    def read(self, size: int = -1) -> str:
        block = self._rest + self._text.read(size if size and size > 0 else -1)
        if not block:
            return ""
        cut = block.rfind("\n") + 1 or len(block)
        block, self._rest = block[:cut], block[cut:]
        return block if block.isascii() else unicodedata.normalize("NFC", block)


def csv_chunks(reader, *, delimiter: str, width: int, skip: int, first_line: int,
               chunk_rows: int) -> Iterator[RawChunk]:
    """Data rows via the pandas C parser, with exact editor line numbers.

    Rows with fewer fields are padded; up to ``_EXTRA`` surplus fields are read so that a
    row with non-empty surplus cells becomes a row problem instead of a parser failure.
    """
    options = dict(sep=delimiter, header=None, names=range(width + _EXTRA), dtype=str,
                   na_filter=False, skip_blank_lines=False, skiprows=skip, engine="c",
                   chunksize=chunk_rows, quotechar='"')
    line = first_line
    try:
        for frame in pd.read_csv(reader, **options):
            chunk, line = _csv_chunk(frame, width, line)
            yield chunk
    except (pd.errors.ParserError, ValueError, IndexError) as error:
        raise RegisterFileError(
            f"Het bestand kan niet als tabel gelezen worden na regel {line - 1}: te veel velden "
            "of een aanhalingsteken dat niet gesloten wordt.") from error


def _csv_chunk(frame: pd.DataFrame, width: int, line: int) -> tuple[RawChunk, int]:
    columns = [frame[position].to_numpy(dtype=object) for position in frame.columns]
    extra = np.zeros(len(frame), dtype=np.int64)
    for values in columns:
        joined = "".join(values)
        if "\n" in joined or "\r" in joined:
            extra += np.fromiter((_breaks(value) for value in values), np.int64, len(values))
    lines = line + np.arange(len(frame)) + np.concatenate([[0], np.cumsum(extra)[:-1]])
    surplus = np.zeros(len(frame), dtype=bool)
    for values in columns[width:]:
        if not "".join(values).strip():
            continue
        surplus |= np.fromiter((bool(value.strip()) for value in values), bool, len(values))
    problems = [(int(number), None, None, _too_many_fields("meer", width), "error")
                for number in lines[surplus]]
    keep = ~surplus
    chunk = RawChunk(lines[keep], [values[keep] for values in columns[:width]], problems,
                     int(surplus.sum()))
    return chunk, int(line + len(frame) + extra.sum())
