"""Type-specific parts of a question: options, matrix items and settings (with defaults)."""

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from app.surveys.definition.model import (
    CODE_PATTERN,
    DEFAULT_TEXT_MAX_LENGTH,
    MAX_ITEMS,
    MAX_TEXT_ANSWER_LENGTH,
    MatrixItem,
    default_likert_options,
    frozen_texts,
)
from app.surveys.definition.parts import (
    Context,
    check_unique_values,
    is_finite_number,
    parse_options,
    parse_texts,
)

_CODE = re.compile(CODE_PATTERN)
_SETTINGS = {"single": set(), "multiple": {"max_choices"}, "likert": {"points"},
             "matrix": {"points"}, "number": {"min", "max", "decimals"},
             "text": {"max_length"}, "date": {"min", "max"}}
_CHOICE_TYPES = {"single", "multiple", "likert", "matrix"}
_NUMBER_LIMIT = 1e12


def parse_question_body(raw: Mapping, kind: str, where: str, context: Context) -> dict[str, Any]:
    """Options, missing codes, items and settings of a question of type `kind`."""
    settings = raw.get("settings", {})
    if not isinstance(settings, Mapping):
        context.error(where, "'settings' moet een object zijn")
        settings = {}
    for key in sorted(set(settings) - _SETTINGS[kind], key=str):
        context.error(where, f"onbekende instelling '{key}' voor type '{kind}'")
    settings = {key: value for key, value in settings.items() if key in _SETTINGS[kind]}
    options = _options(raw, kind, settings, where, context)
    missing = parse_options(raw.get("missing"), where, "weet-niet-code", context)
    check_unique_values(options, missing, where, context)
    items = _items(raw.get("items"), kind, where, context)
    checked = _SETTING_CHECKS[kind](settings, options, where, context)
    return {"options": options, "missing": missing, "items": items,
            "settings": frozen_texts(checked)}


def _options(raw: Mapping, kind: str, settings: Mapping, where: str, context: Context) -> tuple:
    if kind not in _CHOICE_TYPES:
        if raw.get("options"):
            context.error(where, f"antwoordopties horen niet bij type '{kind}'")
        return ()
    if kind in {"likert", "matrix"} and "options" not in raw:
        if settings.get("points") in (5, 7) and not isinstance(settings["points"], bool):
            return tuple(default_likert_options(settings["points"], context.languages))
        return ()
    options = parse_options(raw.get("options"), where, "antwoord", context)
    if len(options) < 2 and "options" in raw and isinstance(raw.get("options"), list):
        context.error(where, "minstens 2 antwoordopties nodig")
    elif "options" not in raw:
        context.error(where, "ontbrekend veld 'options'")
    return options


def _items(raw: Any, kind: str, where: str, context: Context) -> tuple[MatrixItem, ...]:
    if kind != "matrix":
        if raw:
            context.error(where, f"'items' horen alleen bij type 'matrix', niet bij '{kind}'")
        return ()
    if not isinstance(raw, list) or not raw:
        context.error(where, "een matrix heeft een niet-lege lijst 'items' nodig")
        return ()
    if len(raw) > MAX_ITEMS:
        context.error(where, f"te veel items ({len(raw)}); maximaal {MAX_ITEMS}")
        return ()
    items = [_item(entry, f"{where}, item {index}", context)
             for index, entry in enumerate(raw, start=1)]
    codes = [item.code for item in items if item is not None]
    for code in sorted({code for code in codes if codes.count(code) > 1}):
        context.error(where, f"dubbele itemcode {code}")
    return tuple(item for item in items if item is not None)


def _item(raw: Any, where: str, context: Context) -> MatrixItem | None:
    if not isinstance(raw, Mapping):
        context.error(where, "moet een object {\"code\": …, \"text\": …} zijn")
        return None
    for key in sorted(set(raw) - {"code", "text"}, key=str):
        context.error(where, f"onbekend veld '{key}'")
    code = raw.get("code")
    if not isinstance(code, str) or not _CODE.match(code):
        context.error(where, f"ongeldige itemcode {code!r}")
        return None
    return MatrixItem(code=code, text=parse_texts(raw.get("text"), f"{where} ({code})", context,
                                                  required=True))


def _no_settings(settings: Mapping, options: tuple, where: str, context: Context) -> dict:
    return {}


def _multiple(settings: Mapping, options: tuple, where: str, context: Context) -> dict:
    if "max_choices" not in settings:
        return {}
    value = settings["max_choices"]
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= len(options):
        context.error(where, f"max_choices moet een geheel getal van 1 tot {len(options)} zijn")
        return {}
    return {"max_choices": value}


def _likert(settings: Mapping, options: tuple, where: str, context: Context) -> dict:
    points = settings.get("points")
    if points not in (5, 7) or isinstance(points, bool):
        context.error(where, f"points moet 5 of 7 zijn, niet {points!r}")
        return {}
    if options and len(options) != points:
        context.error(where, f"een {points}-puntenschaal heeft {points} antwoorden nodig, "
                             f"niet {len(options)}")
    return {"points": points}


def _number(settings: Mapping, options: tuple, where: str, context: Context) -> dict:
    checked: dict[str, Any] = {"decimals": settings.get("decimals", 0)}
    decimals = checked["decimals"]
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 4:
        context.error(where, "decimals moet een geheel getal van 0 tot 4 zijn")
        checked["decimals"] = 0
    for key in ("min", "max"):
        if key in settings:
            value = settings[key]
            if not is_finite_number(value) or abs(value) > _NUMBER_LIMIT:
                context.error(where, f"{key} moet een getal zijn")
            else:
                checked[key] = value
    if checked.get("min", -_NUMBER_LIMIT) > checked.get("max", _NUMBER_LIMIT):
        context.error(where, f"min ({checked['min']}) is groter dan max ({checked['max']})")
    return checked


def _text(settings: Mapping, options: tuple, where: str, context: Context) -> dict:
    value = settings.get("max_length", DEFAULT_TEXT_MAX_LENGTH)
    if not isinstance(value, int) or isinstance(value, bool) or \
            not 1 <= value <= MAX_TEXT_ANSWER_LENGTH:
        context.error(where, f"max_length moet een geheel getal van 1 tot "
                             f"{MAX_TEXT_ANSWER_LENGTH} zijn")
        value = DEFAULT_TEXT_MAX_LENGTH
    return {"max_length": value}


def _date(settings: Mapping, options: tuple, where: str, context: Context) -> dict:
    checked: dict[str, str] = {}
    for key in ("min", "max"):
        if key in settings:
            if parse_iso_date(settings[key]) is None:
                context.error(where, f"{key} moet een datum JJJJ-MM-DD zijn, "
                                     f"niet {settings[key]!r}")
            else:
                checked[key] = settings[key]
    if "min" in checked and "max" in checked and checked["min"] > checked["max"]:
        context.error(where, f"min ({checked['min']}) ligt na max ({checked['max']})")
    return checked


def parse_iso_date(value: Any) -> dt.date | None:
    """The date of a ``YYYY-MM-DD`` string, else None."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


_SETTING_CHECKS = {"single": _no_settings, "multiple": _multiple, "likert": _likert,
                   "matrix": _likert, "number": _number, "text": _text, "date": _date}
