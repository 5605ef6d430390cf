"""From responses to weights, reports, publication and the councillor's dashboard."""

import io
import re

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.extensions import db
from app.models import AuditEvent, Report, WeightSet
from tests.conftest import login
from tests.web.register.test_register_import import SAMPLE, do_import
from tests.web.survey_factory import build_survey_with_responses


@pytest.fixture
def survey(app):
    do_import(SAMPLE.read_bytes())
    return build_survey_with_responses(150)


def weigh(client, survey_id, **data):
    form = {"method": "rake", "variables": ["age_band", "sex"], **data}
    return client.post(f"/resultaten/bevraging/{survey_id}/wegen", data=form)


def test_researcher_weighs_and_sees_diagnostics(survey, client, login_as):
    login_as("researcher")
    response = weigh(client, survey.id)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Design-effect" in page and "Effectieve steekproefgrootte" in page
    weight_set = db.session.scalar(sa.select(WeightSet))
    assert weight_set.diagnostics["n"] > 100
    assert len(weight_set.weights) == weight_set.diagnostics["n"]


def test_weight_set_page_shows_the_weighting_efficiency(survey, client, login_as):
    login_as("researcher")
    page = client.get(weigh(client, survey.id).headers["Location"]).get_data(as_text=True)
    diagnostics = db.session.scalar(sa.select(WeightSet)).diagnostics
    # Kish: efficiency = 100 / design effect, both stored with the weight set.
    assert diagnostics["weighting_efficiency"] == pytest.approx(
        100 / diagnostics["design_effect"])
    shown = f"{diagnostics['weighting_efficiency']:.0f} %"
    assert "Wegingsefficiëntie" in page and shown in page


def test_weighting_with_empty_cells_is_a_clear_error(app, client, login_as):
    do_import(SAMPLE.read_bytes())
    small = build_survey_with_responses(12)
    login_as("researcher")
    response = weigh(client, small.id, variables=["age_band", "sex"], method="poststratify")
    assert response.status_code == 422  # about 10 respondents cannot fill 14 cells
    page = response.get_data(as_text=True)
    assert "error-summary" in page and "cel" in page.lower()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WeightSet)) == 0


def test_report_pdf_publication_and_councillor_access(survey, client, make_user):
    researcher, councillor = make_user("researcher"), make_user("councillor")
    login(client, researcher)
    weigh(client, survey.id)
    response = client.post(f"/resultaten/bevraging/{survey.id}/rapport", data={"kind": "pdf"})
    report = db.session.scalar(sa.select(Report))
    assert response.headers["Location"].endswith(f"/rapport/{report.id}")
    assert report.content is not None, "the inline job renders the report"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(report.content)).pages)
    assert "buurt" in text.lower()
    page = client.get(f"/resultaten/rapport/{report.id}").get_data(as_text=True)
    assert "<svg" in page and "Publiceren" in page
    # bar labels and values are HTML text (readable on a phone), the bars themselves SVG
    assert re.search(r'<span class="bar-value">\d+,\d\u00a0%</span>', page)
    client.post("/auth/logout")
    login(client, councillor)
    assert client.get(f"/resultaten/rapport/{report.id}").status_code == 404  # not published
    assert report.title not in client.get("/resultaten/").get_data(as_text=True)
    client.post("/auth/logout")
    login(client, researcher)
    client.post(f"/resultaten/rapport/{report.id}/publiceren")
    client.post("/auth/logout")
    login(client, councillor)
    assert report.title in client.get("/resultaten/").get_data(as_text=True)
    download = client.get(f"/resultaten/rapport/{report.id}/download")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "report_downloaded"))


def test_microdata_exports_never_reach_councillors(survey, client, make_user):
    researcher, councillor = make_user("researcher"), make_user("councillor")
    login(client, researcher)
    client.post(f"/resultaten/bevraging/{survey.id}/rapport", data={"kind": "xlsx"})
    report = db.session.scalar(sa.select(Report))
    assert report.content.startswith(b"PK")
    client.post(f"/resultaten/rapport/{report.id}/publiceren")
    db.session.refresh(report)
    assert report.published_at is None  # microdata cannot be published
    client.post("/auth/logout")
    login(client, councillor)
    assert client.get(f"/resultaten/rapport/{report.id}/download").status_code == 404


def test_data_entry_staff_see_no_results(survey, client, login_as):
    login_as("data_entry")
    assert client.get("/resultaten/").status_code == 403


def test_trend_across_two_waves_of_a_panel(app, client, login_as):
    from app.models import Panel, Survey
    from app.results.trends import trends

    do_import(SAMPLE.read_bytes())
    first = build_survey_with_responses(150, seed=1)
    second = build_survey_with_responses(150, seed=2, panel=db.session.get(Panel, first.panel_id),
                                         title="Leven in Zennegem 2027")
    series = trends(db.session.get(Survey, second.id), min_cell=10)
    assert "Q2" in series  # a Likert question present in both waves
    assert [wave for wave, *_ in series["Q2"]] == ["Leven in Zennegem 2026",
                                                   "Leven in Zennegem 2027"]
    for _wave, estimate, low, high, n in series["Q2"]:
        assert 0 <= low <= estimate <= high <= 1 and n > 100
    login_as("researcher")
    client.post(f"/resultaten/bevraging/{second.id}/rapport", data={"kind": "pdf"})
    report = db.session.scalar(sa.select(Report))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(report.content)).pages)
    assert "Vergelijking met eerdere metingen" in text
    page = client.get(f"/resultaten/rapport/{report.id}").get_data(as_text=True)
    assert "Verloop over de metingen" in page


def test_editable_powerpoint_report_for_councillors(survey, client, make_user):
    from pptx import Presentation

    researcher, councillor = make_user("researcher"), make_user("councillor")
    login(client, researcher)
    weigh(client, survey.id)
    form = client.get(f"/resultaten/bevraging/{survey.id}").get_data(as_text=True)
    assert 'value="pptx"' in form and "Presentatie (PowerPoint, bewerkbaar)" in form
    client.post(f"/resultaten/bevraging/{survey.id}/rapport", data={"kind": "pptx"})
    report = db.session.scalar(sa.select(Report))
    assert report.kind == "pptx" and report.content is not None
    download = client.get(f"/resultaten/rapport/{report.id}/download")
    assert download.status_code == 200
    assert download.mimetype == ("application/vnd.openxmlformats-officedocument."
                                 "presentationml.presentation")
    assert f"rapport-{report.id}-pptx.pptx" in download.headers["Content-Disposition"]
    deck = Presentation(io.BytesIO(download.data))
    assert deck.slides[0].shapes.title.text_frame.text == report.title
    assert any(shape.has_chart for slide in deck.slides for shape in slide.shapes)
    client.post("/auth/logout")
    login(client, councillor)
    assert client.get(f"/resultaten/rapport/{report.id}/download").status_code == 404
    client.post("/auth/logout")
    login(client, researcher)
    client.post(f"/resultaten/rapport/{report.id}/publiceren")
    client.post("/auth/logout")
    login(client, councillor)
    listing = client.get("/resultaten/").get_data(as_text=True)
    assert report.title in listing and "Presentatie (PowerPoint, bewerkbaar)" in listing
    download = client.get(f"/resultaten/rapport/{report.id}/download")
    assert download.status_code == 200
    assert Presentation(io.BytesIO(download.data)).slides[0].shapes.title.text == report.title
