"""The city's street -> district table (CSV ``straat;postcode;wijk`` or ``straat;wijk``).

Used when a register export has no ``wijk`` column. Stored per import as JSON rows
``[street, postcode or None, district]``.
"""

import csv
import io

from sampling.register.headers import normalise_header

MAX_ROWS = 100_000
_NAMES = {"straat": "street", "straatnaam": "street", "rue": "street", "street": "street",
          "postcode": "postcode", "postnummer": "postcode", "codepostal": "postcode",
          "wijk": "district", "district": "district", "quartier": "district"}


class _Semicolon(csv.excel):
    delimiter = ";"


class StreetTableError(ValueError):
    """The street table cannot be used; the message is Dutch and safe to show."""


def _text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise StreetTableError("De stratenlijst is geen leesbaar tekstbestand (CSV).")


def _rows(text: str) -> list[list[str]]:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:
        dialect = _Semicolon
    rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    return [row for row in rows if any(row)]


def _positions(header: list[str]) -> dict[str, int] | None:
    names = [_NAMES.get(normalise_header(cell)) for cell in header]
    if "street" not in names or "district" not in names:
        return None
    return {name: index for index, name in enumerate(names) if name}


def read_street_table(data: bytes) -> list[list]:
    """Parse the table into ``[street, postcode or None, district]`` rows."""
    if b"\x00" in data[:4096] or data[:4] == b"%PDF" or data[:2] == b"PK":
        raise StreetTableError("De stratenlijst moet een CSV-bestand zijn "
                               "(straat;postcode;wijk of straat;wijk).")
    rows = _rows(_text(data))
    if not rows:
        raise StreetTableError("De stratenlijst is leeg.")
    positions, first_line = _positions(rows[0]), 1
    if positions is None:
        if len(rows[0]) not in (2, 3):
            raise StreetTableError("Kolommen niet herkend: gebruik straat;postcode;wijk of "
                                   "straat;wijk, met die kolomkoppen op de eerste regel.")
        positions = {"street": 0, "district": len(rows[0]) - 1,
                     **({"postcode": 1} if len(rows[0]) == 3 else {})}
    else:
        rows, first_line = rows[1:], 2
    return _table(rows, positions, first_line)


def _table(rows: list[list[str]], positions: dict[str, int], first_line: int) -> list[list]:
    if len(rows) > MAX_ROWS:
        raise StreetTableError("De stratenlijst heeft te veel regels.")
    table = []
    for line, row in enumerate(rows, start=first_line):
        cells = [row[index] if index < len(row) else "" for index in positions.values()]
        values = dict(zip(positions, cells, strict=True))
        if not values["street"] or not values["district"]:
            raise StreetTableError(f"Regel {line} van de stratenlijst mist een straat of wijk.")
        table.append([values["street"], values.get("postcode") or None, values["district"]])
    if not table:
        raise StreetTableError("De stratenlijst bevat alleen kolomkoppen.")
    return table
