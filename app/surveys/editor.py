"""Structured edits on a definition document (plain dicts): the builder's common operations.

Each operation takes the document as ``dump_definition`` wrote it and returns a changed copy;
the caller validates the result with ``load_definition`` before storing it.
"""

import copy
from typing import Any


class EditError(ValueError):
    """An edit names a section or question that does not exist (message in Dutch)."""


def _section(document: dict, code: str) -> dict:
    for section in document["sections"]:
        if section["code"] == code:
            return section
    raise EditError(f"Sectie '{code}' bestaat niet.")


def _locate(document: dict, code: str) -> tuple[dict, int]:
    for section in document["sections"]:
        for index, question in enumerate(section["questions"]):
            if question["code"] == code:
                return section, index
    raise EditError(f"Vraag '{code}' bestaat niet.")


def update_meta(document: dict, *, title: dict, languages: list, intro: dict,
                outro: dict) -> dict:
    result = copy.deepcopy(document)
    result.update(title=title, languages=languages, intro=intro, outro=outro)
    return result


def placeholder_question(code: str) -> dict:
    """An open question to start a new section with (a section is never empty)."""
    return {"code": code, "type": "text", "text": {"nl": "Nieuwe vraag: pas deze tekst aan."}}


def _free_code(document: dict, base: str) -> str:
    taken = {question["code"] for section in document["sections"]
             for question in section["questions"]}
    number = 1
    while f"{base}_{number}" in taken:
        number += 1
    return f"{base}_{number}"


def add_section(document: dict, *, code: str, title: dict) -> dict:
    """A new last section, started with a placeholder question to edit or replace."""
    result = copy.deepcopy(document)
    first = placeholder_question(_free_code(result, code))
    result["sections"].append({"code": code, "title": title, "condition": None,
                               "questions": [first]})
    return result


def update_section(document: dict, *, section: str, code: str, title: dict,
                   condition: dict | None) -> dict:
    result = copy.deepcopy(document)
    target = _section(result, section)
    target.update(code=code, title=title, condition=condition)
    return result


def delete_section(document: dict, *, section: str) -> dict:
    result = copy.deepcopy(document)
    target = _section(result, section)
    result["sections"] = [item for item in result["sections"] if item is not target]
    return result


def move_section(document: dict, *, section: str, direction: int) -> dict:
    result = copy.deepcopy(document)
    sections = result["sections"]
    index = sections.index(_section(result, section))
    other = index + direction
    if 0 <= other < len(sections):
        sections[index], sections[other] = sections[other], sections[index]
    return result


def add_question(document: dict, *, section: str, question: dict) -> dict:
    result = copy.deepcopy(document)
    _section(result, section)["questions"].append(question)
    return result


def update_question(document: dict, *, code: str, question: dict) -> dict:
    result = copy.deepcopy(document)
    section, index = _locate(result, code)
    section["questions"][index] = question
    return result


def delete_question(document: dict, *, code: str) -> dict:
    result = copy.deepcopy(document)
    section, index = _locate(result, code)
    del section["questions"][index]
    return result


def move_question(document: dict, *, code: str, direction: int) -> dict:
    """Move a question up (-1) or down (+1); past a section's edge it joins the next section."""
    result = copy.deepcopy(document)
    section, index = _locate(result, code)
    questions = section["questions"]
    other = index + direction
    if 0 <= other < len(questions):
        questions[index], questions[other] = questions[other], questions[index]
        return result
    sections = result["sections"]
    neighbour = sections.index(section) + direction
    if 0 <= neighbour < len(sections):
        moved = questions.pop(index)
        target = sections[neighbour]["questions"]
        target.insert(len(target) if direction < 0 else 0, moved)
    return result


OPERATIONS: dict[str, Any] = {
    "update_meta": update_meta, "add_section": add_section, "update_section": update_section,
    "delete_section": delete_section, "move_section": move_section,
    "add_question": add_question, "update_question": update_question,
    "delete_question": delete_question, "move_question": move_question,
}
