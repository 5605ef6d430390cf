"""Data classes of a survey definition (the exchange format), plus limits and Likert labels.

Pure module: plain data only, no Flask, SQLAlchemy or other app imports.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

FORMAT_NAME = "stadspanel-survey"
FORMAT_VERSION = 1
SOURCE_LANGUAGE = "nl"
KNOWN_LANGUAGES = ("nl", "fr", "en")
QUESTION_TYPES = ("single", "multiple", "likert", "matrix", "number", "text", "date")
OPERATORS = ("in", "not_in", "answered", "gt", "lt")
CODE_PATTERN = r"^[A-Za-z][A-Za-z0-9_]{0,39}$"
MAX_QUESTIONS = 500
MAX_SECTIONS = 100
MAX_OPTIONS = 100
MAX_ITEMS = 26
MAX_TEXT_LENGTH = 5000
MAX_CONDITION_TERMS = 50
MAX_CONDITION_DEPTH = 4
MAX_DOCUMENT_BYTES = 5_000_000
DEFAULT_TEXT_MAX_LENGTH = 2000
MAX_TEXT_ANSWER_LENGTH = 20_000

Texts = Mapping[str, str]

_LIKERT_LABELS = {
    5: {
        "nl": ("Helemaal oneens", "Oneens", "Niet eens, niet oneens", "Eens", "Helemaal eens"),
        "fr": ("Pas du tout d'accord", "Pas d'accord", "Ni d'accord ni pas d'accord",
               "D'accord", "Tout à fait d'accord"),
        "en": ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
               "Strongly agree"),
    },
    7: {
        "nl": ("Helemaal oneens", "Oneens", "Eerder oneens", "Niet eens, niet oneens",
               "Eerder eens", "Eens", "Helemaal eens"),
        "fr": ("Pas du tout d'accord", "Pas d'accord", "Plutôt pas d'accord",
               "Ni d'accord ni pas d'accord", "Plutôt d'accord", "D'accord",
               "Tout à fait d'accord"),
        "en": ("Strongly disagree", "Disagree", "Somewhat disagree",
               "Neither agree nor disagree", "Somewhat agree", "Agree", "Strongly agree"),
    },
}


class DefinitionError(ValueError):
    """A survey definition is invalid; ``messages`` lists every problem in Dutch."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


def frozen_texts(texts: Mapping[str, str] | None) -> Texts:
    """A read-only copy of a language → text mapping."""
    return MappingProxyType(dict(texts or {}))


@dataclass(frozen=True)
class Option:
    """One answer option (or "don't know" code): the stored value and its labels."""

    value: str
    label: Texts


@dataclass(frozen=True)
class MatrixItem:
    """One row of a matrix question; analysed as variable ``<question>_<code>``."""

    code: str
    text: Texts


@dataclass(frozen=True)
class Condition:
    """Show when the answer to ``question`` (a variable code) matches ``operator``/``values``."""

    question: str
    operator: str
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConditionGroup:
    """``all`` (and) or ``any`` (or) of nested conditions."""

    kind: str
    conditions: tuple["Condition | ConditionGroup", ...]


AnyCondition = Condition | ConditionGroup


@dataclass(frozen=True)
class Question:
    """One question; ``settings`` holds the type-specific settings with defaults filled in."""

    code: str
    type: str
    text: Texts
    help: Texts = field(default_factory=lambda: frozen_texts({}))
    required: bool = False
    options: tuple[Option, ...] = ()
    missing: tuple[Option, ...] = ()
    items: tuple[MatrixItem, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=lambda: frozen_texts({}))
    condition: AnyCondition | None = None

    @property
    def answer_values(self) -> tuple[str, ...]:
        """Values of the substantive options."""
        return tuple(option.value for option in self.options)

    @property
    def missing_values(self) -> tuple[str, ...]:
        """The "don't know / no answer" codes."""
        return tuple(option.value for option in self.missing)

    def item_variable(self, item: MatrixItem) -> str:
        """Variable code of a matrix item, e.g. ``Q5_a``."""
        return f"{self.code}_{item.code}"


@dataclass(frozen=True)
class Section:
    """A titled group of questions with an optional display condition."""

    code: str
    title: Texts
    questions: tuple[Question, ...]
    condition: AnyCondition | None = None


@dataclass(frozen=True)
class SurveyDefinition:
    """A whole questionnaire in the ``stadspanel-survey`` exchange format."""

    title: Texts
    languages: tuple[str, ...]
    sections: tuple[Section, ...]
    intro: Texts = field(default_factory=lambda: frozen_texts({}))
    outro: Texts = field(default_factory=lambda: frozen_texts({}))

    @property
    def questions(self) -> list[Question]:
        """All questions in survey order."""
        return [question for section in self.sections for question in section.questions]

    def question(self, code: str) -> Question:
        """The question with this code (KeyError when absent)."""
        for question in self.questions:
            if question.code == code:
                return question
        raise KeyError(code)


def text_in(texts: Mapping[str, str], language: str) -> str:
    """The text in `language`, falling back to Dutch (the source) and then to ''."""
    return texts.get(language) or texts.get(SOURCE_LANGUAGE) or ""


def default_likert_options(points: int, language: str | tuple[str, ...] = "nl") -> list[Option]:
    """Standard agreement scale labels for a 5- or 7-point Likert scale.

    Parameters
    ----------
    points : int
        5 or 7.
    language : str or tuple of str
        One language, or several to get labels in each of them.

    Returns
    -------
    list of Option
        Values ``"1"`` … ``str(points)`` from "Helemaal oneens" to "Helemaal eens".

    References
    ----------
    .. [1] Likert, R. (1932). A technique for the measurement of attitudes. Archives of
       Psychology, 140.
    """
    if points not in _LIKERT_LABELS:
        raise ValueError(f"points must be 5 or 7, got {points}")
    languages = (language,) if isinstance(language, str) else tuple(language)
    labels = _LIKERT_LABELS[points]
    unknown = [name for name in languages if name not in labels]
    if unknown:
        raise ValueError(f"no default Likert labels for {unknown}")
    return [Option(str(index + 1), frozen_texts({name: labels[name][index] for name in languages}))
            for index in range(points)]
