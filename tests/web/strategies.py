"""Hypothesis strategy for valid survey definitions (plain JSON-ready dicts)."""

from hypothesis import strategies as st

TEXT_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éèçëôàß€<>&' "
LANGUAGE_SETS = (["nl"], ["nl", "fr"], ["nl", "fr", "en"])
TYPES = ("single", "multiple", "likert", "matrix", "number", "text", "date")


def plain_text(max_size: int = 60) -> st.SearchStrategy[str]:
    """Non-blank text with accents, € and markup characters."""
    return st.text(alphabet=TEXT_ALPHABET, min_size=1, max_size=max_size).filter(str.strip)


@st.composite
def texts(draw, languages: list[str], *, max_size: int = 60) -> dict[str, str]:
    """Dutch text plus translations in some of the other languages."""
    result = {"nl": draw(plain_text(max_size))}
    for language in languages[1:]:
        if draw(st.booleans()):
            result[language] = draw(plain_text(max_size))
    return result


@st.composite
def options(draw, languages: list[str], count: int, start: int = 1) -> list[dict]:
    """`count` options with unique values ``start``, ``start + 1``, …."""
    return [{"value": str(value), "label": draw(texts(languages, max_size=30))}
            for value in range(start, start + count)]


@st.composite
def _question(draw, code: str, languages: list[str]) -> dict:
    kind = draw(st.sampled_from(TYPES))
    question = {"code": code, "type": kind, "text": draw(texts(languages)),
                "required": draw(st.booleans())}
    if draw(st.booleans()):
        question["help"] = draw(texts(languages))
    if draw(st.booleans()):
        question["missing"] = draw(options(languages, draw(st.integers(1, 2)), start=98))
    settings: dict = {}
    if kind in ("single", "multiple"):
        count = draw(st.integers(2, 6))
        question["options"] = draw(options(languages, count))
        if kind == "multiple" and draw(st.booleans()):
            settings["max_choices"] = draw(st.integers(1, count))
    elif kind in ("likert", "matrix"):
        settings["points"] = draw(st.sampled_from([5, 7]))
        if draw(st.booleans()):
            question["options"] = draw(options(languages, settings["points"]))
        if kind == "matrix":
            question["items"] = [{"code": letter, "text": draw(texts(languages, max_size=40))}
                                 for letter in "abcdef"[: draw(st.integers(1, 4))]]
    elif kind == "number":
        low = draw(st.integers(0, 50))
        settings.update(min=low, max=draw(st.integers(low, 5000)),
                        decimals=draw(st.integers(0, 2)))
    elif kind == "text":
        settings["max_length"] = draw(st.integers(1, 3000))
    elif kind == "date":
        settings.update(min="1950-01-01", max="2030-12-31")
    question["settings"] = settings
    return question


def _targets(question: dict) -> list[tuple[str, dict]]:
    if question["type"] == "matrix":
        return [(f"{question['code']}_{item['code']}", question) for item in question["items"]]
    return [(question["code"], question)]


def _values(question: dict) -> list[str]:
    values = [option["value"] for option in question.get("options", [])]
    if question["type"] in ("likert", "matrix") and "options" not in question:
        values = [str(point) for point in range(1, question["settings"]["points"] + 1)]
    return values + [option["value"] for option in question.get("missing", [])]


@st.composite
def _condition(draw, earlier: list[tuple[str, dict]], depth: int = 0) -> dict:
    if depth < 1 and draw(st.integers(0, 4)) == 0:
        kind = draw(st.sampled_from(["all", "any"]))
        members = draw(st.lists(_condition(earlier, depth + 1), min_size=1, max_size=3))
        return {kind: members}
    variable, question = draw(st.sampled_from(earlier))
    kind = question["type"]
    if kind in ("number", "likert", "matrix") and draw(st.booleans()):
        return {"question": variable, "operator": draw(st.sampled_from(["gt", "lt"])),
                "values": [str(draw(st.integers(0, 100)))]}
    if kind == "date" and draw(st.booleans()):
        return {"question": variable, "operator": "gt", "values": ["2000-01-01"]}
    values = _values(question)
    if not values or kind in ("text", "number", "date") or draw(st.integers(0, 3)) == 0:
        return {"question": variable, "operator": "answered", "values": []}
    chosen = draw(st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True))
    return {"question": variable, "operator": draw(st.sampled_from(["in", "not_in"])),
            "values": chosen}


@st.composite
def survey_definitions(draw, max_questions: int = 8) -> dict:
    """A valid ``stadspanel-survey`` document: every type, conditions pointing backwards."""
    languages = draw(st.sampled_from(LANGUAGE_SETS))
    count = draw(st.integers(1, max_questions))
    questions, earlier = [], []
    for number in range(1, count + 1):
        question = draw(_question(f"Q{number}", languages))
        if earlier and draw(st.booleans()):
            question["condition"] = draw(_condition(earlier))
        questions.append(question)
        earlier.extend(_targets(question))
    cuts = sorted(draw(st.sets(st.integers(1, count - 1), max_size=2))) if count > 1 else []
    bounds = [0, *cuts, count]
    sections = [{"code": f"S{index + 1}", "title": draw(texts(languages)),
                 "questions": questions[bounds[index]: bounds[index + 1]]}
                for index in range(len(bounds) - 1)]
    if len(sections) > 1 and draw(st.booleans()):
        first = sections[0]["questions"]
        targets = [target for target in earlier if any(target[1] is item for item in first)]
        sections[1]["condition"] = draw(_condition(targets))
    document = {"format": "stadspanel-survey", "version": 1, "languages": languages,
                "title": draw(texts(languages)), "sections": sections}
    if draw(st.booleans()):
        document["intro"] = draw(texts(languages, max_size=200))
    return document
