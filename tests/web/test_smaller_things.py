"""Smaller things seen in use (issue 14, item 8): honest step counters, reports named so they
can be told apart, pages that link only where the role may go, Dutch labels and commas."""

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from tests.web.invitations.test_invitations import CONFIG, invitations_of, make_batch
from tests.web.invitations.test_join import enter

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
    from tests.web.register.test_register_import import SAMPLE, do_import
    from tests.web.survey_factory import build_survey_with_responses

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


def test_the_second_clerk_is_told_of_differences_before_the_pass_is_saved(app):
    from app.models import Conflict, Entry
    from tests.conftest import login
    from tests.web.entry_helpers import (
        TYPED,
        entry_id_from,
        form_of,
        key_form,
        make_paper_survey,
        quick_user,
        start,
    )

    survey, [(assignment, code), _] = make_paper_survey()
    key_form(app.test_client(), quick_user("data_entry"), survey.id, code)
    second = app.test_client()
    login(second, quick_user("data_entry"))
    entry_id = entry_id_from(start(second, survey.id, code))
    other = {**TYPED, "Q2": "5", "Q12": "Minder verkeer"}
    data = {f"f-{key}": value for key, value in other.items()}
    version = str(db.session.get(Entry, entry_id).version)
    response = second.post(f"/invoer/pas/{entry_id}", data={**data, "version": version})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "uw invoer verschilt van de eerste invoer" in page
    told = re.findall(r'<li><a href="#f-([^"]+)">', page[page.index("entry-differences"):])
    assert told == ["Q2", "Q12"]
    assert "Meer groen" not in page  # the first clerk's value stays hidden
    db.session.expire_all()
    assert db.session.get(Entry, entry_id).status == "claimed"  # nothing saved yet
    assert form_of(assignment).status == "keyed_once"
    # the clerk looked again: Q12 was misread, Q2 stands
    fixed = {f"f-{key}": value for key, value in {**TYPED, "Q2": "5"}.items()}
    response = second.post(f"/invoer/pas/{entry_id}", data={**fixed, "version": version,
                                                           "checked": "Q2,Q12"})
    assert response.status_code == 422 and "entry-differences" in response.get_data(
        as_text=True)  # a different set of differences: told again, for Q2 only
    response = second.post(f"/invoer/pas/{entry_id}", data={**fixed, "version": version,
                                                           "checked": "Q2"})
    assert response.status_code == 302
    db.session.expire_all()
    assert form_of(assignment).status == "conflict"
    assert [item.field for item in db.session.scalars(sa.select(Conflict))] == ["Q2"]


def _crawl(client, start: str = "/", limit: int = 60) -> dict[str, int]:
    """Follow every internal link (GET) from ``start``; path → status."""
    seen, queue = {}, [start]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response.status_code
        if response.status_code in (301, 302):
            queue.append(response.headers["Location"])
            continue
        if "text/html" not in response.headers.get("Content-Type", ""):
            continue
        for link in re.findall(r'href="(/[^"#]*)"', response.get_data(as_text=True)):
            if not link.startswith(("/static", "/auth/logout")) and link not in seen:
                queue.append(link.replace("&amp;", "&"))
    return seen


@pytest.mark.parametrize("role", ["councillor", "data_entry"])
def test_pages_of_a_role_link_only_where_the_role_may_go(app, client, login_as, role):
    from app.results import reporting
    from tests.web.register.test_register_import import SAMPLE, do_import
    from tests.web.survey_factory import build_survey_with_responses

    do_import(SAMPLE.read_bytes())
    survey = build_survey_with_responses(30)
    report = reporting.start_report(survey, "pdf", None, None)
    report.content = b"%PDF-1.4"
    reporting.publish(report, True)
    db.session.commit()
    login_as(role)
    visited = _crawl(client)
    assert len(visited) > 3
    forbidden = sorted(path for path, status in visited.items() if status == 403)
    assert forbidden == [], forbidden


def test_staff_screens_show_dutch_labels_not_internal_codes(app, client, login_as):
    from datetime import UTC, datetime

    from app.models import Member, Panel

    panel = Panel(name="Panel", strata=["age_band", "sex"])
    db.session.add(panel)
    db.session.flush()
    db.session.add(Member(panel_id=panel.id, pseudonym="m1", stratum="25-34 | F",
                          consent_text_version="v1", consent_at=datetime.now(UTC),
                          joined_at=datetime.now(UTC), contact_preference="paper"))
    db.session.commit()
    login_as("researcher")
    page = client.get(f"/uitnodigingen/panel/{panel.id}/leden").get_data(as_text=True)
    cells = re.findall(r"<td>([^<]*)</td>", page)
    assert "25-34 | vrouw" in cells and "actief" in cells and "papier" in " ".join(cells)
    assert ">25-34 | F<" not in page and ">active<" not in page and ">paper<" not in page
    assert ">email<" not in page


def test_the_recruitment_monitor_writes_shares_with_a_decimal_comma(app, client, login_as):
    batch = make_batch(n=6)
    login_as("researcher")
    page = client.get(f"/uitnodigingen/panel/{batch.panel_id}/opvolging").get_data(
        as_text=True)
    cells = re.findall(r'<td class="num">([^<]*)</td>', page)
    assert any(cell.endswith("\u00a0%") and "," in cell for cell in cells), cells[:20]
    assert not [cell for cell in cells if re.search(r"\d\.\d", cell)]
