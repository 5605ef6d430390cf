"""Cross-reference checks: conditions point backwards to real answers; variable codes unique."""

import re
from dataclasses import dataclass

from app.surveys.definition.model import (
    AnyCondition,
    Condition,
    MatrixItem,
    Question,
    SurveyDefinition,
)
from app.surveys.definition.parts import Context
from app.surveys.definition.questions import parse_iso_date
from app.surveys.definition.variables import variable_codes

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_ORDERED_TYPES = {"number", "likert", "matrix", "single", "date"}


@dataclass(frozen=True)
class Target:
    """What a condition's ``question`` names: a question, or one item of a matrix."""

    question: Question
    item: MatrixItem | None = None


def check_references(definition: SurveyDefinition, context: Context) -> None:
    """Check every condition against the variables that come before it."""
    later = _all_targets(definition)
    earlier: dict[str, Target] = {}
    for section_number, section in enumerate(definition.sections, start=1):
        where = f"Sectie {section_number}"
        _check_condition(section.condition, where, earlier, later, context)
        for question in section.questions:
            question_where = f"{where}, vraag {question.code}"
            _check_condition(question.condition, question_where, earlier, later, context)
            earlier.update(_targets(question))
    _check_variable_codes(definition, context)


def _all_targets(definition: SurveyDefinition) -> dict[str, Target]:
    targets: dict[str, Target] = {}
    for question in definition.questions:
        targets.update(_targets(question))
    return targets


def _targets(question: Question) -> dict[str, Target]:
    targets = {question.code: Target(question)}
    for item in question.items:
        targets[question.item_variable(item)] = Target(question, item)
    return targets


def _check_condition(condition: AnyCondition | None, where: str, earlier: dict[str, Target],
                     later: dict[str, Target], context: Context) -> None:
    if condition is None:
        return
    if not isinstance(condition, Condition):
        for member in condition.conditions:
            _check_condition(member, where, earlier, later, context)
        return
    name = condition.question
    if name not in earlier:
        if name in later:
            context.error(where, f"voorwaarde verwijst naar {name}, die later komt")
        else:
            context.error(where, f"voorwaarde verwijst naar onbekende vraag {name}")
        return
    target = earlier[name]
    if target.question.type == "matrix" and target.item is None:
        first = target.question.items[0].code if target.question.items else "a"
        context.error(where, f"voorwaarde moet naar één item van matrix {name} verwijzen, "
                             f"bv. {name}_{first}")
        return
    message = _value_problem(condition, target)
    if message:
        context.error(where, f"voorwaarde op {name}: {message}")


def _value_problem(condition: Condition, target: Target) -> str | None:
    question, operator, values = target.question, condition.operator, condition.values
    if operator == "answered":
        return "'answered' heeft geen waarden" if values else None
    if not values:
        return f"'{operator}' heeft minstens één waarde nodig"
    if operator in ("gt", "lt"):
        return _ordered_problem(operator, values, question)
    known = set(question.answer_values) | set(question.missing_values)
    if question.type in ("number", "date", "text"):
        return _free_value_problem(values, question, known)
    for value in values:
        if value not in known:
            return f"waarde '{value}' bestaat niet bij {question.code}"
    return None


def _ordered_problem(operator: str, values: tuple[str, ...], question: Question) -> str | None:
    if question.type not in _ORDERED_TYPES:
        return f"'{operator}' kan niet bij een vraag van type '{question.type}'"
    if len(values) != 1:
        return f"'{operator}' heeft precies één waarde nodig"
    if question.type == "date":
        return None if parse_iso_date(values[0]) else f"'{values[0]}' is geen datum JJJJ-MM-DD"
    return None if _NUMBER.match(values[0]) else f"'{values[0]}' is geen getal"


def _free_value_problem(values: tuple[str, ...], question: Question, known: set[str]) -> str | None:
    for value in values:
        if value in known:
            continue
        if question.type == "number" and _NUMBER.match(value):
            continue
        if question.type == "date" and parse_iso_date(value):
            continue
        return f"waarde '{value}' past niet bij een vraag van type '{question.type}'"
    return None


def _check_variable_codes(definition: SurveyDefinition, context: Context) -> None:
    owners: dict[str, str] = {}
    for question in definition.questions:
        for code in variable_codes(question):
            if code in owners and owners[code] != question.code:
                context.error("Vragenlijst", f"variabele {code} komt twee keer voor "
                                             f"(bij {owners[code]} en {question.code})")
            owners.setdefault(code, question.code)
