"""Belgian postal addresses written the way bpost asks for them.

Three lines, left aligned, no blank lines, one language::

    Maria Van Roy
    Stationsstraat 12 bus 3
    1500 Halle

The street comes before the house number, a box is written ``bus`` (never ``/``, ``b`` or
``#``), the postcode has no ``B-`` prefix and Belgian addresses get no country line.

Lines are limited to :data:`MAX_LINE_LENGTH` (50) characters. A name that is too long is
shortened by reducing first names to initials ("M. J. Van Roy-De Smet"), then cut; a street
line keeps its house number and box whole and cuts the street name, ending it with a full
stop as an abbreviation mark; the municipality is cut the same way. Such cuts are rare
(the longest Belgian street and municipality names fit) and keep the sorting information.
"""

import re

MAX_LINE_LENGTH = 50

_BOX_PREFIX = re.compile(r"^(?:bus|bte|boîte|boite|box|bt|b|/|#|-)\s*\.?\s*(?=\S)", re.IGNORECASE)
_NUMBER_WITH_BOX = re.compile(
    r"^(?P<number>[^/\s]+?)\s*(?:/\s*(?P<slash>.+)|\s(?:bus|bte)\.?\s*(?P<word>.+)"
    r"|\s?b\.?\s*(?P<letter>\d.*))$",
    re.IGNORECASE,
)
_POSTCODE = re.compile(r"^(?:B\s*-?\s*)?(\d{4})$", re.IGNORECASE)
_NATURAL_PART = re.compile(r"(\d+)")


class AddressError(ValueError):
    """An address that cannot be written as a Belgian postal address."""


def format_address(first_name: str, last_name: str, street: str, house_number: str,
                   box: str | None, postcode: str, municipality: str) -> list[str]:
    """The three address lines for a Belgian resident, following bpost's rules.

    A box may come in its own field ("b3", "/3", "bus 3", "3") or inside the house number
    ("12/3", "12 bus 3"); both are written "12 bus 3".

    Raises AddressError when the street, house number or municipality is empty or the
    postcode is not four digits.
    """
    number, box_text = split_house_number(house_number, box)
    street, municipality = _clean(street), _clean(municipality)
    if not street or not number or not municipality:
        raise AddressError("Straat, huisnummer en gemeente zijn verplicht.")
    return [
        _name_line(_clean(first_name), _clean(last_name)),
        _fit(street, f" {number}" + (f" bus {box_text}" if box_text else "")),
        _fit(municipality, "", prefix=f"{normalise_postcode(postcode)} "),
    ]


def normalise_postcode(postcode: str) -> str:
    """Four-digit Belgian postcode without a ``B-`` prefix; AddressError otherwise."""
    match = _POSTCODE.match(_clean(postcode))
    if match is None:
        raise AddressError(f"Ongeldige Belgische postcode: {postcode!r}.")
    return match.group(1)


def normalise_box(box: str | None) -> str:
    """The box number alone ("b3", "/3", "bus 3", "3" all give "3"; "0003" gives "3")."""
    text = _clean(box or "")
    if text.casefold().rstrip(".") in {"bus", "bte", "boîte", "boite", "box", "/", "#", "-"}:
        return ""
    text = _BOX_PREFIX.sub("", text)
    if text.isdigit():
        text = text.lstrip("0") or "0"
    return text


def split_house_number(house_number: str, box: str | None = None) -> tuple[str, str]:
    """House number and normalised box, taking a box written inside the house number."""
    number = _clean(house_number)
    match = _NUMBER_WITH_BOX.match(number)
    if match is not None and not normalise_box(box):
        number = match.group("number")
        box = match.group("slash") or match.group("word") or match.group("letter")
    return number, normalise_box(box)


def address_sort_key(postcode: str, street: str, house_number: str,
                     box: str | None = None) -> tuple:
    """Sort key for bulk mail: postcode, street, then house number and box in natural order."""
    number, box_text = split_house_number(house_number, box)
    try:
        postcode = normalise_postcode(postcode)
    except AddressError:
        postcode = _clean(postcode)
    return (postcode, _clean(street).casefold(), _natural(number), _natural(box_text))


def _natural(text: str) -> tuple:
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
                 for part in _NATURAL_PART.split(text) if part)


def _name_line(first_name: str, last_name: str) -> str:
    full = f"{first_name} {last_name}".strip()
    if len(full) <= MAX_LINE_LENGTH:
        return full
    initials = " ".join(f"{part[0]}." for part in re.split(r"[\s-]+", first_name) if part)
    return _fit(last_name, "", prefix=f"{initials} " if initials else "")


def _fit(text: str, suffix: str, prefix: str = "") -> str:
    room = MAX_LINE_LENGTH - len(prefix) - len(suffix)
    if len(text) > room:
        text = text[: max(room - 1, 1)].rstrip(" -") + "."
    return f"{prefix}{text}{suffix}"


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())
