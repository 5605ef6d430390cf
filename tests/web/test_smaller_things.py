"""Smaller things seen in use (issue 14, item 8): honest step counters, reports named so they
can be told apart, pages that link only where the role may go, Dutch labels and commas."""

import re

import pytest

from app.extensions import db
from tests.web.test_invitations import CONFIG, invitations_of, make_batch
from tests.web.test_join import enter

STEP = re.compile(r"Stap (\d+) van (\d+)")


@pytest.fixture
def app_config():
    return dict(CONFIG)


def _step(page: str) -> tuple[int, int]:
    found = STEP.search(page)
    assert found, page[:400]
    return int(found.group(1)), int(found.group(2))


def test_the_join_steps_never_count_past_their_total_without_profile_questions(client, app):
    invitation = invitations_of(make_batch(n=2))[0]  # a panel without profile questions
    db.session.commit()
    location = enter(client, invitation).headers["Location"]
    seen = [_step(client.get(location).get_data(as_text=True))]
    client.post("/doe-mee/toestemming", data={"consent": "y"})
    seen.append(_step(client.get("/doe-mee/contact").get_data(as_text=True)))
    client.post("/doe-mee/contact", data={"contact_preference": "paper", "language": "nl"})
    seen.append(_step(client.get("/doe-mee/bevestigen").get_data(as_text=True)))
    totals = {total for _, total in seen}
    assert totals == {4} and [step for step, _ in seen] == [1, 3, 4]
    assert all(step <= total for step, total in seen)


def test_councillors_can_tell_two_reports_of_one_survey_apart(app, client, make_user):
    import sqlalchemy as sa

    from app.models import Report
    from app.results import reporting
    from tests.conftest import login
    from tests.web.survey_factory import build_survey_with_responses
    from tests.web.test_register_import import SAMPLE, do_import

    do_import(SAMPLE.read_bytes())
    survey = build_survey_with_responses(40)
    for _ in range(2):
        report = reporting.start_report(survey, "slides", None, None)
        report.content = b"%PDF-1.4"
        reporting.publish(report, True)
    db.session.commit()
    login(client, make_user("councillor"))
    page = client.get("/resultaten/").get_data(as_text=True)
    entries = re.findall(r'<li class="card">(.*?)</li>', page, flags=re.S)
    assert len(entries) == 2
    texts = [" ".join(re.sub(r"<[^>]+>", " ", entry).split()) for entry in entries]
    assert texts[0] != texts[1]
    assert any("versie 1 van" in text for text in texts)
    assert any("versie 2 van" in text for text in texts)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 2
