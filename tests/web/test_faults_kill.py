"""SIGKILL during a burst of answer submissions: no acknowledged answer is lost.

The app runs under gunicorn (2 workers) in its own process group on a file SQLite database in WAL
mode, on loopback only. Two threads post answers and record which were acknowledged (HTTP 302);
once 20 were acknowledged the whole process group gets SIGKILL. After a restart every acknowledged
answer must be in the database.
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.models import Answer, Assignment, Response
from app.respond.access import form_token
from tests.conftest import TEST_SECRETS
from tests.web.register.test_register_import import SAMPLE, do_import
from tests.web.survey_factory import build_survey_with_responses

GUNICORN = Path(sys.executable).with_name("gunicorn")
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def seed_database(url: str) -> list[tuple[int, str]]:
    app = create_app({**TEST_SECRETS, "SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        db.create_all()
        do_import(SAMPLE.read_bytes())
        survey = build_survey_with_responses(240, respond_share=0.0)
        survey.status = "open"
        db.session.commit()
        tokens = [(a.id, form_token(a)) for a in db.session.scalars(
            sa.select(Assignment).where(Assignment.survey_id == survey.id))]
        db.session.remove()
        db.engine.dispose()
    return tokens


def start_server(url: str, port: int) -> subprocess.Popen:
    environment = {**os.environ, **TEST_SECRETS, "DATABASE_URL": url, "REDIS_URL": "",
                   "PYTHONPATH": str(ROOT)}
    environment.pop("REDIS_URL")
    process = subprocess.Popen(
        [str(GUNICORN), "-w", "2", "--preload", "-b", f"127.0.0.1:{port}", "--timeout", "20",
         "app:create_app()"], cwd=ROOT, env=environment, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", "/static/style.css")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    raise AssertionError("server did not start")


def post_answer(port: int, token: str, value: str) -> int:
    body = urllib.parse.urlencode({"form_token": token, "q-Q1": value, "action": "save"})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("POST", "/antwoorden/vragenlijst/deel/S1", body,
                           {"Content-Type": "application/x-www-form-urlencoded"})
        return connection.getresponse().status
    finally:
        connection.close()


def burst(port: int, tokens, acknowledged: list, stop: threading.Event) -> None:
    for assignment_id, token in tokens:
        if stop.is_set():
            return
        value = str(assignment_id % 3 + 1)
        try:
            if post_answer(port, token, value) == 302:
                acknowledged.append((assignment_id, value))
        except OSError:
            return


def test_no_acknowledged_answer_is_lost_when_the_server_is_killed(tmp_path):
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    tokens = seed_database(url)
    port = free_port()
    server = start_server(url, port)
    acknowledged: list[tuple[int, str]] = []
    stop = threading.Event()
    workers = [threading.Thread(target=burst, args=(port, tokens[part::2], acknowledged, stop))
               for part in range(2)]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + 30
    while len(acknowledged) < 20 and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(server.pid, signal.SIGKILL)  # mid-burst, no clean shutdown
    server.wait(timeout=10)
    stop.set()
    for worker in workers:
        worker.join(timeout=10)
    assert 0 < len(acknowledged) < len(tokens), "the kill must land mid-burst"
    restarted = start_server(url, free_port())
    os.killpg(restarted.pid, signal.SIGTERM)
    restarted.wait(timeout=10)
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        stored = dict(connection.execute(
            sa.select(Response.assignment_id, Answer.value)
            .join(Answer, Answer.response_id == Response.id)
            .where(Answer.question_code == "Q1")).all())
    engine.dispose()
    lost = [(assignment_id, value) for assignment_id, value in acknowledged
            if stored.get(assignment_id) != value]
    assert lost == []
