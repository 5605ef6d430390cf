"""Benchmark: saving one keyed paper form of 40 questions (issue 7: p95 ≤ 100 ms on the server).

Each measured save is a full POST through the Flask test client on a file SQLite database
(or ``--database-url URL``): session and role check, CSRF-free form parse, validation of all 40
fields, the optimistic UPDATE, and, for a second pass, comparison and the final Response with
its 40 answers, then the commit and the redirect. Forms are keyed by two clerks, so half of the
saves are first passes and half are second passes that finalise.

Run: ``.venv/bin/python benchmarks/bench_entry.py [--saves 300] [--database-url URL]``.
"""

import argparse
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import Targets, add_database_option, database_label, database_url  # noqa: E402

SECRETS = {"SECRET_KEY": "bench-secret-key", "PERSON_KEY_SECRET": "bench-person-key-0123456"}
OPTIONS = [{"value": str(value), "label": {"nl": f"Antwoord {value}"}} for value in range(1, 6)]
MISSING = [{"value": "98", "label": {"nl": "Weet niet"}}]
KINDS = ("single", "likert", "multiple", "number", "single", "text", "likert", "date")


def _question(number: int) -> dict:
    kind = KINDS[number % len(KINDS)]
    question = {"code": f"Q{number}", "type": kind, "text": {"nl": f"Vraag {number}"}}
    if kind in ("single", "likert", "multiple"):
        question |= {"options": OPTIONS, "missing": [] if kind == "multiple" else MISSING}
    if kind == "likert":
        question["settings"] = {"points": 5}
    if kind == "number":
        question["settings"] = {"min": 0, "max": 120, "decimals": 0}
    return question


def definition() -> dict:
    questions = [_question(number) for number in range(1, 41)]
    return {"format": "stadspanel-survey", "version": 1, "languages": ["nl"],
            "title": {"nl": "Invoerbenchmark"},
            "sections": [{"code": "S1", "title": {"nl": "Deel 1"}, "questions": questions[:20]},
                         {"code": "S2", "title": {"nl": "Deel 2"}, "questions": questions[20:]}]}


TYPED_BY_KIND = {"single": "3", "likert": "6", "multiple": "1 4", "number": "42",
                 "text": "Meer groen en minder verkeer", "date": "15031950"}


def typed_form() -> dict[str, str]:
    return {f"f-Q{number}": TYPED_BY_KIND[KINDS[number % len(KINDS)]] for number in range(1, 41)}


def _setup(app, forms: int):
    from app.extensions import db
    from app.invitations.codes import generate_code, generate_link_token, hash_code, hash_token
    from app.models import Assignment, User
    from app.passwords import hash_password
    from app.surveys import services
    from app.surveys.distribution import hash_secret

    db.drop_all()
    db.create_all()
    survey = services.create_survey(definition())
    services.open_survey(survey)
    secret, codes = hash_secret(), []
    for _ in range(forms):
        code = generate_code()
        db.session.add(Assignment(survey_id=survey.id, channel="paper", status="sent",
                                  pseudonym=f"R{secrets.token_hex(8)}",
                                  token_hash=hash_token(generate_link_token(), secret),
                                  code_hash=hash_code(code, secret)))
        codes.append(code)
    clerks = [User(email=f"clerk{n}@example.org", name=f"Clerk {n}", role="data_entry",
                   password_hash=hash_password("bench password 123")) for n in (1, 2)]
    db.session.add_all(clerks)
    db.session.commit()
    return survey.id, codes, [clerk.email for clerk in clerks]


def _client(app, email: str):
    client = app.test_client()
    response = client.post("/auth/login", data={"email": email,
                                                "password": "bench password 123"})
    assert response.status_code == 302, response.status_code
    return client


def _save_once(app, client, survey_id: int, code: str, typed: dict) -> float:
    from app.extensions import db
    from app.models import Entry

    started = client.post("/invoer/", data={"survey": str(survey_id), "code": code})
    assert started.status_code == 302, started.get_data(as_text=True)[:500]
    entry_id = int(started.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    with app.app_context():
        version = db.session.get(Entry, entry_id).version
    begin = time.perf_counter()
    saved = client.post(f"/invoer/pas/{entry_id}", data={**typed, "version": str(version)})
    elapsed = time.perf_counter() - begin
    assert saved.status_code == 302, saved.get_data(as_text=True)[:500]
    return elapsed


def run(url: str, saves: int) -> list[float]:
    from app import create_app
    from app.extensions import db
    from app.models import Response

    app = create_app({**SECRETS, "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        survey_id, codes, emails = _setup(app, (saves + 1) // 2)
    clients, typed, timings = [_client(app, email) for email in emails], typed_form(), []
    for code in codes:
        for client in clients:
            timings.append(_save_once(app, client, survey_id, code, typed))
    with app.app_context():
        final = db.session.scalar(db.select(db.func.count()).select_from(Response))
        assert final == len(codes), (final, len(codes))
    return timings[:saves]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=300)
    add_database_option(parser)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = database_url(arguments, folder, "bench_entry.db")
        timings = [seconds * 1000 for seconds in run(url, arguments.saves)]
    print(f"database: {database_label(url)}; saves of a 40-question keyed form: {len(timings)} "
          f"(half first passes, half second passes that finalise a Response)")
    for name, share in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99)):
        print(f"{name}: {_percentile(timings, share):6.1f} ms")
    print(f"mean: {statistics.fmean(timings):6.1f} ms")
    targets = Targets("bench_entry")
    targets.check("p95 of one save", _percentile(timings, 0.95), 100, unit="ms")
    return targets.finish()


if __name__ == "__main__":
    sys.exit(main())
