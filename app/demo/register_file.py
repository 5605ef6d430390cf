"""Deterministic synthetic register of the fictional city of Zennegem (demo data only).

The file it writes has the layout of a Flemish population-service export (UTF-8 with BOM,
``;``, CRLF, Dutch headers, dd/mm/yyyy), so the demo goes through the real importer.
National numbers have valid check digits but are synthetic.
"""

import csv
import io
from datetime import date, timedelta

import numpy as np

HEADER = ["rijksregisternummer", "naam", "voornaam", "geslacht", "geboortedatum", "straat",
          "huisnummer", "bus", "postcode", "gemeente", "nationaliteit", "burgerlijke_staat",
          "huishoudnummer", "wijk"]
# District, postcode, relative size, streets.
DISTRICTS = [
    ("Centrum", "1500", 14, ["Grote Markt", "Zennestraat", "Kerkstraat", "Molenstraat"]),
    ("Stationswijk", "1500", 11, ["Stationsplein", "Spoorweglaan", "Vaartstraat"]),
    ("Zuidwijk", "1500", 10, ["Zuidlaan", "Bergensesteenweg", "Populierenlaan"]),
    ("Kanaalzone", "1500", 9, ["Kanaaldijk", "Sluisstraat", "Jaagpad"]),
    ("Nieuwbouw", "1500", 8, ["Lindenlaan", "Eikenlaan", "Beukenlaan"]),
    ("Hoogveld", "1501", 9, ["Hoogveldstraat", "Kapelweg", "Boterhamstraat"]),
    ("Lembeek-Dorp", "1502", 8, ["Dorpsplein", "Bosstraat", "Sint-Veronaplein"]),
    ("Essenbeek", "1500", 7, ["Essenbeekstraat", "Vijverweg"]),
    ("Breedhout", "1502", 6, ["Breedhoutstraat", "Hoevestraat"]),
    ("Sint-Rochus", "1500", 6, ["Sint-Rochusstraat", "Oudstrijderslaan"]),
    ("Buizingen-Zuid", "1501", 7, ["Alsembergsesteenweg", "Kasteelstraat"]),
    ("Wolvenberg", "1500", 5, ["Wolvenstraat", "Heidestraat"]),
]
FIRST_M = ["Jan", "Peter", "Luc", "Marc", "Bart", "Tom", "Wim", "Koen", "Lucas", "Noah", "Arthur",
           "Louis", "Jules", "Victor", "Mohamed", "Adam", "Emre", "Piotr", "Andrei", "Ahmad"]
FIRST_F = ["Maria", "Anne", "Els", "Sofie", "An", "Katrien", "Lotte", "Emma", "Olivia", "Louise",
           "Marie", "Nora", "Elise", "Fatima", "Yasmina", "Elif", "Anna", "Ioana", "Zainab", "Léa"]
LAST = ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
        "Wouters", "De Smet", "Van den Broeck", "Vermeulen", "Dubois", "Lambert", "Van Roy",
        "El Amrani", "Yilmaz", "Kowalski", "Popescu", "De Backer", "Desmet", "Van Damme"]
BELGIAN = "België"
EU = ["Nederland", "Frankrijk", "Roemenië", "Polen", "Italië", "Spanje", "Bulgarije"]
NON_EU = ["Marokko", "Turkije", "Syrië", "Afghanistan", "Congo (Democratische Republiek)", "Irak"]
# Share of residents per 5-year age group 0-4 ... 95-99 (a Flemish-like pyramid).
AGE_WEIGHTS = np.array([5.3, 5.6, 5.7, 5.5, 5.6, 6.0, 6.3, 6.4, 6.5, 6.7, 7.0, 7.2, 6.6, 5.9, 5.3,
                        3.9, 2.8, 1.9, 0.9, 0.3])
HOUSEHOLD_SIZES = np.array([1, 2, 3, 4, 5, 6])
HOUSEHOLD_WEIGHTS = np.array([0.33, 0.33, 0.15, 0.12, 0.05, 0.02])


def national_number(birth: date, serial: int) -> str:
    """Belgian national number with a valid check digit (century rule for births from 2000)."""
    base = f"{birth:%y%m%d}{serial:03d}"
    prefix = "2" if birth.year >= 2000 else ""
    check = 97 - int(prefix + base) % 97
    return f"{base}{check:02d}"


def generate_register_csv(residents: int = 40_000, *, seed: int = 2026,
                          reference_date: date = date(2026, 1, 1)) -> bytes:
    """A register export of about ``residents`` people, fully determined by ``seed``."""
    rng = np.random.default_rng(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    people, household, serials = 0, 0, set()
    weights = np.array([d[2] for d in DISTRICTS], dtype=float)
    while people < residents:
        household += 1
        district = DISTRICTS[rng.choice(len(DISTRICTS), p=weights / weights.sum())]
        size = int(rng.choice(HOUSEHOLD_SIZES, p=HOUSEHOLD_WEIGHTS))
        address = (district[3][int(rng.integers(len(district[3])))], str(int(rng.integers(1, 180))),
                   "" if rng.random() > 0.15 else str(int(rng.integers(1, 30))))
        nationality = _nationality(rng)
        for row in _household(rng, size, reference_date, nationality, serials):
            writer.writerow([row["nn"], row["last"], row["first"], row["sex"],
                             f"{row['birth']:%d/%m/%Y}", address[0], address[1], address[2],
                             district[1], "Zennegem", row["nationality"], row["civil"],
                             f"{40_000_000 + household}", district[0]])
            people += 1
    return buffer.getvalue().encode("utf-8-sig")


def _nationality(rng: np.random.Generator) -> str:
    roll = rng.random()
    if roll < 0.85:
        return BELGIAN
    if roll < 0.92:
        return EU[int(rng.integers(len(EU)))]
    return NON_EU[int(rng.integers(len(NON_EU)))]


def _household(rng, size, reference_date, nationality, serials):
    head_age = int(rng.integers(27, 56)) if size >= 3 else _age(rng, minimum=19)
    last = LAST[int(rng.integers(len(LAST)))]
    members = [(head_age, None, "gehuwd" if size > 1 else _single(rng, head_age))]
    if size >= 2:
        members.append((int(np.clip(head_age + rng.integers(-5, 6), 18, 99)), "partner", "gehuwd"))
    for _ in range(size - 2):
        child = max(0, head_age - int(rng.integers(22, 40)))
        members.append((child, "child", "ongehuwd"))
    sex_head = "M" if rng.random() < 0.5 else "V"
    for index, (age, relation, civil) in enumerate(members):
        sex = ("V" if sex_head == "M" else "M") if relation == "partner" else (
            sex_head if index == 0 else ("M" if rng.random() < 0.51 else "V"))
        birth = reference_date - timedelta(days=int(age * 365.25 + rng.integers(1, 365)))
        names = FIRST_M if sex == "M" else FIRST_F
        yield {"nn": _unique_number(rng, birth, sex, serials), "last": last,
               "first": names[int(rng.integers(len(names)))], "sex": sex, "birth": birth,
               "nationality": nationality, "civil": civil}


def _single(rng, age):
    return "weduwe" if age > 75 and rng.random() < 0.5 else "ongehuwd"


# Singles and couples are older than the population: heads of 1-2 person households.
HEAD_WEIGHTS = AGE_WEIGHTS * np.where(np.arange(len(AGE_WEIGHTS)) >= 11, 2.2, 1.0)


def _age(rng, minimum=0):
    while True:
        group = int(rng.choice(len(HEAD_WEIGHTS), p=HEAD_WEIGHTS / HEAD_WEIGHTS.sum()))
        age = group * 5 + int(rng.integers(0, 5))
        if age >= minimum:
            return age


def _unique_number(rng, birth, sex, serials):
    while True:
        serial = int(rng.integers(1, 998))
        if (serial % 2 == 1) != (sex == "M"):
            serial += 1  # odd serials for men, even for women
        number = national_number(birth, serial)
        if number not in serials:
            serials.add(number)
            return number
