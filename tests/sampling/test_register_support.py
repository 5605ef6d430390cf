"""Helpers shared by the register tests: valid national numbers and small register files."""

from __future__ import annotations

import datetime as dt

from stdnum.be import nn

HEADERS = ["rijksregisternummer", "naam", "voornaam", "geslacht", "geboortedatum", "straat",
           "huisnummer", "bus", "postcode", "gemeente", "nationaliteit", "burgerlijke_staat",
           "huishoudnummer", "wijk"]
REFERENCE = dt.date(2026, 1, 1)


def national_number(birth: dt.date, serial: int) -> str:
    """Textbook national number: check = 97 - (nine digits mod 97), '2' prefix from 2000."""
    body = f"{birth:%y%m%d}{serial:03d}"
    prefixed = int(("2" if birth.year >= 2000 else "") + body)
    number = f"{body}{97 - prefixed % 97:02d}"
    assert nn.is_valid(number), number  # independent reference
    return number


def person(serial: int, birth: dt.date = dt.date(1985, 7, 30), **overrides) -> dict[str, str]:
    """One valid row; ``overrides`` use the Dutch header names.

    The sex follows the national number's day counter (odd: man, even: woman), as in the real
    register, so a row only contradicts its number when a test says so.
    """
    row = dict(zip(HEADERS, [
        national_number(birth, serial), "Peeters", "Jan", "M" if serial % 2 else "V",
        f"{birth:%d/%m/%Y}",
        "Kerkstraat", str(serial), "", "2000", "Antwerpen", "België", "ongehuwd",
        f"H{serial}", "Deurne"], strict=True))
    row.update(overrides)
    return row


def csv_bytes(rows: list[dict[str, str]], *, headers=HEADERS, delimiter: str = ";",
              encoding: str = "utf-8-sig", line_end: str = "\r\n",
              before: list[str] = (), after: list[str] = ()) -> bytes:
    """A register file; ``before``/``after`` are raw lines around header and data."""
    lines = [*before, delimiter.join(headers)]
    lines += [delimiter.join(row.get(header, "") for header in headers) for row in rows]
    lines += list(after)
    return (line_end.join(lines) + line_end).encode(encoding)
