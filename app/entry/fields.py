"""The keying grammar of a paper form: one field per printed number, typed keys to values.

Every printed number is one field: a question (``"3"``), or a matrix row (``"5a"``). What the
clerk types:

- a choice field (single, Likert, matrix row): the **position** of the ticked box on paper,
  counted from 1 over the answers and then the "don't know" boxes (so ``3`` is the third box);
  a typed text that is not a position is taken as the stored answer value (``98``);
- a multiple-choice field: the positions separated by spaces or commas (``1 3 5``), or run
  together (``135``) when the question has at most nine boxes;
- number, date (``dd/mm/jjjj``, ``dd-mm-jjjj`` or the eight digits ``ddmmjjjj``) and text
  fields: what is written; a "don't know" box by its stored value (``98``);
- ``.`` blank (leeg), ``?`` unreadable (onleesbaar), ``*`` several boxes ticked (meerdere
  aangekruist, choice fields only). These are stored as the distinct codes below.

Values are normalised with :func:`app.surveys.definition.validate_answer`, exactly as web
answers are, so two passes compare equal when they mean the same answer.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.surveys.definition import (
    MatrixItem,
    Question,
    SurveyDefinition,
    numbering,
    text_in,
    validate_answer,
    visible_questions,
)

BLANK, UNREADABLE, SEVERAL = "#leeg", "#onleesbaar", "#meerdere"
CODE_KEYS = {".": BLANK, "?": UNREADABLE, "*": SEVERAL}
CODE_LABELS = {BLANK: "leeg", UNREADABLE: "onleesbaar", SEVERAL: "meerdere aangekruist"}
CHOICE_TYPES = ("single", "likert", "matrix")
NOT_KEYED = "Typ het antwoord, of . (leeg), ? (onleesbaar) of * (meerdere aangekruist)."
_SEPARATORS = re.compile(r"[\s,;+/]+")
_DATE_DIGITS = re.compile(r"^(\d{2})(\d{2})(\d{4})$")


@dataclass(frozen=True)
class EntryField:
    """One printed number of the paper form."""

    key: str  # the question code, or the matrix row variable (``Q5_a``)
    number: str
    question: Question
    item: MatrixItem | None = None

    @property
    def kind(self) -> str:
        return "choice" if self.question.type in CHOICE_TYPES else self.question.type

    @property
    def boxes(self) -> list[tuple[str, str, Any]]:
        """(position, stored value, labels) of every tick box, answers first."""
        options = self.question.options + self.question.missing
        if self.kind not in ("choice", "multiple"):
            options = self.question.missing
            return [(option.value, option.value, option.label) for option in options]
        return [(str(position), option.value, option.label)
                for position, option in enumerate(options, start=1)]

    def hint(self, language: str = "nl") -> list[tuple[str, str]]:
        """(key to type, label) pairs shown next to the field."""
        return [(key, text_in(label, language)) for key, _, label in self.boxes]


def entry_fields(definition: SurveyDefinition) -> list[EntryField]:
    """The fields of a paper form in printed order."""
    numbers = numbering(definition)
    fields: list[EntryField] = []
    for question in definition.questions:
        if question.type == "matrix":
            fields += [EntryField(question.item_variable(item),
                                  numbers[question.item_variable(item)], question, item)
                       for item in question.items]
        else:
            fields.append(EntryField(question.code, numbers[question.code], question))
    return fields


def read_field(field: EntryField, typed: str) -> tuple[Any, str | None]:
    """The keyed value of one field (a normalised answer or a code) and a Dutch error or None.

    An empty input gives ``(None, None)``: whether that is allowed depends on the routing.
    """
    text = (typed or "").strip()
    if not text:
        return None, None
    if text in CODE_KEYS:
        if text == "*" and field.kind not in ("choice", "multiple"):
            return None, "* (meerdere aangekruist) kan alleen bij een keuzevraag."
        return CODE_KEYS[text], None
    if field.kind == "choice":
        return _read_choice(field, text)
    if field.kind == "multiple":
        return _read_multiple(field, text)
    if field.kind == "date" and _DATE_DIGITS.match(text):
        text = _DATE_DIGITS.sub(r"\1/\2/\3", text)
    return validate_answer(field.question, text)


def _by_key(field: EntryField, token: str) -> str | None:
    for position, value, _ in field.boxes:
        if token == position:
            return value
    values = [value for _, value, _ in field.boxes]
    return token if token in values else None


def _read_choice(field: EntryField, text: str) -> tuple[Any, str | None]:
    value = _by_key(field, text)
    if value is None:
        return None, f"Kies een vakje van 1 tot {len(field.boxes)}."
    if field.item is None:
        return validate_answer(field.question, value)
    checked, _ = validate_answer(field.question, {field.item.code: value})
    return (checked[field.item.code], None) if checked else (None, "Kies een van de vakjes.")


def _read_multiple(field: EntryField, text: str) -> tuple[Any, str | None]:
    tokens = [token for token in _SEPARATORS.split(text) if token]
    if len(tokens) == 1 and tokens[0].isdigit() and len(field.boxes) <= 9:
        tokens = list(tokens[0])
    values = [_by_key(field, token) for token in tokens]
    if None in values:
        return None, f"Typ de nummers van de aangekruiste vakjes (1 tot {len(field.boxes)})."
    return validate_answer(field.question, values)


def read_form(definition: SurveyDefinition, typed: Mapping[str, str]
              ) -> tuple[dict[str, Any], dict[str, str]]:
    """Keyed values of every field and the errors (field key → Dutch message).

    A field left empty is an error unless the routing on paper skips it (then it is blank).
    """
    fields = entry_fields(definition)
    values, errors = {}, {}
    for field in fields:
        value, error = read_field(field, typed.get(field.key, ""))
        if error:
            errors[field.key] = error
        elif value is not None:
            values[field.key] = value
    shown = {question.code for question in visible_questions(definition,
                                                             answers_from(definition, values))}
    for field in fields:
        if field.key not in values and field.key not in errors:
            if field.question.code in shown:
                errors[field.key] = NOT_KEYED
            else:
                values[field.key] = BLANK
    return values, errors


def answers_from(definition: SurveyDefinition, values: Mapping[str, Any]) -> dict[str, Any]:
    """The response's answers (as the web stores them) from keyed values; codes are dropped."""
    answers: dict[str, Any] = {}
    for question in definition.questions:
        raw = _raw_answer(question, values)
        value, _ = validate_answer(question, raw)
        if value is not None and value != {}:
            answers[question.code] = value
    shown = {question.code for question in visible_questions(definition, answers)}
    return {code: value for code, value in answers.items() if code in shown}


def _raw_answer(question: Question, values: Mapping[str, Any]) -> Any:
    if question.type == "matrix":
        return {item.code: values.get(question.item_variable(item)) for item in question.items
                if _substantive(values.get(question.item_variable(item)))}
    value = values.get(question.code)
    return value if _substantive(value) else None


def _substantive(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and value in CODE_LABELS)


def differing(definition: SurveyDefinition, first: Mapping[str, Any],
              second: Mapping[str, Any]) -> list[str]:
    """Keys of the fields whose keyed values differ, in printed order."""
    return [field.key for field in entry_fields(definition)
            if first.get(field.key) != second.get(field.key)]


def shown_value(field: EntryField, value: Any, language: str = "nl") -> str:
    """A keyed value as the researcher reads it: ``3 – Eens``, ``leeg``, ``1 3 – …``."""
    if value is None:
        return "—"
    if isinstance(value, str) and value in CODE_LABELS:
        return CODE_LABELS[value]
    labels = {stored: (key, text_in(label, language)) for key, stored, label in field.boxes}
    chosen = value if isinstance(value, list) else [value]
    if field.kind in ("choice", "multiple") or all(str(item) in labels for item in chosen):
        return "; ".join(" – ".join(labels.get(str(item), (str(item), ""))).rstrip(" –")
                         for item in chosen)
    return str(value)


def typed_form_of(field: EntryField, value: Any) -> str:
    """What a clerk would type to key `value` (used to prefill a resolution)."""
    reverse = {code: key for key, code in CODE_KEYS.items()}
    if isinstance(value, str) and value in reverse:
        return reverse[value]
    positions = {stored: key for key, stored, _ in field.boxes}
    if isinstance(value, list):
        return " ".join(positions.get(item, item) for item in value)
    return positions.get(value, "" if value is None else str(value)) \
        if field.kind == "choice" else ("" if value is None else str(value))
