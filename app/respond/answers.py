"""Read answers from a submitted respondent form."""

from typing import Any

from werkzeug.datastructures import MultiDict

from app.surveys.definition import Question


def field_name(question: Question, item: str | None = None) -> str:
    return f"q-{question.code}" if item is None else f"q-{question.code}-{item}"


def raw_answer(question: Question, form: MultiDict) -> Any:
    """The submitted input of one question, before validation."""
    name = field_name(question)
    if question.type == "multiple":
        return [value for value in form.getlist(name) if value]
    if question.type == "matrix":
        return {item.code: form.get(field_name(question, item.code), "")
                for item in question.items}
    if question.type in ("number", "date", "text") and form.get(f"{name}-missing"):
        return form.get(f"{name}-missing")
    return form.get(name, "")
