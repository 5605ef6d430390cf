"""Showing a survey: texts in the chosen language, hints, numbering, stored answers as text.

Shared by the respondent pages and the builder's preview.
"""

from dataclasses import dataclass
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
    views = question_views(definition, language)
    return {"text": partial(_text, language=language),
            "question_views": lambda questions: [views[question.code] for question in questions],
            "max_label": lambda count: _("Kruis maximaal %(count)s antwoorden aan.", count=count),
            "lang_of": partial(_lang_of, language=language),
            "numbers": {code: view.number for code, view in views.items()},
            "as_input": as_input, "range_hint": range_hint,
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


@dataclass(frozen=True)
class ChoiceView:
    value: str
    label: str
    lang: str
    missing: bool


@dataclass(frozen=True)
class QuestionView:
    """A question with its texts resolved for one language (built once per definition)."""

    question: Question
    number: str
    text: str
    text_lang: str
    help: str
    help_lang: str
    choices: tuple[ChoiceView, ...]
    items: tuple[tuple[str, str, str], ...]  # (code, text, lang)
    hint: str


_VIEWS: dict[tuple[int, str], tuple[SurveyDefinition, dict[str, QuestionView]]] = {}


def question_views(definition: SurveyDefinition, language: str) -> dict[str, QuestionView]:
    """Views of every question by code, cached per (parsed definition, language)."""
    key = (id(definition), language)
    cached = _VIEWS.get(key)
    if cached is not None and cached[0] is definition:
        return cached[1]
    numbers = numbering(definition)
    views = {question.code: _view(question, numbers[question.code], language)
             for question in definition.questions}
    if len(_VIEWS) > 256:
        _VIEWS.clear()
    _VIEWS[key] = (definition, views)
    return views


def _view(question: Question, number: str, language: str) -> QuestionView:
    choices = tuple(ChoiceView(option.value, text_in(option.label, language),
                               _lang_of(option.label, language), missing)
                    for missing, options in ((False, question.options), (True, question.missing))
                    for option in options)
    items = tuple((item.code, text_in(item.text, language), _lang_of(item.text, language))
                  for item in question.items)
    return QuestionView(question, number, text_in(question.text, language),
                        _lang_of(question.text, language), text_in(question.help, language),
                        _lang_of(question.help, language), choices, items,
                        range_hint(question))
