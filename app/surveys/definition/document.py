"""The survey definition exchange format (``stadspanel-survey`` version 1): load, dump, inspect.

Pure module: plain data in, data classes and dicts out; no Flask, SQLAlchemy or app imports.
The JSON layout is documented in ``docs/survey-schema.md``. This module is the public face;
the work is done in the other modules of this package and re-exported here.
"""

import json
from collections.abc import Mapping
from typing import Any

from app.surveys.definition.answers import validate_answer
from app.surveys.definition.logic import evaluate_condition, visible_questions, visible_sections
from app.surveys.definition.model import (
    FORMAT_NAME,
    FORMAT_VERSION,
    MAX_DOCUMENT_BYTES,
    QUESTION_TYPES,
    SOURCE_LANGUAGE,
    AnyCondition,
    Condition,
    ConditionGroup,
    DefinitionError,
    MatrixItem,
    Option,
    Question,
    Section,
    SurveyDefinition,
    default_likert_options,
    text_in,
)
from app.surveys.definition.parse import parse_document
from app.surveys.definition.variables import Variable, numbering, variables

__all__ = [
    "FORMAT_NAME", "FORMAT_VERSION", "QUESTION_TYPES", "AnyCondition", "Condition",
    "ConditionGroup", "DefinitionError", "MatrixItem", "Option", "Question", "Section",
    "SurveyDefinition", "Variable", "default_likert_options", "dump_definition",
    "evaluate_condition", "load_definition", "numbering", "text_in", "to_json", "untranslated",
    "validate_answer", "variables", "visible_questions", "visible_sections",
]


def load_definition(data: str | bytes | Mapping[str, Any]) -> SurveyDefinition:
    """Parse and validate a survey definition.

    Parameters
    ----------
    data : str, bytes or dict
        JSON text (UTF-8 bytes, BOM allowed) or the already-decoded object.

    Returns
    -------
    SurveyDefinition

    Raises
    ------
    DefinitionError
        With ``messages``: every problem found, in Dutch, naming its location.

    References
    ----------
    .. [1] RFC 8259, The JavaScript Object Notation (JSON) Data Interchange Format.
    """
    if isinstance(data, str | bytes):
        data = _decode_json(data)
    return parse_document(data)


def _decode_json(data: str | bytes) -> Any:
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DefinitionError([f"Bestand is te groot (maximaal {MAX_DOCUMENT_BYTES} bytes)."])
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise DefinitionError([f"Bestand is geen UTF-8-tekst (byte {error.start})."]) \
                from None
    try:
        return json.loads(data, parse_constant=_reject_constant)
    except (json.JSONDecodeError, ValueError) as error:
        raise DefinitionError([f"Geen geldige JSON: {error}"]) from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is geen geldig getal in JSON")


def dump_definition(definition: SurveyDefinition) -> dict[str, Any]:
    """The definition as a plain JSON-ready dict (every key written, defaults filled in)."""
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION,
            "title": dict(definition.title), "languages": list(definition.languages),
            "intro": dict(definition.intro), "outro": dict(definition.outro),
            "sections": [_dump_section(section) for section in definition.sections]}


def _dump_section(section: Section) -> dict[str, Any]:
    return {"code": section.code, "title": dict(section.title),
            "condition": dump_condition(section.condition),
            "questions": [_dump_question(question) for question in section.questions]}


def _dump_question(question: Question) -> dict[str, Any]:
    result = {"code": question.code, "type": question.type, "text": dict(question.text),
              "help": dict(question.help), "required": question.required,
              "options": [_dump_option(option) for option in question.options],
              "missing": [_dump_option(option) for option in question.missing],
              "settings": dict(question.settings),
              "condition": dump_condition(question.condition)}
    if question.type == "matrix":
        result["items"] = [{"code": item.code, "text": dict(item.text)} for item in question.items]
    return result


def _dump_option(option: Option) -> dict[str, Any]:
    return {"value": option.value, "label": dict(option.label)}


def dump_condition(condition: AnyCondition | None) -> dict[str, Any] | None:
    """A condition as its JSON object (None stays None)."""
    if condition is None:
        return None
    if isinstance(condition, ConditionGroup):
        return {condition.kind: [dump_condition(member) for member in condition.conditions]}
    return {"question": condition.question, "operator": condition.operator,
            "values": list(condition.values)}


def to_json(definition: SurveyDefinition) -> str:
    """The definition as JSON text: sorted keys, UTF-8 characters kept, indented by 2."""
    return json.dumps(dump_definition(definition), sort_keys=True, ensure_ascii=False, indent=2)


def untranslated(definition: SurveyDefinition) -> dict[str, list[str]]:
    """Per declared language, the locations whose Dutch text has no translation yet."""
    return {language: [where for where, texts in _text_locations(definition)
                       if texts.get(SOURCE_LANGUAGE, "").strip()
                       and not texts.get(language, "").strip()]
            for language in definition.languages}


def _text_locations(definition: SurveyDefinition):
    yield "Titel", definition.title
    yield "Inleiding", definition.intro
    yield "Slottekst", definition.outro
    for number, section in enumerate(definition.sections, start=1):
        yield f"Sectie {number}, titel", section.title
        for question in section.questions:
            where = f"Sectie {number}, vraag {question.code}"
            yield where, question.text
            yield f"{where}, hulptekst", question.help
            for label, options in (("antwoord", question.options),
                                   ("weet-niet-code", question.missing)):
                for position, option in enumerate(options, start=1):
                    yield f"{where}, {label} {position}", option.label
            for position, item in enumerate(question.items, start=1):
                yield f"{where}, item {position} ({item.code})", item.text
