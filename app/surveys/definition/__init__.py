"""The survey definition exchange format (``stadspanel-survey`` version 1): load, dump, inspect.

Pure package: plain data in, data classes and dicts out; no Flask, SQLAlchemy or app imports.
``document`` is the public face (load, dump, JSON); ``model`` holds the data classes, ``parse``
(with ``parts``, ``questions`` and ``references``) the validation, ``logic`` the display
conditions, ``variables`` the analysis variables and numbering, ``answers`` the answer checks.
"""

from app.surveys.definition.document import (
    FORMAT_NAME,
    FORMAT_VERSION,
    QUESTION_TYPES,
    AnyCondition,
    Condition,
    ConditionGroup,
    DefinitionError,
    MatrixItem,
    Option,
    Question,
    Section,
    SurveyDefinition,
    Variable,
    default_likert_options,
    dump_definition,
    evaluate_condition,
    load_definition,
    numbering,
    text_in,
    to_json,
    untranslated,
    validate_answer,
    variables,
    visible_questions,
    visible_sections,
)

__all__ = [
    "FORMAT_NAME", "FORMAT_VERSION", "QUESTION_TYPES", "AnyCondition", "Condition",
    "ConditionGroup", "DefinitionError", "MatrixItem", "Option", "Question", "Section",
    "SurveyDefinition", "Variable", "default_likert_options", "dump_definition",
    "evaluate_condition", "load_definition", "numbering", "text_in", "to_json", "untranslated",
    "validate_answer", "variables", "visible_questions", "visible_sections",
]
