"""Deterministic synthetic population-register exports for benchmarks and demos.

Layout of the real Flemish export: UTF-8 with BOM, ``;``, CRLF, Dutch headers, ``dd/mm/yyyy``,
national numbers with valid check digits. No row describes a real person.
"""

from __future__ import annotations

import os

import numpy as np

HEADER = ("rijksregisternummer;naam;voornaam;geslacht;geboortedatum;straat;huisnummer;bus;"
          "postcode;gemeente;nationaliteit;burgerlijke_staat;huishoudnummer;wijk")
LAST_NAMES = np.array(["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes",
                       "Goossens", "Wouters", "De Smet", "Van Roy", "El Amrani", "Nowak", "Müller"])
FIRST_NAMES = np.array(["Maria", "Jan", "Emma", "Noah", "Louise", "Arthur", "Zainab", "Mohamed",
                        "Olivia", "Lucas", "Anna", "Piotr", "Elif", "Renée"])
STREETS = np.array(["Kerkstraat", "Stationsstraat", "Dorpsstraat", "Molenstraat", "Nieuwstraat",
                    "Schoolstraat", "Kapelstraat", "Lindelei", "Turnhoutsebaan", "Grote Steenweg"])
DISTRICTS = np.array(["Antwerpen", "Deurne", "Borgerhout", "Merksem", "Berchem", "Wilrijk"])
POSTCODES = np.array(["2000", "2100", "2140", "2170", "2600", "2610"])
NATIONALITIES = np.array(["België"] * 16 + ["Nederland", "Marokko", "Polen", "Roemenië"])
STATUSES = np.array(["ongehuwd", "gehuwd", "uit de echt gescheiden", "weduwe"])


def national_numbers(birth_dates: np.ndarray, males: np.ndarray) -> np.ndarray:
    """Distinct valid national numbers (text) for ``datetime64[D]`` birth dates and sexes.

    The serial (odd for men, even for women) counts up per birth date and sex.
    """
    years = birth_dates.astype("datetime64[Y]").astype(int) + 1970
    months = birth_dates.astype("datetime64[M]").astype(int) % 12 + 1
    days = (birth_dates - birth_dates.astype("datetime64[M]")).astype(int) + 1
    key = birth_dates.astype(np.int64) * 2 + males
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
    rank = np.empty(len(key), dtype=np.int64)
    rank[order] = np.arange(len(key)) - np.repeat(starts, np.diff(np.r_[starts, len(key)]))
    serial = rank * 2 + np.where(males, 1, 2)
    body = ((years % 100) * 10_000_000 + months * 100_000 + days * 1_000 + serial).astype(np.int64)
    prefixed = np.where(years >= 2000, 2_000_000_000 + body, body)
    check = 97 - prefixed % 97
    return np.char.zfill((body * 100 + check).astype(str), 11)


def _people(rows: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    births = (np.datetime64("1925-01-01") + rng.integers(0, 36_500, size=rows)).astype(
        "datetime64[D]")
    males = rng.random(rows) < 0.5
    return births, males, national_numbers(births, males)


def register_lines(births, males, numbers, *, start: int,
                   rng: np.random.Generator) -> list[str]:
    """Data lines (without line ends) for the given people; households are pairs of rows."""
    rows = len(births)
    dates = np.datetime_as_string(births)
    day_first = [f"{d[8:10]}/{d[5:7]}/{d[0:4]}" for d in dates]
    household = (start + np.arange(rows)) // 2 + 10_000_000
    place = rng.integers(0, len(DISTRICTS), size=rows)
    columns = [numbers, rng.choice(LAST_NAMES, rows), rng.choice(FIRST_NAMES, rows),
               np.where(males, "M", "V"), day_first, rng.choice(STREETS, rows),
               rng.integers(1, 250, rows).astype(str), np.where(rng.random(rows) < 0.3, "1", ""),
               POSTCODES[place], np.full(rows, "Antwerpen"), rng.choice(NATIONALITIES, rows),
               rng.choice(STATUSES, rows), household.astype(str), DISTRICTS[place]]
    return [";".join(cells) for cells in zip(*columns, strict=True)]


def generate_register_csv(path: str | os.PathLike, rows: int, *,
                          seed: int | np.random.Generator, block: int = 500_000) -> None:
    """Write a synthetic ``rows``-row register export to ``path`` (written block by block)."""
    rng = np.random.default_rng(seed)
    births, males, numbers = _people(rows, rng)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        handle.write(HEADER + "\r\n")
        for start in range(0, rows, block):
            part = slice(start, min(start + block, rows))
            lines = register_lines(births[part], males[part], numbers[part], start=start, rng=rng)
            handle.write("\r\n".join(lines) + "\r\n")
