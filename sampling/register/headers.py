"""Header recognition for population-register exports (Dutch, French and English names)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from sampling.errors import MissingColumnsError, RegisterFileError

REQUIRED_COLUMNS = (
    "national_number", "last_name", "first_name", "sex", "birth_date",
    "street", "house_number", "postcode", "household_id",
)
OPTIONAL_COLUMNS = ("box", "municipality", "nationality", "civil_status", "district")
SOURCE_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

SYNONYMS: dict[str, tuple[str, ...]] = {
    "national_number": (
        "rijksregisternummer", "rijksregisternr", "rijksregister", "insz", "insz-nummer",
        "inszn", "numéro national", "numero de registre national", "numéro de registre national",
        "registre national", "niss", "national number", "national register number",
        "nationaal nummer",
    ),
    "last_name": ("naam", "familienaam", "achternaam", "nom", "nom de famille",
                  "last name", "surname", "family name"),
    "first_name": ("voornaam", "voornamen", "prénom", "prénoms", "first name", "given name",
                   "given names"),
    "sex": ("geslacht", "sexe", "sex", "gender"),
    "birth_date": ("geboortedatum", "geboortedag", "date de naissance", "birth date",
                   "date of birth", "birthdate", "dob"),
    "street": ("straat", "straatnaam", "rue", "street", "street name"),
    "house_number": ("huisnummer", "huisnr", "nummer", "numéro", "numero", "n°",
                     "house number", "number"),
    "box": ("bus", "busnummer", "busnr", "boîte", "boite", "box", "bte"),
    "postcode": ("postcode", "postnummer", "code postal", "postal code", "zip", "zip code"),
    "municipality": ("gemeente", "woonplaats", "deelgemeente", "commune", "localité",
                     "municipality", "city", "town"),
    "nationality": ("nationaliteit", "nationalité", "nationality"),
    "civil_status": ("burgerlijke staat", "burgerlijkestaat", "état civil", "civil status",
                     "marital status"),
    "household_id": ("huishoudnummer", "gezinsnummer", "huishouden", "huishoudennummer",
                     "ménage", "numéro de ménage", "household", "household id",
                     "household number"),
    "district": ("wijk", "district", "quartier", "statistische sector", "sector",
                 "secteur statistique"),
}

HEADER_SEARCH_ROWS = 20
MINIMUM_HEADER_MATCHES = 4


def normalise_header(header: object) -> str:
    """Fold case, accents, spaces, underscores and punctuation away: ``"Prénom "`` -> ``prenom``."""
    decomposed = unicodedata.normalize("NFKD", str(header))
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[\W_]+", "", without_accents.casefold())


_LOOKUP = {
    normalise_header(name): canonical
    for canonical, names in SYNONYMS.items()
    for name in names
}


def map_headers(
    headers: Sequence[str], column_mapping: Mapping[str, str] | None = None
) -> tuple[dict[str, str], list[str]]:
    """Map source headers to canonical column names.

    Matching ignores case, accents, spaces, underscores and dashes. A user-made
    ``column_mapping`` (source header -> canonical name) takes precedence. Each canonical
    column is mapped once; a later header for the same column is reported as unmapped.

    Parameters
    ----------
    headers : sequence of str
        The header cells as found in the file.
    column_mapping : mapping, optional
        Extra source header -> canonical column pairs chosen by the user.

    Returns
    -------
    mapping : dict
        Source header -> canonical column.
    unmapped : list of str
        Non-blank headers that map to nothing.

    References
    ----------
    .. [1] FOD Binnenlandse Zaken, "IT-lijst Rijksregister", field names of register extracts.
    """
    user = {normalise_header(key): value for key, value in (column_mapping or {}).items()}
    mapping: dict[str, str] = {}
    unmapped: list[str] = []
    for header in headers:
        key = normalise_header(header)
        canonical = user.get(key) or _LOOKUP.get(key)
        if canonical in SOURCE_COLUMNS and canonical not in mapping.values():
            mapping[header] = canonical
        elif str(header).strip():
            unmapped.append(header)
    return mapping, unmapped


def header_score(cells: Sequence[str], column_mapping: Mapping[str, str] | None = None) -> int:
    """Number of distinct canonical columns that the cells of one row would map to."""
    mapping, _ = map_headers([cell for cell in cells if str(cell).strip()], column_mapping)
    return len(mapping)


def is_header_row(cells: Sequence[str], column_mapping: Mapping[str, str] | None = None) -> bool:
    """Whether a row looks like the header row (at least four known column names)."""
    return header_score(cells, column_mapping) >= MINIMUM_HEADER_MATCHES


def missing_required(mapping: Mapping[str, str]) -> list[str]:
    """Required canonical columns that the mapping does not provide."""
    return [column for column in REQUIRED_COLUMNS if column not in mapping.values()]


def missing_columns_error(headers: Sequence[str], mapping: Mapping[str, str]) -> RegisterFileError:
    """The Dutch error for a header row that lacks required columns."""
    missing = missing_required(mapping)
    found = [str(header) for header in headers if str(header).strip()]
    names = ", ".join(DUTCH_NAMES[column] for column in missing)
    return MissingColumnsError(
        f"Deze verplichte kolommen zijn niet gevonden: {names}. "
        f"Gevonden kolomkoppen: {', '.join(found) or '(geen)'}. "
        "Duid aan welke kolom wat bevat.",
        missing=missing, headers=found,
    )


def no_header_error(rows: Sequence[Sequence[str]], column_mapping=None) -> RegisterFileError:
    """The Dutch error when no header row is found in the first rows of the file."""
    tables = [row for row in rows if sum(bool(str(cell).strip()) for cell in row) > 1]
    if not tables:
        return RegisterFileError(
            "Dit bestand is geen tabel: er zijn geen kolommen gevonden. "
            "Vraag een export als CSV of Excel (.xlsx) met één rij per inwoner.")
    best = max(tables, key=lambda row: header_score(row, column_mapping))
    mapping, _ = map_headers(best, column_mapping)
    return missing_columns_error(best, mapping)


DUTCH_NAMES = {
    "national_number": "rijksregisternummer", "last_name": "naam", "first_name": "voornaam",
    "sex": "geslacht", "birth_date": "geboortedatum", "street": "straat",
    "house_number": "huisnummer", "box": "bus", "postcode": "postcode",
    "municipality": "gemeente", "nationality": "nationaliteit",
    "civil_status": "burgerlijke staat", "household_id": "huishoudnummer", "district": "wijk",
}
