"""The survey builder: import/export, editor, versions, copy, preview, distribution."""

import io
import json
from pathlib import Path

import sqlalchemy as sa
from flask import url_for
from pypdf import PdfReader

from app.extensions import db
from app.invitations.codes import hash_code
from app.models import Assignment, Member, Panel, Survey, SurveyVersion, utcnow
from app.surveys import distribution, services, versions
from app.surveys.definition import load_definition
from tests.web.respond.test_respond import DEFINITION, complete, make_assignment, make_survey

EXAMPLE = Path(__file__).parents[2] / "data" / "surveys" / "leven_in_zennegem.json"


def test_import_by_paste_and_export_round_trip(client, login_as):
    login_as("researcher")
    text = EXAMPLE.read_text(encoding="utf-8")
    response = client.post("/bevragingen/nieuw", data={"kind": "import", "text": text})
    survey = db.session.scalars(sa.select(Survey)).one()
    assert response.headers["Location"] == f"/bevragingen/{survey.id}"
    exported = client.get(f"/bevragingen/{survey.id}/definitie.json")
    assert exported.mimetype == "application/json"
    assert load_definition(exported.data) == load_definition(text)


def test_import_by_upload(client, login_as):
    login_as("researcher")
    data = {"kind": "import", "file": (io.BytesIO(json.dumps(DEFINITION).encode()), "b.json")}
    response = client.post("/bevragingen/nieuw", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    assert db.session.scalars(sa.select(Survey)).one().title["fr"] == "Enquête de quartier"


def test_invalid_import_lists_every_problem_in_dutch(client, login_as):
    login_as("researcher")
    broken = json.loads(json.dumps(DEFINITION))
    broken["sections"][0]["questions"][0]["type"] = "slider"
    broken["sections"][1]["questions"][1]["condition"] = {"question": "Q9", "operator": "in",
                                                          "values": ["1"]}
    response = client.post("/bevragingen/nieuw", data={"kind": "import",
                                                       "text": json.dumps(broken)})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "De definitie is niet geldig" in html and "slider" in html
    response = client.post("/bevragingen/nieuw", data={"kind": "import", "text": "{nope"})
    assert "Geen geldige JSON" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Survey)) == 0


def test_editor_add_edit_move_delete_question(client, login_as):
    login_as("researcher")
    survey = make_survey(status="draft")
    form = {"code": "Q7", "type": "single", "text_nl": "Fietst u?", "text_fr": "Roulez-vous ?",
            "options": "1 | Ja | Oui\n2 | Nee | Non", "missing": "9 | Weet niet"}
    response = client.post(f"/bevragingen/{survey.id}/vraag/nieuw?sectie=S1", data=form)
    assert response.status_code == 302
    question = versions.definition_of(survey).question("Q7")
    assert question.options[1].label == {"nl": "Nee", "fr": "Non"}
    assert question.missing_values == ("9",)
    page = client.get(f"/bevragingen/{survey.id}/vraag/Q7").get_data(as_text=True)
    assert "1 | Ja | Oui" in page
    client.post(f"/bevragingen/{survey.id}/vraag/Q7", data={**form, "required": "y"})
    assert versions.definition_of(survey).question("Q7").required
    client.post(f"/bevragingen/{survey.id}/vraag/Q7/verplaatsen", data={"direction": "1"})
    assert [q.code for q in versions.definition_of(survey).sections[1].questions][0] == "Q7"
    client.post(f"/bevragingen/{survey.id}/vraag/Q7/verwijderen")
    assert "Q7" not in [q.code for q in versions.definition_of(survey).questions]
    assert survey.version == 1  # no responses: edited in place


def test_editor_refuses_an_edit_that_breaks_a_condition(client, login_as):
    login_as("researcher")
    survey = make_survey(status="draft")
    response = client.post(f"/bevragingen/{survey.id}/vraag/Q1/verwijderen")
    assert response.status_code == 302
    assert "Q1" in [q.code for q in versions.definition_of(survey).questions]
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Q1" in html and "flash-error" in html
    bad = client.post(f"/bevragingen/{survey.id}/vraag/Q2", data={
        "code": "Q2", "type": "number", "text_nl": "Tuin?", "condition": "{nope"})
    assert bad.status_code == 422 and "Toonvoorwaarde" in bad.get_data(as_text=True)


def test_sections_and_general_texts(client, login_as):
    login_as("researcher")
    survey = make_survey(status="draft")
    client.post(f"/bevragingen/{survey.id}/sectie/nieuw", data={"code": "S4", "title_nl": "Extra"})
    client.post(f"/bevragingen/{survey.id}/sectie/S4/verplaatsen", data={"direction": "-1"})
    assert [s.code for s in versions.definition_of(survey).sections] == ["S1", "S2", "S4", "S3"]
    client.post(f"/bevragingen/{survey.id}/sectie/S4/verwijderen")
    client.post(f"/bevragingen/{survey.id}/algemeen", data={
        "languages": "nl, fr, en", "title_nl": "Nieuwe titel", "title_en": "New title"})
    definition = versions.definition_of(survey)
    assert definition.languages == ("nl", "fr", "en") and survey.title["en"] == "New title"
    assert len(definition.sections) == 3
    assert "S4_1" not in [q.code for q in definition.questions]


def test_translations_view_lists_what_is_missing(client, login_as):
    login_as("researcher")
    survey = make_survey(status="draft")
    html = client.get(f"/bevragingen/{survey.id}/vertalingen").get_data(as_text=True)
    assert "Sectie 1, vraag Q2" in html and "Sectie 1, vraag Q1, hulptekst" in html
    assert "Titel</li>" not in html  # the title is translated


def test_editing_after_responses_makes_a_new_version(app, client, login_as):
    survey = make_survey()
    _assignment, token, _code = make_assignment(survey)
    respondent = app.test_client()
    respondent.get(f"/antwoorden/t/{token}")
    complete(respondent)
    login_as("researcher")
    client.post(f"/bevragingen/{survey.id}/vraag/Q5/verwijderen")
    assert survey.version == 2
    rows = db.session.scalars(sa.select(SurveyVersion).where(
        SurveyVersion.survey_id == survey.id).order_by(SurveyVersion.number)).all()
    assert [row.number for row in rows] == [1, 2]
    assert "Q5" in [q.code for q in versions.definition_of(survey, 1).questions]
    assert "Q5" not in [q.code for q in versions.definition_of(survey).questions]
    page = respondent.get("/antwoorden/vragenlijst/deel/S3")  # a started response stays on v1
    assert 'id="vraag-Q5"' in page.get_data(as_text=True)
    _other, other_token, _ = make_assignment(survey)
    newcomer = app.test_client()
    newcomer.get(f"/antwoorden/t/{other_token}")
    assert 'id="vraag-Q5"' not in newcomer.get("/antwoorden/vragenlijst/deel/S3").get_data(
        as_text=True)


def test_copy_for_a_new_wave(client, login_as):
    login_as("researcher")
    source = make_survey()
    client.post(f"/bevragingen/{source.id}/kopie", data={"title": "Buurtbevraging 2027"})
    copy = db.session.scalars(sa.select(Survey).where(Survey.id != source.id)).one()
    assert copy.copied_from_id == source.id and copy.status == "draft"
    assert copy.title == {"nl": "Buurtbevraging 2027", "fr": "Enquête de quartier"}
    assert [q.code for q in versions.definition_of(copy).questions] == \
        [q.code for q in versions.definition_of(source).questions]


def test_preview_renders_every_section_without_saving(client, login_as):
    login_as("researcher")
    survey = make_survey(status="draft")
    html = client.get(f"/bevragingen/{survey.id}/voorbeeld").get_data(as_text=True)
    assert "Voorbeeld voor onderzoekers" in html and "Deel 1 van 3" in html
    html = client.get(f"/bevragingen/{survey.id}/voorbeeld?deel=S2&taal=fr") \
        .get_data(as_text=True)
    assert "Deel 2 van 3" in html and 'name="q-Q3-a"' in html and "form_token" not in html
    assert client.get(f"/bevragingen/{survey.id}/voorbeeld?deel=S9").status_code == 404


def test_open_and_close(client, login_as):
    login_as("researcher")
    survey = make_survey(status="draft")
    client.post(f"/bevragingen/{survey.id}/openen")
    assert survey.status == "open"
    client.post(f"/bevragingen/{survey.id}/sluiten")
    assert survey.status == "closed"


def _member(panel: Panel, number: int, preference: str, status: str = "active") -> Member:
    member = Member(panel_id=panel.id, pseudonym=f"P{number}", consent_text_version="v1",
                    consent_at=utcnow(), contact_preference=preference, language="fr",
                    status=status, joined_at=utcnow(),
                    email=f"p{number}@example.org" if preference == "email" else None)
    db.session.add(member)
    return member


def test_assign_to_active_panel_members_and_paper_batch(client, login_as):
    login_as("researcher")
    panel = Panel(name="Stadspanel")
    db.session.add(panel)
    db.session.flush()
    for number, (preference, status) in enumerate([("email", "active"), ("paper", "active"),
                                                    ("paper", "active"), ("email", "left")]):
        _member(panel, number, preference, status)
    survey = make_survey()
    db.session.commit()
    client.post(f"/bevragingen/{survey.id}/toewijzen", data={"target": f"panel:{panel.id}"})
    client.post(f"/bevragingen/{survey.id}/toewijzen", data={"target": f"panel:{panel.id}"})
    rows = db.session.scalars(sa.select(Assignment).order_by(Assignment.id)).all()
    assert [row.channel for row in rows] == ["web", "paper", "paper"]
    response = client.post(f"/bevragingen/{survey.id}/papier")
    status_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 vragenlijsten klaar" in status_page
    pdf = client.get(response.headers["Location"] + ".pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Avez-vous un jardin" in text
    db.session.expire_all()
    assert {row.status for row in rows if row.channel == "paper"} == {"sent"}
    html = client.get(f"/bevragingen/{survey.id}").get_data(as_text=True)
    assert "Toewijzingen per kanaal en status" in html


def test_invitation_messages_give_working_links_and_codes(app, client):
    survey = make_survey()
    assignment, _token, _code = make_assignment(survey)
    [(row, link, code)] = list(distribution.survey_invitation_messages(survey))
    distribution.mark_sent(row)
    db.session.commit()
    assert row.code_hash == hash_code(code, distribution.hash_secret())
    path = link.split("127.0.0.1:5000", 1)[1]
    with app.test_request_context():
        assert path == url_for("respond.token", token=path.rsplit("/", 1)[1])
    assert client.get(path).headers["Location"] == "/antwoorden/vragenlijst"
    assert db.session.get(Assignment, assignment.id).status == "sent"
    assert list(distribution.survey_invitation_messages(survey)) == []


def test_staff_of_other_roles_cannot_use_the_builder(client, login_as):
    survey = make_survey()
    login_as("data_entry")
    assert client.get(f"/bevragingen/{survey.id}").status_code == 403
    assert client.get(f"/bevragingen/{survey.id}/definitie.json").status_code == 403
    assert client.post(f"/bevragingen/{survey.id}/sluiten").status_code == 403
    assert services.export_json(survey)


def test_blank_survey_starts_with_one_editable_question(client, login_as):
    login_as("researcher")
    response = client.post("/bevragingen/nieuw", data={"kind": "blank", "title": "Proef"})
    survey = db.session.scalars(sa.select(Survey)).one()
    assert response.headers["Location"] == f"/bevragingen/{survey.id}"
    assert [q.code for q in versions.definition_of(survey).questions] == ["Q1"]
    assert survey.title == {"nl": "Proef"}


def test_a_second_paper_batch_prints_only_the_new_ones_and_keeps_earlier_codes(client,
                                                                               login_as):
    from app.respond.access import assignment_by_code

    login_as("researcher")
    panel = Panel(name="Stadspanel")
    db.session.add(panel)
    db.session.flush()
    for number in range(2):
        _member(panel, number, "paper", "active")
    survey = make_survey()
    db.session.commit()
    client.post(f"/bevragingen/{survey.id}/toewijzen", data={"target": f"panel:{panel.id}"})
    first = distribution.issue_paper_codes(survey)
    db.session.commit()
    assert len(first) == 2
    _member(panel, 9, "paper", "active")  # joined later
    db.session.commit()
    client.post(f"/bevragingen/{survey.id}/toewijzen", data={"target": f"panel:{panel.id}"})
    assert "1 papieren vragenlijsten nog te maken" in client.get(
        f"/bevragingen/{survey.id}").get_data(as_text=True)
    response = client.post(f"/bevragingen/{survey.id}/papier", data={"scope": "nieuw"})
    assert "1 vragenlijsten klaar" in client.get(response.headers["Location"]).get_data(
        as_text=True)
    for assignment, code in first:  # the forms already in people's letterboxes still work
        assert assignment_by_code(code).id == assignment.id
    response = client.post(f"/bevragingen/{survey.id}/papier", data={"scope": "alles"})
    assert "3 vragenlijsten klaar" in client.get(response.headers["Location"]).get_data(
        as_text=True)
    assert all(assignment_by_code(code) is None for _assignment, code in first)
