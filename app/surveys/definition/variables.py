"""Flat analysis variables and the human question numbering of a survey definition."""

import string
from collections.abc import Mapping
from dataclasses import dataclass, field

from app.surveys.definition.model import (
    Question,
    SurveyDefinition,
    frozen_texts,
    text_in,
)

BINARY_LABELS = {"nl": ("niet aangekruist", "aangekruist"), "fr": ("non coché", "coché"),
                 "en": ("not ticked", "ticked")}
_MEASURES = {"single": "nominal", "multiple": "nominal", "likert": "ordinal",
             "matrix": "ordinal", "number": "scale", "text": "string", "date": "date"}


@dataclass(frozen=True)
class Variable:
    """One analysis variable (a column in the data file).

    ``type`` is ``categorical``, ``binary`` (0/1 per option of a multiple-choice question),
    ``numeric``, ``string`` or ``date``; ``value_labels`` maps stored values (including the
    missing codes) to labels; ``missing`` lists the "don't know / no answer" codes.
    """

    code: str
    label: str
    type: str
    question: str
    measure: str
    value_labels: Mapping[str, str] = field(default_factory=lambda: frozen_texts({}))
    missing: tuple[str, ...] = ()
    item: str | None = None
    option: str | None = None


def variables(definition: SurveyDefinition, language: str = "nl") -> list[Variable]:
    """The flat analysis variables, in survey order.

    One per question, one per matrix item (``Q5_a``) and one 0/1 variable per option of a
    multiple-choice question (``Q4_1``, ``Q4_2``, … by option position).

    Parameters
    ----------
    definition : SurveyDefinition
        The survey.
    language : str
        Language of labels (falls back to Dutch).

    Returns
    -------
    list of Variable

    References
    ----------
    .. [1] IBM SPSS Statistics, "Variable properties: value labels and missing values".
    """
    result: list[Variable] = []
    for question in definition.questions:
        result.extend(question_variables(question, language))
    return result


def question_variables(question: Question, language: str = "nl") -> list[Variable]:
    """The analysis variables of one question."""
    label = text_in(question.text, language)
    missing_labels = {option.value: text_in(option.label, language) for option in question.missing}
    common = {"question": question.code, "missing": question.missing_values,
              "measure": _MEASURES[question.type]}
    if question.type == "matrix":
        labels = frozen_texts({**_option_labels(question, language), **missing_labels})
        return [Variable(code=question.item_variable(item), item=item.code,
                         label=f"{label} – {text_in(item.text, language)}", type="categorical",
                         value_labels=labels, **common) for item in question.items]
    if question.type == "multiple":
        unticked, ticked = BINARY_LABELS.get(language, BINARY_LABELS["nl"])
        labels = frozen_texts({"0": unticked, "1": ticked, **missing_labels})
        return [Variable(code=f"{question.code}_{position}", option=option.value,
                         label=f"{label} – {text_in(option.label, language)}", type="binary",
                         value_labels=labels, **common)
                for position, option in enumerate(question.options, start=1)]
    kind = {"number": "numeric", "text": "string", "date": "date"}.get(question.type,
                                                                      "categorical")
    labels = frozen_texts({**_option_labels(question, language), **missing_labels})
    return [Variable(code=question.code, label=label, type=kind, value_labels=labels, **common)]


def _option_labels(question: Question, language: str) -> dict[str, str]:
    return {option.value: text_in(option.label, language) for option in question.options}


def variable_codes(question: Question) -> list[str]:
    """Codes of the analysis variables of `question` (without building labels)."""
    if question.type == "matrix":
        return [question.item_variable(item) for item in question.items]
    if question.type == "multiple":
        return [f"{question.code}_{position}" for position in range(1, len(question.options) + 1)]
    return [question.code]


def item_letter(position: int) -> str:
    """``a`` … ``z`` for item positions 0 … 25."""
    return string.ascii_lowercase[position]


def numbering(definition: SurveyDefinition) -> dict[str, str]:
    """Printed question numbers: ``"1"``, ``"2"``, … across the survey; items ``"5a"``, ``"5b"``.

    Keys are question codes and matrix item variable codes (``Q5_a``).
    """
    numbers: dict[str, str] = {}
    for number, question in enumerate(definition.questions, start=1):
        numbers[question.code] = str(number)
        for position, item in enumerate(question.items):
            numbers[question.item_variable(item)] = f"{number}{item_letter(position)}"
    return numbers
