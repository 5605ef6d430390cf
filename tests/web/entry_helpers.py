"""Shared helpers for the paper data-entry tests: a paper survey, its codes, a full keying."""

import re
import secrets
from functools import cache

import sqlalchemy as sa

from app.extensions import db
from app.invitations.codes import generate_code, generate_link_token, hash_code, hash_token
from app.models import Assignment, Entry, PaperForm, User
from app.passwords import hash_password
from app.surveys import services
from app.surveys.distribution import hash_secret
from tests.conftest import PASSWORD, login
from tests.web.survey_factory import EXAMPLE

# One complete keying of the example questionnaire (what the clerk types, field by field).
TYPED = {"Q1": "2", "Q2": "4", "Q3": "1", "Q4": "", "Q5_a": "3", "Q5_b": "6", "Q5_c": "1",
         "Q5_d": ".", "Q5_e": "5", "Q6": "1", "Q7": "1 3", "Q8": "5", "Q9": "24", "Q10": "3",
         "Q11": "15031950", "Q12": "Meer groen  in de wijk"}
# What the response must hold: normalised as the web stores it; blank, hidden Q4 left out.
EXPECTED = {"Q1": "2", "Q2": "4", "Q3": "1", "Q5": {"a": "3", "b": "98", "c": "1", "e": "5"},
            "Q6": "1", "Q7": ["1", "3"], "Q8": "5", "Q9": ["2", "4"], "Q10": 3,
            "Q11": "1950-03-15", "Q12": "Meer groen  in de wijk"}


@cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


def quick_user(role: str = "researcher") -> User:
    """Like the conftest ``make_user``, but hashes the shared test password only once."""
    user = User(email=f"{role}-{secrets.token_hex(4)}@example.org", name=role.title(),
                role=role, password_hash=_password_hash())
    db.session.add(user)
    db.session.commit()
    return user


def make_paper_survey(count: int = 2):
    """An open survey with `count` paper assignments; returns (survey, [(assignment, code)])."""
    survey = services.create_survey(EXAMPLE.read_text(encoding="utf-8"))
    survey.status = "open"
    secret, issued = hash_secret(), []
    for _ in range(count):
        code = generate_code()
        assignment = Assignment(survey_id=survey.id, channel="paper", language="nl",
                                status="sent", pseudonym=f"R{secrets.token_hex(8)}",
                                token_hash=hash_token(generate_link_token(), secret),
                                code_hash=hash_code(code, secret))
        db.session.add(assignment)
        issued.append((assignment, code))
    db.session.commit()
    return survey, issued


def start(client, survey_id, code):
    return client.post("/invoer/", data={"survey": str(survey_id), "code": code})


def entry_id_from(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def save(client, entry_id, typed, version=None):
    if version is None:
        version = db.session.get(Entry, entry_id).version
    data = {f"f-{key}": value for key, value in typed.items()}
    response = client.post(f"/invoer/pas/{entry_id}", data={**data, "version": str(version)})
    checked = re.search(r'name="checked" value="([^"]*)"', response.get_data(as_text=True))
    if response.status_code == 422 and checked:  # told about differences: checked, saves
        response = client.post(f"/invoer/pas/{entry_id}", data={
            **data, "version": str(version), "checked": checked.group(1)})
    return response


def key_form(client, user, survey_id, code, typed=TYPED):
    """Log in as `user`, scan `code`, key `typed`; returns the save response."""
    login(client, user)
    entry_id = entry_id_from(start(client, survey_id, code))
    return save(client, entry_id, typed)


def form_of(assignment) -> PaperForm:
    return db.session.scalar(sa.select(PaperForm).where(
        PaperForm.assignment_id == assignment.id))
