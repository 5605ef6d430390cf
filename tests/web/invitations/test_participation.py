"""Panel upkeep: members who stopped answering are counted and can be listed."""

from datetime import UTC, datetime

import sqlalchemy as sa

from app.extensions import db
from app.invitations.participation import participation, silent_active_members
from app.models import Assignment, Member, Panel, utcnow
from app.surveys import distribution
from tests.web.respond.test_respond import make_survey

# Per member, their answers to four closed surveys in order (True: completed).
HISTORIES = {"P-trouw": [True, True, True, True], "P-stil": [True, False, False, False],
             "P-twijfel": [False, False, False, True], "P-nieuw": [False, False]}


def _panel_with_history() -> Panel:
    panel = Panel(name="Stadspanel")
    db.session.add(panel)
    db.session.flush()
    members = {}
    for pseudonym in HISTORIES:
        members[pseudonym] = Member(panel_id=panel.id, pseudonym=pseudonym,
                                    consent_text_version="v1", consent_at=utcnow(),
                                    contact_preference="paper", joined_at=utcnow())
        db.session.add(members[pseudonym])
    db.session.flush()
    for wave in range(4):
        survey = make_survey(status="draft")
        survey.panel_id, survey.status = panel.id, "closed"
        survey.opens_at = datetime(2026, 1 + 3 * wave, 1, tzinfo=UTC)
        for pseudonym, history in HISTORIES.items():
            offset = 4 - len(history)  # a newer member joined for the last surveys only
            if wave >= offset:
                assignment = distribution._new_assignment(survey, "paper", "nl",
                                                          member_id=members[pseudonym].id)
                assignment.status = "completed" if history[wave - offset] else "sent"
                db.session.add(assignment)
    open_survey = make_survey()  # an open survey does not count yet
    open_survey.panel_id = panel.id
    db.session.add(distribution._new_assignment(open_survey, "paper", "nl",
                                                member_id=members["P-trouw"].id))
    db.session.commit()
    return panel


def _by_pseudonym(panel: Panel) -> dict:
    ids = dict(db.session.execute(sa.select(Member.pseudonym, Member.id)).all())
    stats = participation(panel.id)
    return {pseudonym: stats[ids[pseudonym]] for pseudonym in HISTORIES}


def test_answers_and_misses_in_a_row_per_member(app):
    stats = _by_pseudonym(_panel_with_history())
    assert (stats["P-trouw"].asked, stats["P-trouw"].answered) == (4, 4)
    assert (stats["P-stil"].answered, stats["P-stil"].missed_in_a_row) == (1, 3)
    assert stats["P-stil"].silent and not stats["P-twijfel"].silent
    assert (stats["P-nieuw"].asked, stats["P-nieuw"].missed_in_a_row) == (2, 2)
    assert not stats["P-nieuw"].silent
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Assignment)) == 15


def test_the_panel_page_counts_them_and_the_list_shows_only_them(app, client, login_as):
    panel = _panel_with_history()
    assert silent_active_members(panel.id) == 1
    login_as("researcher")
    page = client.get(f"/panels/{panel.id}").get_data(as_text=True)
    assert "1 (actieve leden zonder antwoord op de laatste 3 bevragingen)" in page
    listed = client.get(f"/uitnodigingen/panel/{panel.id}/leden?deelname=stil"
                        ).get_data(as_text=True)
    assert "P-stil" in listed and "P-trouw" not in listed and "P-twijfel" not in listed
    assert "3 keer na elkaar niet ingevuld" in listed
    everyone = client.get(f"/uitnodigingen/panel/{panel.id}/leden").get_data(as_text=True)
    assert "4 van 4" in everyone and "1 van 4" in everyone
    db.session.execute(sa.update(Member).where(Member.pseudonym == "P-stil")
                       .values(status="paused"))
    db.session.commit()
    assert silent_active_members(panel.id) == 0  # paused members are no longer counted


def test_the_composition_counts_who_still_answers(app, client, login_as):
    from app.draws import services
    from app.models import Resident
    from tests.web.register.test_register_import import SAMPLE, do_import

    do_import(SAMPLE.read_bytes(), minimum_age=16)
    panel = _panel_with_history()
    panel.strata = ["sex"]
    residents = db.session.scalars(sa.select(Resident).where(Resident.sex == "F")
                                   .order_by(Resident.id).limit(len(HISTORIES))).all()
    for member, resident in zip(db.session.scalars(sa.select(Member).order_by(Member.id)),
                                residents, strict=True):
        member.resident_id = resident.id
    db.session.commit()
    table = services.panel_composition(panel).set_index("stratum")
    assert (table.loc["F", "members"], table.loc["F", "answering"]) == (4, 3)  # P-stil is silent
    login_as("researcher")
    page = client.get(f"/panels/{panel.id}").get_data(as_text=True)
    assert "Waarvan nog antwoordend" in page
