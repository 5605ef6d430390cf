"""Property: any valid definition renders online and survives JSON export → import unchanged."""

import json

from hypothesis import HealthCheck, given, settings

from app.extensions import db
from app.surveys import services, versions
from app.surveys.definition import dump_definition, load_definition, visible_sections
from tests.web.respond.test_respond import make_assignment
from tests.web.strategies import survey_definitions

PROPERTY = settings(max_examples=12, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@PROPERTY
@given(document=survey_definitions(max_questions=6))
def test_any_definition_renders_every_respondent_page(app, client, document):
    survey = services.create_survey(document)
    services.open_survey(survey)
    db.session.commit()
    _assignment, token, _code = make_assignment(survey)
    client.get(f"/antwoorden/t/{token}")
    definition = versions.definition_of(survey)
    for section in visible_sections(definition, {}):
        response = client.get(f"/antwoorden/vragenlijst/deel/{section.code}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "<script" not in html.split("</head>")[1]  # texts with <, > and & are escaped
        first = section.questions[0]
        assert f'id="vraag-{first.code}"' in html or first.condition is not None
    assert client.get("/antwoorden/vragenlijst/overzicht").status_code == 200


@PROPERTY
@given(document=survey_definitions(max_questions=6))
def test_any_definition_survives_export_and_import(app, client, login_as, document):
    if not getattr(client, "_logged_in", False):
        login_as("researcher")
        client._logged_in = True
    survey = services.create_survey(document)
    db.session.commit()
    exported = client.get(f"/bevragingen/{survey.id}/definitie.json")
    again = load_definition(exported.data)
    assert again == load_definition(document)
    assert dump_definition(again) == json.loads(exported.data)
    preview = client.get(f"/bevragingen/{survey.id}/voorbeeld")
    assert preview.status_code == 200
