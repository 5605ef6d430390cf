"""What a respondent request reads and writes, as plain rows: no ORM objects on the hot path.

One statement (built once) loads the assignment, its survey, its response, the response's
definition version and the saved answers; writes are single-row UPDATEs and INSERTs. GET pages
run that statement on the driver's cursor (:func:`_read`), compiled once per dialect: SQLAlchemy's
execution and result machinery cost a page 0.17 ms on SQLite and 0.23 ms on PostgreSQL, more
than the query itself (``benchmarks/profile_respond.py``).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from app.extensions import db
from app.models import Answer, Assignment, Response, Survey, SurveyVersion
from app.surveys import versions
from app.surveys.definition import SurveyDefinition

_ASSIGNMENTS, _SURVEYS = Assignment.__table__, Survey.__table__
_RESPONSES, _VERSIONS, _ANSWERS = Response.__table__, SurveyVersion.__table__, Answer.__table__


@dataclass
class AssignmentRow:
    id: int
    survey_id: int
    status: str
    language: str


@dataclass
class SurveyRow:
    id: int
    status: str
    version: int
    opens_at: datetime | None
    closes_at: datetime | None


@dataclass
class ResponseRow:
    id: int
    status: str
    language: str
    current_section: str | None
    survey_version: int


@dataclass
class Respondent:
    assignment: AssignmentRow
    survey: SurveyRow
    definition: SurveyDefinition
    response: ResponseRow | None
    answers: dict[str, Any]

    @property
    def language(self) -> str:
        chosen = self.response.language if self.response else self.assignment.language
        return chosen if chosen in self.definition.languages else self.definition.languages[0]


_COLUMNS = (
    [_ASSIGNMENTS.c[name] for name in ("id", "survey_id", "status", "language")]
    + [_SURVEYS.c[name] for name in ("id", "status", "version", "opens_at", "closes_at")]
    + [_RESPONSES.c[name] for name in ("id", "status", "language", "current_section",
                                       "survey_version")]
    + [_VERSIONS.c.id, _VERSIONS.c.definition_hash, _ANSWERS.c.question_code, _ANSWERS.c.value])
_LOAD = (
    sa.select(*_COLUMNS)
    .join_from(_ASSIGNMENTS, _SURVEYS, _SURVEYS.c.id == _ASSIGNMENTS.c.survey_id)
    .outerjoin(_RESPONSES, _RESPONSES.c.assignment_id == _ASSIGNMENTS.c.id)
    .join(_VERSIONS, sa.and_(
        _VERSIONS.c.survey_id == _ASSIGNMENTS.c.survey_id,
        _VERSIONS.c.number == sa.func.coalesce(_RESPONSES.c.survey_version,
                                               _SURVEYS.c.version)))
    .outerjoin(_ANSWERS, _ANSWERS.c.response_id == _RESPONSES.c.id)
    .where(_ASSIGNMENTS.c.id == sa.bindparam("assignment_id")))


@dataclass(frozen=True)
class _Compiled:
    sql: str
    positional: bool
    processors: tuple  # per column: the dialect's result processor or None


_COMPILED: dict[str, _Compiled] = {}


def _compiled(dialect: sa.Dialect) -> _Compiled:
    """`_LOAD` as the driver's SQL, with each column's result processor (SQLite datetimes, JSON)."""
    compiled = _COMPILED.get(dialect.name)
    if compiled is None:
        statement = _LOAD.compile(dialect=dialect)
        processors = tuple(column.type.dialect_impl(dialect).result_processor(dialect, None)
                           for column in _COLUMNS)
        compiled = _COMPILED[dialect.name] = _Compiled(str(statement), statement.positional,
                                                       processors)
    return compiled


def _read(assignment_id: int) -> list[tuple]:
    """`_LOAD` on a pooled connection's cursor, in autocommit (no BEGIN, no ROLLBACK trips).

    The pool's checkout events still run (the idle ping of ``app/database.py``); a driver error
    is raised as SQLAlchemy's (so the 503 page applies), and a connection that was lost or could
    not be put back out of autocommit is discarded rather than returned to the pool.
    """
    engine = db.engine
    dialect, compiled = engine.dialect, _compiled(engine.dialect)
    parameters = (assignment_id,) if compiled.positional else {"assignment_id": assignment_id}
    connection = engine.raw_connection()
    try:
        rows = _fetch(connection, compiled.sql, parameters, dialect.name == "postgresql")
    except dialect.loaded_dbapi.Error as error:
        lost = dialect.is_disconnect(error, connection.dbapi_connection, None)
        connection.invalidate(error)
        raise sa_exc.DBAPIError.instance(compiled.sql, parameters, error,
                                         dialect.loaded_dbapi.Error,
                                         connection_invalidated=lost, dialect=dialect) from error
    finally:
        connection.close()
    processors = compiled.processors
    return [tuple(value if process is None or value is None else process(value)
                  for value, process in zip(row, processors, strict=True)) for row in rows]


def _fetch(connection, sql: str, parameters, autocommit: bool) -> list[tuple]:
    """Run one SELECT; psycopg is switched to autocommit for it (sqlite3 begins nothing)."""
    if autocommit:
        connection.driver_connection.autocommit = True
    try:
        cursor = connection.cursor()
        try:
            cursor.execute(sql, parameters)
            return cursor.fetchall()
        finally:
            cursor.close()
    finally:
        if autocommit:
            connection.driver_connection.autocommit = False


def load(assignment_id: int, *, read_only: bool = False) -> Respondent | None:
    """Everything needed to show or save a page of an assignment, in one query (None: unknown).

    `read_only` (GET pages) reads on a pooled connection of its own in autocommit mode,
    without an ORM session (:func:`_read`); otherwise the session's transaction is used, as
    the writes that follow need it. The parsed definition comes from the per-process cache
    when its hash matches.
    """
    if read_only:
        rows = _read(assignment_id)
    else:
        rows = db.session.execute(_LOAD, {"assignment_id": assignment_id}).all()
    if not rows:
        return None
    first = rows[0]
    response = None if first[9] is None else ResponseRow(*first[9:14])
    version_id, digest = first[14], first[15]
    definition = versions.cached_definition(version_id, digest, lambda: db.session.scalar(
        sa.select(_VERSIONS.c.definition).where(_VERSIONS.c.id == version_id)))
    answers = {row[16]: row[17] for row in rows if row[16] is not None}
    return Respondent(AssignmentRow(*first[:4]), SurveyRow(*first[4:9]), definition, response,
                      answers)


def insert_response(respondent: Respondent, started_at: datetime) -> ResponseRow:
    """Create the response (IntegrityError: a parallel request created it first)."""
    language = respondent.language
    values = {"assignment_id": respondent.assignment.id, "survey_id": respondent.survey.id,
              "survey_version": respondent.survey.version, "mode": "web", "status": "partial",
              "language": language, "started_at": started_at}
    result = db.session.execute(sa.insert(_RESPONSES).values(values))
    return ResponseRow(result.inserted_primary_key[0], "partial", language, None,
                       respondent.survey.version)


def update_response(response: ResponseRow, **values: Any) -> None:
    """UPDATE the response row, skipped when nothing changes (no write lock for a no-op)."""
    if all(getattr(response, name, object()) == value for name, value in values.items()):
        return
    db.session.execute(sa.update(_RESPONSES).where(_RESPONSES.c.id == response.id)
                       .values(values))
    for name, value in values.items():
        if hasattr(response, name):
            setattr(response, name, value)


def update_assignment(assignment: AssignmentRow, **values: Any) -> None:
    """UPDATE the assignment row (callers only pass changes)."""
    db.session.execute(sa.update(_ASSIGNMENTS).where(_ASSIGNMENTS.c.id == assignment.id)
                       .values(values))
    for name, value in values.items():
        if hasattr(assignment, name):
            setattr(assignment, name, value)
