"""Check and normalise one answer, for the web form and the paper data-entry screen alike."""

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from app.surveys.definition.logic import is_answered
from app.surveys.definition.model import Question
from app.surveys.definition.questions import parse_iso_date

REQUIRED = "Deze vraag is verplicht."
_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_DUTCH_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def validate_answer(question: Question, value: Any) -> tuple[Any, str | None]:
    """Normalise `value` for `question` and return it with a Dutch error message or None.

    Normal forms: single/likert → option value (str); multiple → list of values in option
    order; matrix → {item code: value} in item order; number → int (0 decimals) or float;
    text → stripped NFC text; date → ``YYYY-MM-DD``. "Don't know" codes are kept as str.
    An empty answer is ``None`` (error only when the question is required).
    """
    if not is_answered(value) or (isinstance(value, Mapping) and
                                  not any(is_answered(item) for item in value.values())):
        return None, (REQUIRED if question.required else None)
    return _VALIDATORS[question.type](question, value)


def _single(question: Question, value: Any) -> tuple[Any, str | None]:
    text = _scalar_text(value)
    if text in question.answer_values or text in question.missing_values:
        return text, None
    return None, "Kies een van de antwoorden."


def _multiple(question: Question, value: Any) -> tuple[Any, str | None]:
    chosen = [_scalar_text(item) for item in value] if isinstance(value, list | tuple) \
        else [_scalar_text(value)]
    chosen = [item for item in chosen if item]
    if len(set(chosen)) != len(chosen):
        return None, "Elk antwoord mag maar één keer aangekruist zijn."
    known = question.answer_values + question.missing_values
    if any(item not in known for item in chosen):
        return None, "Kies alleen antwoorden uit de lijst."
    if any(item in question.missing_values for item in chosen) and len(chosen) > 1:
        return None, "Een antwoord als 'weet niet' kan niet samen met andere antwoorden."
    limit = question.settings.get("max_choices")
    if limit is not None and len(chosen) > limit:
        return None, f"Kruis maximaal {limit} antwoorden aan."
    return [item for item in known if item in chosen], None


def _matrix(question: Question, value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, Mapping):
        return None, "Geef een antwoord per rij."
    codes = [item.code for item in question.items]
    if any(key not in codes for key in value):
        return None, "Onbekende rij in het antwoord."
    allowed = question.answer_values + question.missing_values
    result = {code: _scalar_text(value[code]) for code in codes if is_answered(value.get(code))}
    if any(item not in allowed for item in result.values()):
        return None, "Kies per rij een van de antwoorden."
    if question.required and len(result) < len(codes):
        return result, "Geef een antwoord op elke rij."
    return result, None


def _number(question: Question, value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str) and value.strip() in question.missing_values:
        return value.strip(), None
    decimals = question.settings.get("decimals", 0)
    number = _parse_number(value, decimals)
    if number is None:
        return None, "Vul een getal in." if decimals == 0 else \
            f"Vul een getal in (maximaal {decimals} cijfers na de komma)."
    if number != number.quantize(Decimal(1).scaleb(-decimals)):
        return None, ("Vul een geheel getal in." if decimals == 0
                      else f"Gebruik maximaal {decimals} cijfers na de komma.")
    low, high = question.settings.get("min"), question.settings.get("max")
    if (low is not None and number < Decimal(str(low))) or \
            (high is not None and number > Decimal(str(high))):
        return None, f"Vul een getal {_range_text(low, high)} in."
    return (int(number) if decimals == 0 else float(number)), None


def _parse_number(value: Any, decimals: int) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip().replace(" ", "").replace("\u00a0", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        elif decimals == 0 and _THOUSANDS.match(text):
            text = text.replace(".", "")
    else:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _range_text(low: Any, high: Any) -> str:
    def show(number: Any) -> str:
        return f"{number:g}".replace(".", ",")

    if low is not None and high is not None:
        return f"van {show(low)} tot en met {show(high)}"
    return f"vanaf {show(low)}" if low is not None else f"tot en met {show(high)}"


def _text(question: Question, value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, str):
        return None, "Vul tekst in."
    text = unicodedata.normalize("NFC", value).strip()
    text = "".join(char for char in text if char in "\n\t" or unicodedata.category(char) != "Cc")
    if not text:
        return None, (REQUIRED if question.required else None)
    limit = question.settings.get("max_length")
    if limit is not None and len(text) > limit:
        return None, f"Uw antwoord is te lang ({len(text)} tekens; maximaal {limit})."
    return text, None


def _date(question: Question, value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str) and value.strip() in question.missing_values:
        return value.strip(), None
    day = _parse_date(value)
    if day is None:
        return None, "Vul een geldige datum in als dd/mm/jjjj."
    low = parse_iso_date(question.settings.get("min"))
    high = parse_iso_date(question.settings.get("max"))
    if (low and day < low) or (high and day > high):
        return None, f"Vul een datum {_date_range(low, high)} in."
    return day.isoformat(), None


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = _DUTCH_DATE.match(text)
    if match:
        try:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            return None
    return parse_iso_date(text)


def _date_range(low: dt.date | None, high: dt.date | None) -> str:
    def show(day: dt.date) -> str:
        return day.strftime("%d/%m/%Y")

    if low and high:
        return f"van {show(low)} tot en met {show(high)}"
    return f"vanaf {show(low)}" if low else f"tot en met {show(high)}"


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    return value.strip() if isinstance(value, str) else ""


_VALIDATORS = {"single": _single, "likert": _single, "multiple": _multiple, "matrix": _matrix,
               "number": _number, "text": _text, "date": _date}
