"""Showing a survey: texts in the chosen language, hints, numbering, stored answers as text.

Shared by the respondent pages and the builder's preview.
"""

from functools import partial
from typing import Any

from flask_babel import gettext as _

from app.surveys.definition import Question, SurveyDefinition, numbering, text_in

LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "en": "English"}


def _lang_of(texts, language: str) -> str:
    """The language a text is actually shown in (Dutch when not translated)."""
    return language if texts.get(language) else "nl"


def range_hint(question: Question) -> str:
    low, high = question.settings.get("min"), question.settings.get("max")
    if question.type != "number" or (low is None and high is None):
        return ""
    show = {key: f"{value:g}".replace(".", ",") for key, value in
            (("low", low), ("high", high)) if value is not None}
    if low is not None and high is not None:
        return _("(van %(low)s tot en met %(high)s)", **show)
    return _("(vanaf %(low)s)", **show) if low is not None else \
        _("(tot en met %(high)s)", **show)


def template_helpers(definition: SurveyDefinition, language: str) -> dict[str, Any]:
    return {"text": partial(_text, language=language),
            "lang_of": partial(_lang_of, language=language),
            "numbers": numbering(definition), "as_input": as_input, "range_hint": range_hint,
            "language_names": LANGUAGE_NAMES}


def _text(texts, language: str) -> str:
    return text_in(texts, language)


def as_input(question: Question, value: Any) -> Any:
    """A stored value as the form shows it again (numbers with a decimal comma)."""
    if question.type == "number" and isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _label(options, value: str, language: str) -> str:
    for option in options:
        if option.value == value:
            return text_in(option.label, language)
    return value


def display(question: Question, value: Any, language: str) -> str | list[str]:
    """A stored answer as the respondent reads it on the review page."""
    choices = question.options + question.missing
    if value is None:
        return ""
    if question.type == "multiple":
        return [_label(choices, item, language) for item in value]
    if question.type == "matrix":
        return [f"{text_in(item.text, language)}: {_label(choices, value[item.code], language)}"
                for item in question.items if item.code in value]
    if question.type in ("single", "likert") or value in question.missing_values:
        return _label(choices, value, language)
    if question.type == "date":
        year, month, day = str(value).split("-")
        return f"{day}/{month}/{year}"
    return str(as_input(question, value))
