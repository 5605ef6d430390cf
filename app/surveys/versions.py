"""Stored definition versions of a survey, and a small per-process cache of parsed definitions.

A version without responses is edited in place; once a response exists on it, saving an edit
creates the next version, so answers stay tied to the definition they answered.
"""

import hashlib
import json
from collections import OrderedDict
from typing import Any

import sqlalchemy as sa

from app.extensions import db
from app.models import Response, Survey, SurveyVersion
from app.surveys.definition import SurveyDefinition, dump_definition, load_definition

_CACHE: OrderedDict[tuple[int, str], SurveyDefinition] = OrderedDict()
_CACHE_SIZE = 64


def document_hash(document: dict[str, Any]) -> str:
    """sha256 of the canonical JSON text of a definition document."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cached_definition(version_id: int, digest: str, document) -> SurveyDefinition:
    """The parsed definition for (version id, hash); `document()` is only called on a miss."""
    key = (version_id, digest)
    found = _CACHE.get(key)
    if found is None:
        found = load_definition(document())
        _CACHE[key] = found
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(key)
    return found


def definition_by_number(survey_id: int, number: int) -> tuple[int, SurveyDefinition]:
    """(version id, parsed definition) reading only the id and hash when the cache has it."""
    version_id, digest = db.session.execute(sa.select(
        SurveyVersion.id, SurveyVersion.definition_hash).where(
        SurveyVersion.survey_id == survey_id, SurveyVersion.number == number)).one()
    return version_id, cached_definition(version_id, digest, lambda: db.session.scalar(
        sa.select(SurveyVersion.definition).where(SurveyVersion.id == version_id)))


def definition_of(survey: Survey, number: int | None = None) -> SurveyDefinition:
    """The parsed definition of `survey` at version `number` (default: current)."""
    number = survey.version if number is None else number
    try:
        return definition_by_number(survey.id, number)[1]
    except sa.exc.NoResultFound:
        raise LookupError(f"survey {survey.id} has no version {number}") from None


def has_responses(survey: Survey, number: int) -> bool:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Response).where(
        Response.survey_id == survey.id, Response.survey_version == number)) > 0


def save_definition(survey: Survey, definition: SurveyDefinition, *,
                    user_id: int | None = None) -> SurveyVersion:
    """Store `definition` as the survey's current version (a new one if answers exist)."""
    document = dump_definition(definition)
    digest = document_hash(document)
    current = db.session.scalar(sa.select(SurveyVersion).where(
        SurveyVersion.survey_id == survey.id, SurveyVersion.number == survey.version))
    if current is not None and current.definition_hash == digest:
        return current
    if current is None or has_responses(survey, current.number):
        number = survey.version + 1 if current is not None else survey.version
        current = SurveyVersion(survey_id=survey.id, number=number, created_by_id=user_id)
        db.session.add(current)
        survey.version = number
    current.definition, current.definition_hash = document, digest
    survey.title, survey.languages = dict(definition.title), list(definition.languages)
    db.session.flush()
    return current
