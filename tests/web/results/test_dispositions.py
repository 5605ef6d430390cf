"""Final dispositions and AAPOR response rates of a survey, per channel, on the results page."""

import re
from datetime import timedelta

from app.extensions import db
from app.models import Response, utcnow
from app.results.data import dispositions
from app.surveys import distribution
from reports.disposition import Dispositions
from tests.web.respond.test_respond import make_survey


def _case(survey, channel, *, response=None, bounced=False, paper_after=False):
    assignment = distribution._new_assignment(survey, channel, "nl")
    now = utcnow()
    assignment.sent_at = now - timedelta(days=3)
    if bounced:
        assignment.undeliverable_at = now - timedelta(days=2)
    if paper_after:
        assignment.channel, assignment.sent_at = "paper", now - timedelta(days=1)
    db.session.add(assignment)
    db.session.flush()
    if response:
        db.session.add(Response(assignment_id=assignment.id, survey_id=survey.id,
                                survey_version=1, mode="web", status=response, language="nl",
                                started_at=now))


def _survey():
    survey = make_survey()
    for _ in range(3):
        _case(survey, "web", response="complete")
    _case(survey, "paper", response="complete")
    _case(survey, "web", response="partial")
    _case(survey, "web", bounced=True)  # e-mail bounced, nothing else sent: not reached
    _case(survey, "web", bounced=True, paper_after=True)  # then paper went out: reached
    for _ in range(3):
        _case(survey, "paper")
    db.session.commit()
    return survey


def test_dispositions_overall_and_per_channel(app):
    counts = dispositions(_survey())
    assert counts[""] == Dispositions(complete=4, partial=1, non_contact=1, other=4)
    assert counts["web"] == Dispositions(complete=3, partial=1, non_contact=1, other=0)
    assert counts["paper"] == Dispositions(complete=1, partial=0, non_contact=0, other=4)


def test_the_results_page_shows_rr1_and_rr2(app, client, login_as):
    survey = _survey()
    login_as("researcher")
    page = client.get(f"/resultaten/bevraging/{survey.id}").get_data(as_text=True)
    row = re.search(r'<th scope="row">Alle</th>(.*?)</tr>', page).group(1)
    cells = ["10", "4", "1", "1", "4", "40,0\u00a0%", "50,0\u00a0%"]  # no break before %
    assert re.findall(r">([^<]+)</td>", row) == cells


def test_the_report_method_names_the_response_rate(app):
    from app.results import method

    assert method._response_rate(_survey()) == "; responsgraad 40,0 % (RR1, AAPOR)"
