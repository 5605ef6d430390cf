"""Between the builder's forms and the definition document: fill forms, read them back."""

import json
from typing import Any

from app.surveys.forms import LANGUAGE_FIELDS

SETTING_FIELDS = {"points": "points", "max_choices": "max_choices", "minimum": "min",
                  "maximum": "max", "decimals": "decimals", "max_length": "max_length"}


class FormValueError(ValueError):
    """A builder form field cannot be read (message in Dutch)."""


def texts_from(form, prefix: str) -> dict[str, str]:
    result = {}
    for language in LANGUAGE_FIELDS:
        value = (form[f"{prefix}_{language}"].data or "").strip()
        if value:
            result[language] = value.replace("\r\n", "\n")
    return result


def fill_texts(form, prefix: str, texts: dict[str, str]) -> None:
    for language in LANGUAGE_FIELDS:
        form[f"{prefix}_{language}"].data = texts.get(language, "")


def lines_from(text: str | None, key: str, label: str) -> list[dict]:
    """``value | nl | fr | en`` lines as option (or item) dicts."""
    result = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) < 2 or not parts[0]:
            raise FormValueError(f"{label}, regel {number}: schrijf 'code | tekst'.")
        texts = {language: part for language, part in zip(LANGUAGE_FIELDS, parts[1:],
                                                            strict=False) if part}
        result.append({key: parts[0], "label" if key == "value" else "text": texts})
    return result


def lines_of(entries: list[dict], key: str) -> str:
    text_key = "label" if key == "value" else "text"
    return "\n".join(" | ".join([entry[key], *(entry[text_key].get(language, "")
                                                for language in LANGUAGE_FIELDS)]).rstrip(" |")
                     for entry in entries)


def condition_from(text: str | None) -> dict | None:
    if not (text or "").strip():
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise FormValueError(f"Toonvoorwaarde: geen geldige JSON ({error.msg}, "
                             f"regel {error.lineno}).") from None


def _number(text: str, label: str) -> int | float:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise FormValueError(f"{label}: vul een getal in.") from None
    return int(number) if number.is_integer() else number


def question_from(form) -> dict[str, Any]:
    """A question dict from the question form (validated later by ``load_definition``)."""
    kind = form.type.data
    question = {"code": form.code.data.strip(), "type": kind, "required": form.required.data,
                "text": texts_from(form, "text"), "help": texts_from(form, "help"),
                "missing": lines_from(form.missing.data, "value", "Weet-niet-codes"),
                "condition": condition_from(form.condition.data), "settings": {}}
    if kind in ("single", "multiple") or (kind in ("likert", "matrix") and form.options.data):
        question["options"] = lines_from(form.options.data, "value", "Antwoorden")
    if kind == "matrix":
        question["items"] = lines_from(form.items.data, "code", "Stellingen")
    for field, key in SETTING_FIELDS.items():
        value = (form[field].data or "").strip()
        if value:
            question["settings"][key] = _number(value, str(form[field].label.text))
    return question


def fill_question(form, question: dict[str, Any]) -> None:
    form.code.data, form.type.data = question["code"], question["type"]
    form.required.data = question.get("required", False)
    fill_texts(form, "text", question.get("text", {}))
    fill_texts(form, "help", question.get("help", {}))
    form.options.data = lines_of(question.get("options", []), "value")
    form.missing.data = lines_of(question.get("missing", []), "value")
    form.items.data = lines_of(question.get("items", []), "code")
    for field, key in SETTING_FIELDS.items():
        value = question.get("settings", {}).get(key)
        form[field].data = "" if value is None else str(value)
    condition = question.get("condition")
    form.condition.data = json.dumps(condition, ensure_ascii=False) if condition else ""
