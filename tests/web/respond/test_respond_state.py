"""The respondent's read path on the driver's cursor gives what the ORM session gives."""

import pytest
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from app.extensions import db
from app.models import Answer, Response
from app.models.base import utcnow
from app.respond import state
from app.surveys import distribution, services
from tests.web.respond.test_respond import DEFINITION


@pytest.fixture
def answered(app):
    """An open survey with a partial response holding a string, a list and a number answer."""
    survey = services.create_survey(DEFINITION)
    services.open_survey(survey)
    assignment = distribution._new_assignment(survey, "web", "nl")
    db.session.add(assignment)
    db.session.flush()
    response = Response(assignment_id=assignment.id, survey_id=survey.id,
                        survey_version=survey.version, mode="web", status="partial",
                        language="fr", current_section="S2", started_at=utcnow())
    db.session.add(response)
    db.session.flush()
    for code, value in (("Q1", "1"), ("Q2", 250), ("Q4", ["1", "3"]),
                        ("Q3", {"a": "4", "b": None})):
        db.session.add(Answer(response_id=response.id, question_code=code, value=value))
    db.session.commit()
    return assignment.id


def test_the_read_path_equals_the_session_path(answered):
    read = state.load(answered, read_only=True)
    in_session = state.load(answered)
    assert read == in_session
    assert read.survey.opens_at is not None and read.survey.opens_at.year >= 2026
    assert read.answers == {"Q1": "1", "Q2": 250, "Q4": ["1", "3"],
                            "Q3": {"a": "4", "b": None}}
    assert (read.response.language, read.response.current_section) == ("fr", "S2")
    assert read.language == "fr"
    assert state.load(answered + 999, read_only=True) is None


def _pooled_connection_is_transactional() -> bool:
    """A write on the next pooled connection, rolled back, leaves nothing behind."""
    with db.engine.connect() as connection:
        connection.execute(sa.text("CREATE TABLE IF NOT EXISTS probe_rollback (x INTEGER)"))
        connection.commit()
        connection.execute(sa.text("INSERT INTO probe_rollback VALUES (1)"))
        connection.rollback()
        left = connection.execute(sa.text("SELECT count(*) FROM probe_rollback")).scalar()
        connection.execute(sa.text("DROP TABLE probe_rollback"))
        connection.commit()
    return left == 0


def test_reads_give_the_pool_back_its_connections_in_transaction_mode(answered):
    db.session.remove()
    for _ in range(3):
        state.load(answered, read_only=True)
    assert _pooled_connection_is_transactional()


def test_a_failing_read_is_sqlalchemy_s_error_and_spoils_no_connection(answered, monkeypatch):
    db.session.remove()
    positional = db.engine.dialect.name == "sqlite"
    marker = "?" if positional else "%(assignment_id)s"
    broken = state._Compiled(f"SELECT no_such_column FROM assignments WHERE id = {marker}",
                             positional, ())
    monkeypatch.setattr(state, "_compiled", lambda _dialect: broken)
    with pytest.raises(sa_exc.DBAPIError):
        state._read(answered)
    monkeypatch.undo()
    assert _pooled_connection_is_transactional()
    assert state.load(answered, read_only=True).assignment.id == answered
