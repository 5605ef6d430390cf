"""Studies: every import and draw belongs to one; letters, the notice and the DPIA print it."""

import io
from datetime import date

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.draws import services as draw_services
from app.draws.frame import Exclusions
from app.extensions import db
from app.invitations import services as invitation_services
from app.invitations.texts import default_values
from app.models import AuditEvent, Draw, RegisterImport, Study
from app.privacy import studies
from tests.web.register.test_register_import import SAMPLE, do_import
from tests.web.survey_factory import build_survey_with_responses

STUDY = dict(name="Stadspanel 2026", decision_body="College van burgemeester en schepenen",
             decision_date=date(2026, 1, 12), decision_reference="CBS/2026/045",
             purpose="Een inwonerspanel samenstellen om het beleid te bevragen.",
             legal_basis="Taak van algemeen belang (artikel 6.1.e AVG)",
             controller="Stad Zennegem, Markt 1, 1500 Zennegem",
             dpo_contact="dpo@zennegem.be, 02 123 45 67")


def make_study(**overrides) -> Study:
    study = studies.save_study(studies.StudyValues(**{**STUDY, **overrides}))
    db.session.commit()
    return study


def make_chain(members: int = 60, draw_size: int = 20) -> dict:
    """A study, a register import, a survey with answers and a recruitment draw with letters."""
    study = make_study()
    record = do_import(SAMPLE.read_bytes())
    survey = build_survey_with_responses(members)
    draw = draw_services.run_draw(purpose="recruitment", strata=["sex"], n=draw_size,
                                  method="proportional", seed=7, panel=survey_panel(survey),
                                  rules=Exclusions(invited_within_months=None))
    batch = invitation_services.create_batch(draw, deadline=date(2026, 12, 31),
                                             include_reserves=False, envelope_profile="DL_LEFT",
                                             user_id=None)
    db.session.commit()
    return {"study": study, "import": record, "survey": survey, "draw": draw, "batch": batch}


def survey_panel(survey):
    from app.models import Panel

    return db.session.get(Panel, survey.panel_id)


def test_imports_and_draws_belong_to_the_latest_study_by_default(app):
    older = make_study(name="Oud", decision_reference="CBS/2025/001")
    chain = make_chain()
    assert older.id != chain["study"].id
    assert chain["import"].study_id == chain["study"].id
    assert chain["draw"].study_id == chain["study"].id


def test_without_a_study_the_old_code_paths_still_work(app):
    record = do_import(SAMPLE.read_bytes())
    assert record.status == "committed" and record.study_id is None


def test_study_form_requires_every_art14_field(app, client, login_as):
    login_as("researcher")
    data = {**STUDY, "decision_date": "2026-01-12", "unselected_retention_days": 30,
            "contact_retention_days": 60}
    response = client.post("/privacy/studies/nieuw", data={**data, "dpo_contact": ""})
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Study)) == 0
    response = client.post("/privacy/studies/nieuw", data=data)
    assert response.status_code == 302
    study = db.session.scalar(sa.select(Study))
    assert (study.decision_reference, study.unselected_retention_days) == ("CBS/2026/045", 30)
    assert db.session.scalar(sa.select(AuditEvent.action).where(
        AuditEvent.object_type == "Study")) == "study_created"


def test_upload_and_draw_forms_offer_the_study_and_store_the_choice(app, client, login_as):
    make_study(name="Eerste", decision_reference="A/1")
    chosen = make_study(name="Tweede", decision_reference="B/2")
    login_as("researcher")
    page = client.get("/register/").get_data(as_text=True)
    assert "B/2" in page and f'<option selected value="{chosen.id}">' in page
    response = client.post("/register/", data={
        "file": (io.BytesIO(SAMPLE.read_bytes()), "export.csv"), "reference_date": "2026-01-01",
        "legal_basis": "Collegebesluit 2026/045", "study_id": str(chosen.id - 1),
        "max_error_share": "5", "minimum_age": "16"}, content_type="multipart/form-data")
    assert response.status_code == 302
    assert db.session.scalar(sa.select(RegisterImport.study_id)) == chosen.id - 1
    assert "B/2" in client.get("/trekkingen/nieuw").get_data(as_text=True)


def test_letters_notice_and_e_mails_use_the_study(app, client):
    study = make_study()
    privacy = default_values()["privacy"]
    assert privacy["controller"] == study.controller
    assert privacy["dpo_contact"] == study.dpo_contact
    assert "CBS/2026/045" in privacy["legal_basis"] and privacy["purpose"] == study.purpose
    page = client.get("/privacy/verklaring").get_data(as_text=True)
    assert "dpo@zennegem.be" in page and "CBS/2026/045" in page
    assert "Gegevensbeschermingsautoriteit" in page


def test_public_notice_is_404_until_a_study_exists(app, client):
    assert client.get("/privacy/verklaring").status_code == 404


def test_dpia_annex_reflects_the_real_settings_and_data(app, client, login_as, runner):
    chain = make_chain()
    login_as("researcher")
    text = client.get("/privacy/dpia.md").get_data(as_text=True)
    assert "CBS/2026/045" in text and "dpo@zennegem.be" in text
    assert "Inwoners in het kader: 300" in text
    assert f"{chain['study'].unselected_retention_days} dagen na de import" in text
    assert "Doorgifte buiten de EER: geen" in text
    pdf = client.get("/privacy/dpia.pdf")
    assert pdf.mimetype == "application/pdf"
    pages = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "CBS/2026/045" in pages
    result = runner.invoke(args=["privacy", "dpia"])
    assert result.exit_code == 0 and "# DPIA-bijlage" in result.output


@pytest.mark.parametrize("missing", ["name", "controller", "dpo_contact", "purpose"])
def test_service_refuses_a_study_without_required_fields(app, missing):
    with pytest.raises(studies.StudyError):
        studies.save_study(studies.StudyValues(**{**STUDY, missing: "  "}))


def test_draw_form_study_is_stored(app, client, login_as):
    study = make_study()
    do_import(SAMPLE.read_bytes())
    login_as("researcher")
    response = client.post("/trekkingen/nieuw", data={
        "purpose": "survey_sample", "study_id": str(study.id), "panel_id": "0",
        "strata": ["sex"], "method": "proportional", "sample_size": "10",
        "response_rate": "15", "minimum": "0", "reserve_percent": "0", "minimum_age": "16",
        "invited_within_months": "", "seed": "5", "submit": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert db.session.scalar(sa.select(Draw.study_id)) == study.id
