"""Respondent pages stay cheap: one query per page, no writes for unchanged answers, a cached
blank page that never leaks another respondent's form token, and the SQLite write gate."""

import re
import threading
import time

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.respond import gate, state
from tests.web.respond.test_respond import answers_of, form_token, make_assignment, page, responses


@pytest.fixture
def statements(app, monkeypatch):
    """Every statement sent to the driver: through SQLAlchemy, or on the read path's cursor."""
    seen: list[str] = []

    def record(_connection, _cursor, statement, _parameters, _context, _many):
        seen.append(statement.split()[0].upper())

    fetch = state._fetch

    def recorded_fetch(connection, sql, parameters, autocommit):
        seen.append(sql.split()[0].upper())
        return fetch(connection, sql, parameters, autocommit)

    monkeypatch.setattr(state, "_fetch", recorded_fetch)
    sa.event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    sa.event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture
def respondent(client, app):
    from tests.web.respond.test_respond import make_survey

    assignment, token, _code = make_assignment(make_survey())
    assert client.get(f"/antwoorden/t/{token}").status_code == 302
    return assignment


def save(client, data: dict, token: str):
    response = client.post("/antwoorden/vragenlijst/deel/S1",
                           data={**data, "action": "save", "form_token": token})
    assert response.status_code == 302
    return response


def test_a_page_costs_one_query(client, respondent, statements):
    page(client, "S1")
    statements.clear()
    page(client, "S1")
    assert statements == ["SELECT"]


def test_resaving_unchanged_answers_writes_nothing(client, respondent, statements):
    token = form_token(page(client, "S1"))
    save(client, {"q-Q1": "1"}, token)  # reveals Q2 on the page
    save(client, {"q-Q1": "1", "q-Q2": "120"}, token)
    statements.clear()
    save(client, {"q-Q1": "1", "q-Q2": "120"}, token)
    assert [kind for kind in statements if kind != "SELECT"] == []
    save(client, {"q-Q1": "1", "q-Q2": "80"}, token)
    writes = [kind for kind in statements if kind not in ("SELECT", "BEGIN", "COMMIT")]
    assert writes == ["INSERT"]  # one UPSERT for the one changed answer
    (response,) = responses(respondent.id)
    assert answers_of(response) == {"Q1": "1", "Q2": 80}


def test_cleared_answer_is_deleted(client, respondent):
    token = form_token(page(client, "S1"))
    save(client, {"q-Q1": "1"}, token)
    save(client, {"q-Q1": "1", "q-Q2": "120"}, token)
    assert answers_of(responses(respondent.id)[0]) == {"Q1": "1", "Q2": 120}
    save(client, {"q-Q1": "2"}, token)  # Q2 is hidden now: its answer goes
    (response,) = responses(respondent.id)
    assert answers_of(response) == {"Q1": "2"}


def test_cached_blank_page_carries_each_respondents_own_token(app, respondent):
    from tests.web.respond.test_respond import make_survey

    other, token, _code = make_assignment(make_survey())
    first, second = app.test_client(), app.test_client()
    second.get(f"/antwoorden/t/{token}")
    tokens = set()
    for client, assignment in ((first, respondent), (second, other)):
        with client.session_transaction() as session:
            session["respondent"] = assignment.id
        tokens.add(form_token(page(client, "S1")))
    assert len(tokens) == 2
    html = page(second, "S1")
    assert all(token not in html for token in tokens - {form_token(html)})


def test_saved_answer_is_shown_checked_not_the_blank_page(client, respondent):
    token = form_token(page(client, "S1"))
    save(client, {"q-Q1": "2"}, token)
    html = page(client, "S1")
    checked = re.findall(r'<input[^>]*\bchecked\b[^>]*>', html)
    assert len(checked) == 1 and 'value="2"' in checked[0]


def test_write_gate_lets_one_writer_in_at_a_time(tmp_path):
    order: list[str] = []
    database = str(tmp_path / "panel.db")

    def second_writer():
        with gate.gated(database):
            order.append("second in")

    with gate.gated(database):
        thread = threading.Thread(target=second_writer)
        thread.start()
        time.sleep(0.2)
        order.append("first out")
    thread.join(timeout=5)
    assert order == ["first out", "second in"]
