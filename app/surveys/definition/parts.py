"""Parsing helpers shared by the definition parser: texts, options, conditions."""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.surveys.definition.model import (
    MAX_CONDITION_DEPTH,
    MAX_CONDITION_TERMS,
    MAX_OPTIONS,
    MAX_TEXT_LENGTH,
    OPERATORS,
    SOURCE_LANGUAGE,
    AnyCondition,
    Condition,
    ConditionGroup,
    Option,
    Texts,
    frozen_texts,
)

MAX_VALUE_LENGTH = 100


@dataclass
class Context:
    """Collected error messages and what the parser has learnt so far."""

    errors: list[str] = field(default_factory=list)
    languages: tuple[str, ...] = (SOURCE_LANGUAGE,)
    question_codes: set[str] = field(default_factory=set)

    def error(self, where: str, message: str) -> None:
        """Record `message` at location `where`."""
        self.errors.append(f"{where}: {message}" if where else message)


def is_finite_number(value: Any) -> bool:
    """True for int/float values that are not bool, NaN or infinite."""
    return isinstance(value, int | float) and not isinstance(value, bool) and \
        math.isfinite(value)


def parse_texts(raw: Any, where: str, context: Context, *, required: bool = False) -> Texts:
    """A language → text mapping; languages must be declared, Dutch present when required."""
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        context.error(where, "tekst moet een object per taal zijn, bv. {\"nl\": \"…\"}")
        return frozen_texts({})
    texts: dict[str, str] = {}
    for language, text in raw.items():
        if language not in context.languages:
            context.error(where, f"tekst in een taal die niet bij 'languages' staat: {language!r}")
        elif not isinstance(text, str):
            context.error(where, f"tekst ({language}) moet tekst zijn")
        elif len(text) > MAX_TEXT_LENGTH:
            context.error(where, f"tekst ({language}) is te lang ({len(text)} tekens; "
                                 f"maximaal {MAX_TEXT_LENGTH})")
        elif any(ord(char) < 32 and char not in "\n\t" for char in text):
            context.error(where, f"tekst ({language}) bevat een onzichtbaar stuurteken")
        else:
            texts[language] = text
    if required and not texts.get(SOURCE_LANGUAGE, "").strip():
        context.error(where, "ontbrekende Nederlandse tekst")
    return frozen_texts(texts)


def parse_options(raw: Any, where: str, label: str, context: Context) -> tuple[Option, ...]:
    """A list of ``{"value": "1", "label": {...}}`` with unique, non-empty string values."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        context.error(where, f"'{label}' moet een lijst zijn")
        return ()
    if len(raw) > MAX_OPTIONS:
        context.error(where, f"te veel antwoorden ({len(raw)}); maximaal {MAX_OPTIONS}")
        return ()
    options = [_option(item, f"{where}, {label} {index}", context)
               for index, item in enumerate(raw, start=1)]
    return tuple(option for option in options if option is not None)


def _option(raw: Any, where: str, context: Context) -> Option | None:
    if not isinstance(raw, Mapping):
        context.error(where, "moet een object {\"value\": …, \"label\": …} zijn")
        return None
    for key in sorted(set(raw) - {"value", "label"}, key=str):
        context.error(where, f"onbekend veld '{key}'")
    value = raw.get("value")
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        context.error(where, f"waarde {value!r} moet niet-lege tekst zijn zonder spaties "
                             "rondom, bv. \"1\"")
        return None
    if len(value) > MAX_VALUE_LENGTH:
        context.error(where, f"waarde is te lang (maximaal {MAX_VALUE_LENGTH} tekens)")
    return Option(value=value, label=parse_texts(raw.get("label"), where, context,
                                                 required=True))


def check_unique_values(options: tuple[Option, ...], missing: tuple[Option, ...], where: str,
                        context: Context) -> None:
    """Option values unique; "don't know" codes unique and distinct from option values."""
    seen: set[str] = set()
    for option in options + missing:
        if option.value in seen:
            context.error(where, f"waarde '{option.value}' komt twee keer voor"
                          + (" (ook als antwoord)" if option in missing else ""))
        seen.add(option.value)


def parse_condition(raw: Any, where: str, context: Context) -> AnyCondition | None:
    """A condition or ``{"all": [...]}`` / ``{"any": [...]}``; ``None`` when absent."""
    if raw is None:
        return None
    counter = [0]
    return _condition(raw, where, context, depth=0, counter=counter)


def _condition(raw: Any, where: str, context: Context, *, depth: int,
               counter: list[int]) -> AnyCondition | None:
    counter[0] += 1
    if counter[0] > MAX_CONDITION_TERMS or depth > MAX_CONDITION_DEPTH:
        if counter[0] == MAX_CONDITION_TERMS + 1 or depth == MAX_CONDITION_DEPTH + 1:
            context.error(where, "voorwaarde is te ingewikkeld")
        return None
    if not isinstance(raw, Mapping):
        context.error(where, "voorwaarde moet een object zijn")
        return None
    if "all" in raw or "any" in raw:
        return _group(raw, where, context, depth=depth, counter=counter)
    for key in sorted(set(raw) - {"question", "operator", "values"}, key=str):
        context.error(where, f"voorwaarde: onbekend veld '{key}'")
    operator, values = raw.get("operator"), raw.get("values", [])
    if not isinstance(raw.get("question"), str) or not raw.get("question"):
        context.error(where, "voorwaarde: 'question' ontbreekt")
        return None
    if operator not in OPERATORS:
        context.error(where, f"voorwaarde: onbekende operator {operator!r} "
                             f"(kies uit {', '.join(OPERATORS)})")
        return None
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        context.error(where, "voorwaarde: 'values' moet een lijst van teksten zijn")
        return None
    return Condition(question=raw["question"], operator=operator, values=tuple(values))


def _group(raw: Mapping, where: str, context: Context, *, depth: int,
           counter: list[int]) -> ConditionGroup | None:
    if len(raw) != 1:
        context.error(where, "voorwaarde: 'all' of 'any' moet alleen staan")
        return None
    kind, members = next(iter(raw.items()))
    if not isinstance(members, list) or not members:
        context.error(where, f"voorwaarde: '{kind}' moet een niet-lege lijst zijn")
        return None
    parsed = [_condition(member, where, context, depth=depth + 1, counter=counter)
              for member in members]
    if any(member is None for member in parsed):
        return None
    return ConditionGroup(kind=kind, conditions=tuple(parsed))
