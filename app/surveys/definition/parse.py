"""Structural validation of a survey definition: plain dict → data classes, Dutch messages.

Every problem is collected (not only the first) and named with its location, e.g.
``"Sectie 2, vraag Q7: onbekend type 'slider'"``. Cross-references (conditions) are checked
afterwards by :mod:`app.surveys.definition.references`.
"""

import re
from collections.abc import Mapping
from typing import Any

from app.surveys.definition.model import (
    CODE_PATTERN,
    FORMAT_NAME,
    FORMAT_VERSION,
    KNOWN_LANGUAGES,
    MAX_QUESTIONS,
    MAX_SECTIONS,
    QUESTION_TYPES,
    SOURCE_LANGUAGE,
    DefinitionError,
    Question,
    Section,
    SurveyDefinition,
)
from app.surveys.definition.parts import Context, parse_condition, parse_texts
from app.surveys.definition.questions import parse_question_body
from app.surveys.definition.references import check_references

_CODE = re.compile(CODE_PATTERN)
_DOCUMENT_KEYS = {"format", "version", "title", "languages", "intro", "outro", "sections"}
_SECTION_KEYS = {"code", "title", "condition", "questions"}
_QUESTION_KEYS = {"code", "type", "text", "help", "required", "options", "missing", "items",
                  "settings", "condition"}


def check_keys(raw: Any, allowed: set[str], required: set[str], where: str,
               context: Context) -> bool:
    """Report a non-object, unknown keys (typos) and missing keys; True when `raw` is a dict."""
    if not isinstance(raw, Mapping):
        context.error(where, "moet een object {…} zijn")
        return False
    for key in sorted(set(raw) - allowed, key=str):
        context.error(where, f"onbekend veld '{key}'")
    for key in sorted(required - set(raw)):
        context.error(where, f"ontbrekend veld '{key}'")
    return True


def parse_document(raw: Any) -> SurveyDefinition:
    """Parse and validate a whole document; raise DefinitionError listing every problem."""
    context = Context()
    definition = _parse_document(raw, context)
    if definition is not None and not context.errors:
        check_references(definition, context)
    if context.errors:
        raise DefinitionError(context.errors)
    return definition


def _parse_document(raw: Any, context: Context) -> SurveyDefinition | None:
    if not check_keys(raw, _DOCUMENT_KEYS, _DOCUMENT_KEYS - {"intro", "outro"}, "Vragenlijst",
                      context):
        return None
    if raw.get("format") != FORMAT_NAME:
        context.error("Vragenlijst", f"'format' moet '{FORMAT_NAME}' zijn")
    if raw.get("version") != FORMAT_VERSION or isinstance(raw.get("version"), bool):
        context.error("Vragenlijst", f"versie {raw.get('version')!r} wordt niet ondersteund "
                                     f"(alleen {FORMAT_VERSION})")
    context.languages = _languages(raw.get("languages"), context)
    title = parse_texts(raw.get("title"), "Titel", context, required=True)
    intro = parse_texts(raw.get("intro"), "Inleiding", context)
    outro = parse_texts(raw.get("outro"), "Slottekst", context)
    sections = _sections(raw.get("sections"), context)
    return SurveyDefinition(title=title, languages=context.languages, sections=sections,
                            intro=intro, outro=outro)


def _languages(raw: Any, context: Context) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        context.error("Talen", "moet een lijst van taalcodes zijn, bv. [\"nl\", \"fr\"]")
        return (SOURCE_LANGUAGE,)
    for language in raw:
        if language not in KNOWN_LANGUAGES:
            context.error("Talen", f"onbekende taal '{language}' (kies uit nl, fr, en)")
    if len(set(raw)) != len(raw):
        context.error("Talen", "een taal staat er twee keer in")
    if SOURCE_LANGUAGE not in raw:
        context.error("Talen", "de talen moeten 'nl' bevatten (Nederlands is de brontaal)")
    ordered = [SOURCE_LANGUAGE] + [item for item in KNOWN_LANGUAGES if item in raw]
    return tuple(dict.fromkeys(ordered))


def _sections(raw: Any, context: Context) -> tuple[Section, ...]:
    if not isinstance(raw, list) or not raw:
        context.error("Vragenlijst", "'sections' moet een niet-lege lijst van secties zijn")
        return ()
    if len(raw) > MAX_SECTIONS:
        context.error("Vragenlijst", f"te veel secties ({len(raw)}); maximaal {MAX_SECTIONS}")
        return ()
    total = sum(len(item.get("questions") or []) for item in raw
                if isinstance(item, Mapping) and isinstance(item.get("questions"), list))
    if total > MAX_QUESTIONS:
        context.error("Vragenlijst", f"te veel vragen ({total}); maximaal {MAX_QUESTIONS}")
        return ()
    sections = [_section(item, index, context) for index, item in enumerate(raw, start=1)]
    _check_duplicate_codes([section.code for section in sections if section], "sectiecode",
                           context)
    return tuple(section for section in sections if section is not None)


def _section(raw: Any, number: int, context: Context) -> Section | None:
    where = f"Sectie {number}"
    if not check_keys(raw, _SECTION_KEYS, {"code", "questions"}, where, context):
        return None
    code = _code(raw.get("code"), where, context)
    title = parse_texts(raw.get("title"), f"{where}, titel", context)
    condition = parse_condition(raw.get("condition"), where, context)
    questions = raw.get("questions")
    if not isinstance(questions, list) or not questions:
        context.error(where, "'questions' moet een niet-lege lijst van vragen zijn")
        questions = []
    parsed = [_question(item, where, index, context)
              for index, item in enumerate(questions, start=1)]
    return Section(code=code, title=title, condition=condition,
                   questions=tuple(question for question in parsed if question is not None))


def _question(raw: Any, section_where: str, number: int, context: Context) -> Question | None:
    where = f"{section_where}, vraag {number}"
    if isinstance(raw, Mapping) and isinstance(raw.get("code"), str) and \
            _CODE.match(raw["code"]):
        where = f"{section_where}, vraag {raw['code']}"
        if raw["code"] in context.question_codes:
            context.error(where, f"dubbele vraagcode {raw['code']}")
        context.question_codes.add(raw["code"])
    if not check_keys(raw, _QUESTION_KEYS, {"code", "type", "text"}, where, context):
        return None
    code = _code(raw.get("code"), where, context)
    kind = raw.get("type")
    if kind not in QUESTION_TYPES:
        context.error(where, f"onbekend type {kind!r} (kies uit {', '.join(QUESTION_TYPES)})")
        return None
    required = raw.get("required", False)
    if not isinstance(required, bool):
        context.error(where, "'required' moet true of false zijn")
    body = parse_question_body(raw, kind, where, context)
    return Question(code=code, type=kind, required=required is True,
                    text=parse_texts(raw.get("text"), where, context, required=True),
                    help=parse_texts(raw.get("help"), f"{where}, hulptekst", context),
                    condition=parse_condition(raw.get("condition"), where, context), **body)


def _code(raw: Any, where: str, context: Context) -> str:
    if not isinstance(raw, str) or not _CODE.match(raw):
        context.error(where, f"ongeldige code {raw!r}: begin met een letter, daarna letters, "
                             "cijfers of _ (maximaal 40 tekens)")
        return raw if isinstance(raw, str) else ""
    return raw


def _check_duplicate_codes(codes: list[str], label: str, context: Context) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            context.error("Vragenlijst", f"dubbele {label} {code}")
        seen.add(code)

