"""Display logic: evaluate conditions against answers; which sections and questions show."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from app.surveys.definition.model import (
    AnyCondition,
    Condition,
    Question,
    Section,
    SurveyDefinition,
)


def is_answered(value: Any) -> bool:
    """True unless `value` is None, blank text or an empty list/dict ("don't know" counts)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple | set | dict):
        return bool(value)
    return True


def lookup(answers: Mapping[str, Any], variable: str) -> Any:
    """``Q5_a`` is also found in a matrix answer ``{"Q5": {"a": …}}``."""
    if variable in answers:
        return answers[variable]
    head, _, item = variable.rpartition("_")
    while head:
        nested = answers.get(head)
        if isinstance(nested, Mapping):
            return nested.get(item)
        head, _, rest = head.rpartition("_")
        item = f"{rest}_{item}"
    return None


def evaluate_condition(condition: AnyCondition | None, answers: Mapping[str, Any]) -> bool:
    """Whether `condition` holds for `answers` (variable code → answer).

    ``in``: the answer (or, for a multiple-choice answer, any ticked value) is one of
    ``values``; ``not_in`` is exactly its negation (so an unanswered question satisfies it);
    ``answered``: any answer, "don't know" codes included; ``gt`` / ``lt``: a number (or ISO
    date) strictly above / below the single value; a non-numeric answer gives False.
    ``{"all": …}`` and ``{"any": …}`` combine conditions; ``None`` is always true.
    """
    if condition is None:
        return True
    if not isinstance(condition, Condition):
        results = (evaluate_condition(member, answers) for member in condition.conditions)
        return all(results) if condition.kind == "all" else any(results)
    value = lookup(answers, condition.question)
    if condition.operator == "answered":
        return is_answered(value)
    if condition.operator in ("in", "not_in"):
        chosen = {str(item) for item in value} if isinstance(value, list | tuple | set) \
            else ({_as_text(value)} if is_answered(value) else set())
        found = bool(chosen & set(condition.values))
        return found if condition.operator == "in" else not found
    return _compare(value, condition.values[0], condition.operator)


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _compare(value: Any, reference: str, operator: str) -> bool:
    if isinstance(value, dt.date):
        value = value.isoformat()
    if isinstance(value, str) and len(reference) == 10 and reference[4] == "-":
        if len(value) != 10 or value[4] != "-":
            return False
        return value > reference if operator == "gt" else value < reference
    number = _as_number(value)
    if number is None:
        return False
    limit = float(reference)
    return number > limit if operator == "gt" else number < limit


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        return None


def visible_sections(definition: SurveyDefinition, answers: Mapping[str, Any]) -> list[Section]:
    """Sections whose condition holds (answers to hidden questions are ignored)."""
    return [section for section, _ in _walk(definition, answers) if section is not None]


def visible_questions(definition: SurveyDefinition, answers: Mapping[str, Any]) -> list[Question]:
    """Questions to show, in order: in a visible section and with a true condition.

    Answers given to questions that are hidden (e.g. after an earlier answer changed) do not
    count for later conditions.
    """
    return [question for _, question in _walk(definition, answers) if question is not None]


def _walk(definition: SurveyDefinition, answers: Mapping[str, Any]):
    effective: dict[str, Any] = {}
    for section in definition.sections:
        if not evaluate_condition(section.condition, effective):
            continue
        yield section, None
        for question in section.questions:
            if evaluate_condition(question.condition, effective):
                yield None, question
                _copy_answers(question, answers, effective)


def _copy_answers(question: Question, answers: Mapping[str, Any], effective: dict) -> None:
    if question.code in answers:
        effective[question.code] = answers[question.code]
    for item in question.items:
        variable = question.item_variable(item)
        effective[variable] = lookup(answers, variable)
