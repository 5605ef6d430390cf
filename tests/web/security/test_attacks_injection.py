"""Stored XSS through every text input, SQL injection in every search, filter and code field."""

import io
import json

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Panel, Resident, Survey
from app.privacy import rights
from tests.web.privacy.test_privacy_study import STUDY, make_chain
from tests.web.register.test_register_import import REFERENCE, as_bytes, do_import, sample_lines
from tests.web.security.test_attacks_requests import row_counts
from tests.web.survey_factory import EXAMPLE

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
LINK = "javascript:alert(1)"
PAYLOADS = (SCRIPT, IMAGE, LINK)
RAW_MARKERS = ("<script>alert(1)", "<img src=x onerror", 'href="javascript:', "href='javascript:")


def quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def hostile_register() -> bytes:
    lines = sample_lines()
    for index in (1, 2, 3):
        cells = lines[index].split(";")
        cells[1], cells[2], cells[5] = (quoted(SCRIPT), quoted(IMAGE),
                                        quoted(f"{LINK} {IMAGE}"))
        lines[index] = ";".join(cells)
    return as_bytes(lines)


def hostile_survey() -> str:
    definition = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    definition["title"]["nl"] = f"Titel {SCRIPT}"
    question = definition["sections"][0]["questions"][0]
    question["text"]["nl"] = f"Vraag {IMAGE}"
    question["help"]["nl"] = LINK
    question["options"][0]["label"]["nl"] = f"Optie {SCRIPT}"
    definition["sections"][0]["title"]["nl"] = f"Deel {IMAGE}"
    return json.dumps(definition)


def plant_everywhere(client) -> dict:
    """Send the payloads through every text input a staff member or an import can fill."""
    chain = make_chain(members=20, draw_size=5)
    do_import(hostile_register(), reference_date=REFERENCE)
    response = client.post("/panels/", data={"name": f"Panel {SCRIPT}", "description": IMAGE,
                                             "target_size": "100", "strata": ["sex"]})
    assert response.status_code == 302, response.status_code
    response = client.post("/bevragingen/nieuw", data={"kind": "import",
                                                       "text": hostile_survey()})
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    panel = chain["survey"].panel_id
    template = {"subject": SCRIPT, "body": f"Beste {IMAGE}\n\n{LINK}", "closing": SCRIPT,
                "reminder_subject": SCRIPT, "reminder_body": IMAGE,
                **{f"privacy_{name}": f"{name} {SCRIPT}" for name in (
                    "controller", "dpo_contact", "purpose", "legal_basis", "data_categories",
                    "recipients", "retention", "rights", "objection", "source", "complaint")}}
    response = client.post(f"/uitnodigingen/panel/{panel}/brieftekst/nl", data=template)
    assert response.status_code in (200, 302), response.status_code
    response = client.post(f"/privacy/studies/{chain['study'].id}", data={
        **STUDY, "name": f"Studie {SCRIPT}", "purpose": IMAGE, "decision_date": "2026-01-12",
        "unselected_retention_days": "90", "contact_retention_days": "90"})
    assert response.status_code == 302
    rights.open_request("access", REFERENCE, note=SCRIPT)
    db.session.commit()
    return chain


def pages(chain) -> list[str]:
    survey = db.session.scalar(sa.select(Survey).order_by(Survey.id.desc()).limit(1))
    panel = db.session.scalar(sa.select(Panel).order_by(Panel.id.desc()).limit(1))
    old_panel = chain["survey"].panel_id
    return ["/panels/", f"/panels/{panel.id}", "/bevragingen/", f"/bevragingen/{survey.id}",
            f"/bevragingen/{survey.id}/voorbeeld", f"/bevragingen/{survey.id}/vertalingen",
            f"/uitnodigingen/panel/{old_panel}/brieftekst/nl", f"/uitnodigingen/panel/"
            f"{old_panel}/leden", "/register/", "/register/2", "/privacy/",
            f"/privacy/studies/{chain['study'].id}", "/privacy/verzoeken", "/privacy/verzoeken/1",
            "/privacy/verklaring", "/trekkingen/", f"/resultaten/bevraging/{survey.id}",
            "/beheer/audit", "/dashboard"]


def test_stored_xss_is_escaped_on_every_admin_page(app, client, login_as):
    login_as("admin")
    chain = plant_everywhere(client)
    escaped_somewhere = False
    problems = []
    for url in pages(chain):
        response = client.get(url)
        html = response.get_data(as_text=True)
        if response.status_code >= 500:
            problems.append(f"{url}: {response.status_code}")
        problems += [f"{url}: {marker}" for marker in RAW_MARKERS if marker in html]
        escaped_somewhere |= "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert problems == []
    assert escaped_somewhere


def test_register_names_are_escaped_in_the_dsr_search(app, client, login_as):
    login_as("researcher")
    do_import(hostile_register(), reference_date=REFERENCE)
    record = rights.open_request("access", REFERENCE)
    db.session.commit()
    response = client.post(f"/privacy/verzoeken/{record.id}/zoeken",
                           data={"last_name": "script"})
    html = response.get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not any(marker in html for marker in RAW_MARKERS)


def test_exports_carry_payloads_as_inert_text(app, client, login_as):
    login_as("researcher")
    chain = plant_everywhere(client)
    data = client.get(f"/trekkingen/{chain['draw'].id}/selectie.csv").get_data(as_text=True)
    for line in data.splitlines()[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in line.split(";"))


SQL = ("' OR 1=1 --", "1; DROP TABLE residents", "\" OR \"\"=\"", "%' OR '1'='1",
       "1) UNION SELECT person_key FROM residents --")


@pytest.mark.parametrize("payload", SQL)
def test_sql_injection_strings_change_and_leak_nothing(app, client, login_as, payload):
    chain = make_chain(members=20, draw_size=5)
    login_as("admin")
    before = row_counts()
    keys = list(db.session.scalars(sa.select(Resident.person_key).limit(5)))
    record = rights.open_request("access", REFERENCE)
    db.session.commit()
    panel, survey = chain["survey"].panel_id, chain["survey"].id
    responses = [
        client.post(f"/privacy/verzoeken/{record.id}/zoeken", data={"last_name": payload}),
        client.post(f"/privacy/verzoeken/{record.id}/zoeken", data={
            "last_name": "Van", "street": payload, "house_number": payload[:20],
            "postcode": payload[:4]}),
        client.post(f"/privacy/verzoeken/{record.id}/zoeken", data={"code": payload[:40]}),
        client.post(f"/privacy/verzoeken/{record.id}/koppelen", data={"resident_id": payload}),
        client.get(f"/uitnodigingen/panel/{panel}/leden", query_string={
            "status": payload, "stratum": payload, "contact_preference": payload}),
        client.get(f"/bevragingen/{survey}/voorbeeld", query_string={"taal": payload,
                                                                     "deel": payload}),
        client.get(f"/bevragingen/{survey}/definitie.json", query_string={"versie": payload}),
        client.get("/beheer/audit", query_string={"actie": payload, "q": payload}),
        client.post("/antwoorden/", data={"code": payload}),
        client.post("/doe-mee/", data={"code": payload}),
        client.post("/auth/login", data={"email": payload, "password": payload}),
    ]
    for response in responses:
        html = response.get_data(as_text=True)
        assert response.status_code < 500, html[:300]
        assert not any(key in html for key in keys)
    search = responses[0].get_data(as_text=True)
    assert "Gevonden personen (0)" in search
    after = row_counts()
    changed = {name for name in after if after[name] != before[name]}
    assert changed <= {"audit_events", "data_subject_requests"}
    assert after["residents"] == before["residents"] == 300


def test_upload_limits_and_types(app, client, login_as):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    login_as("researcher")
    big = io.BytesIO(b"x" * (128 * 1024))
    response = client.post("/register/", data={"file": (big, "groot.csv"),
                                               "reference_date": "2026-01-01",
                                               "legal_basis": "Collegebesluit 2026/045"},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    pdf = io.BytesIO(b"%PDF-1.7\n" + b"0" * 100)
    response = client.post("/register/", data={"file": (pdf, "register.csv"),
                                               "reference_date": "2026-01-01",
                                               "legal_basis": "Collegebesluit 2026/045",
                                               "max_error_share": "5", "minimum_age": "16"},
                           content_type="multipart/form-data")
    assert response.status_code in (302, 422)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Resident)) == 0
    response = client.post("/bevragingen/nieuw", data={"kind": "import", "text": "{not json"})
    assert response.status_code == 422
    response = client.post("/bevragingen/nieuw", data={
        "kind": "import", "file": (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 50), "x.json")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    huge = json.dumps({"title": {"nl": "x" * (100 * 1024)}})
    assert client.post("/bevragingen/nieuw", data={"kind": "import",
                                                   "text": huge}).status_code == 413
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Survey)) == 0
