"""Juries through the app: the pool (invitations, candidacy, list, panel) and quotas."""
# ruff: noqa: F811  (pytest fixtures imported from tests.web.juries.jury_helpers)

import io
import re
from datetime import date, timedelta

import openpyxl
import pdfplumber
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.invitations import keys
from app.juries import candidacy, services
from app.models import Draw, Invitation, Jury
from tests.web.juries.jury_helpers import (  # noqa: F401  (fixtures)
    actions,
    app_config,
    drawn_jury,
    fill_pool,
    make_jury,
    quota_data,
    register_loaded,
    simple_quotas,
)

NUMBERS = ["55110266027", "82080968745", "83092655880"]  # the last two share a household


# --- pool -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "message"), [
    ("Opleiding Lager, Hoger", "schrijf 'Kenmerk: waarde, waarde'"),
    ("Opleiding: Lager", "minstens twee waarden"),
    ("Wijk: Noord, Zuid", "komt uit het register"),
    ("Opleiding: A, B\nopleiding: C, D", "staat er al"),
    ("Opleiding: Lager, Lager", "twee keer"),
])
def test_self_reported_features_are_validated_in_dutch(app, text, message):
    with pytest.raises(services.JuryError, match=message):
        services.parse_self_features(text)


def test_new_jury_form_creates_and_refuses_bad_features(client, login_as, register_loaded):
    login_as("researcher")
    bad = client.post("/juries/nieuw", data={"name": "Jury", "panel_size": 9,
                                             "self_features": "Opleiding: Hoger"})
    assert bad.status_code == 422 and "minstens twee waarden" in bad.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Jury)) == 0
    good = client.post("/juries/nieuw", data={
        "name": "Burgerbegroting", "panel_size": 9, "study_id": register_loaded.id,
        "self_features": "Opleiding: Lager, Secundair, Hoger\nHerkomst: België, Elders"})
    assert good.status_code == 302
    jury = db.session.scalar(sa.select(Jury))
    assert [item["key"] for item in jury.self_features] == ["opleiding", "herkomst"]
    assert jury.features == ["age_band", "sex", "district", "opleiding", "herkomst"]


def test_register_features_come_from_the_register(register_loaded):
    jury = make_jury(register_loaded)
    candidate = fill_pool(jury, 1)[0]
    resident = candidate.resident
    assert candidate.features == {"age_band": resident.age_band, "sex": resident.sex,
                                  "district": resident.district, "opleiding": "Lager"}


def _csv(rows: list[str]) -> io.BytesIO:
    return io.BytesIO(("\n".join(["rijksregisternummer;opleiding;beschikbaarheid", *rows])
                       ).encode("utf-8"))


def test_upload_checks_every_row_and_adds_nothing_on_error(client, login_as, register_loaded):
    jury = make_jury(register_loaded)
    login_as("researcher")
    response = client.post(f"/juries/{jury.id}/lijst", data={"file": (_csv([
        f"{NUMBERS[0]};Hoger;", "12345678901;Lager;", f"{NUMBERS[1]};Doctoraat;",
        "85073003328;Lager;"]), "lijst.csv")}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "rij 3: geen geldig rijksregisternummer" in page
    assert "rij 4: Opleiding &#39;Doctoraat&#39; is geen van: Lager, Secundair, Hoger" in page
    assert "rij 5: niet gevonden in het bevolkingsregister" in page
    assert services.candidates(jury) == []
    ok = client.post(f"/juries/{jury.id}/lijst", data={"file": (_csv([
        f"{NUMBERS[0]};Hoger;dinsdagavond", f"{NUMBERS[1]};;"]), "lijst.csv")},
        content_type="multipart/form-data")
    assert ok.status_code == 302
    found = {c.features["opleiding"]: c.availability for c in services.candidates(jury)}
    assert found == {"Hoger": "dinsdagavond", "onbekend": ""}
    assert "jury_pool_uploaded" in actions()


def test_xlsx_upload_and_one_per_household(client, login_as, register_loaded):
    jury = make_jury(register_loaded, one_per_household=True)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Rijksregisternummer", "Opleiding"])
    for number in NUMBERS:
        sheet.append([number, "Secundair"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    login_as("researcher")
    response = client.post(f"/juries/{jury.id}/lijst", data={"file": (buffer, "lijst.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "rij 4: Iemand van hetzelfde huishouden staat al in de pool" in \
        response.get_data(as_text=True)
    assert services.candidates(jury) == []  # the whole list or nothing


def test_a_file_that_is_not_a_table_gets_a_dutch_message(client, login_as, register_loaded):
    jury = make_jury(register_loaded)
    login_as("researcher")
    response = client.post(f"/juries/{jury.id}/lijst", data={
        "file": (io.BytesIO(b"naam;adres\nJan;Markt 1"), "lijst.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert "De kolom &#39;rijksregisternummer&#39; ontbreekt." in response.get_data(as_text=True)


# --- invitations and candidacy ----------------------------------------------------------

def test_invitations_letters_and_candidacy(client, login_as, register_loaded):
    jury = make_jury(register_loaded)
    login_as("researcher")
    deadline = (date.today() + timedelta(days=30)).isoformat()
    response = client.post(f"/juries/{jury.id}/uitnodigen", data={
        "number": 12, "minimum_age": 16, "deadline": deadline, "seed": 99})
    assert response.status_code == 302
    db.session.refresh(jury)
    draw = db.session.get(Draw, jury.invitation_draw_id)
    assert draw.purpose == "jury" and draw.seed == 99
    invitation = candidacy.invitations(jury)[0]
    code, _ = keys.invitation_secrets(invitation)
    pdf = client.post(f"/juries/{jury.id}/brieven.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    with pdfplumber.open(io.BytesIO(pdf.data)) as document:
        letters = "\n".join(page.extract_text() or "" for page in document.pages)
    assert code in letters and "Burgerjury 2027" in letters and "kandidaat" in letters
    client.post("/auth/logout")
    assert client.post("/kandidaat/", data={"code": code}).status_code == 302
    form = client.get("/kandidaat/formulier").get_data(as_text=True)
    assert "artikel 14 AVG" in form and "Gemeenteraadsleden en het publiek zien alleen" in form
    refused = client.post("/kandidaat/formulier", data={"available": "y", "f_opleiding": "Hoger"})
    assert refused.status_code == 422 and services.candidates(jury) == []
    done = client.post("/kandidaat/formulier", data={
        "available": "y", "consent": "y", "f_opleiding": "Hoger", "availability": "zaterdag"})
    assert done.status_code == 302
    candidate = services.candidates(jury)[0]
    assert candidate.source == "invitation" and candidate.features["opleiding"] == "Hoger"
    assert candidate.features["sex"] == invitation.selection.resident.sex
    assert db.session.get(Invitation, invitation.id).status == "joined"
    client.post("/kandidaat/", data={"code": code})
    again = client.get("/kandidaat/formulier").get_data(as_text=True)
    assert "U staat al in de pool" in again and len(services.candidates(jury)) == 1


def test_a_jury_code_typed_on_the_join_page_leads_to_the_candidacy(client, register_loaded):
    jury = make_jury(register_loaded)
    candidacy.invite_from_register(jury, n=3, minimum_age=16, seed=5,
                                   deadline=date.today() + timedelta(days=9), user_id=None)
    db.session.commit()
    code, _ = keys.invitation_secrets(candidacy.invitations(jury)[0])
    response = client.post("/doe-mee/", data={"code": code})
    assert response.headers["Location"].endswith("/kandidaat/formulier")
    token = keys.invitation_secrets(candidacy.invitations(jury)[1])[1]
    for path in (f"/doe-mee/t/{token}", f"/kandidaat/t/{token}", f"/doe-mee/afmelden/{token}"):
        assert client.get(path).headers["Location"].endswith("/kandidaat/formulier"), path
    assert "Kandidaat voor Burgerjury 2027" in client.get("/kandidaat/formulier").get_data(
        as_text=True)


def test_unknown_code_and_expired_invitation(client, register_loaded):
    jury = make_jury(register_loaded)
    candidacy.invite_from_register(jury, n=3, minimum_age=16, seed=5,
                                   deadline=date.today() - timedelta(days=1), user_id=None)
    db.session.commit()
    unknown = client.post("/kandidaat/", data={"code": "AAAA-BBBB-CC"})
    assert unknown.status_code == 422 and "Deze code kennen we niet" in unknown.get_data(
        as_text=True)
    code, _ = keys.invitation_secrets(candidacy.invitations(jury)[0])
    client.post("/kandidaat/", data={"code": code})
    page = client.post("/kandidaat/formulier", data={"available": "y", "consent": "y"})
    assert "De termijn om u kandidaat te stellen is voorbij." in page.get_data(as_text=True)
    assert services.candidates(jury) == []


def test_helpdesk_lookup_finds_a_jury_letter(client, login_as, register_loaded):
    jury = make_jury(register_loaded)
    candidacy.invite_from_register(jury, n=3, minimum_age=16, seed=5,
                                   deadline=date.today() + timedelta(days=9), user_id=None)
    db.session.commit()
    code, _ = keys.invitation_secrets(candidacy.invitations(jury)[0])
    login_as("data_entry")
    response = client.post("/uitnodigingen/opzoeken", data={"code": code})
    assert response.status_code == 200
    assert "uitnodiging om zich kandidaat te stellen" in response.get_data(as_text=True)


def test_one_per_household_applies_to_invited_candidates(register_loaded):
    from app.models import Resident

    jury = make_jury(register_loaded, one_per_household=True)
    household = db.session.scalar(sa.select(Resident.household_id).group_by(
        Resident.household_id).having(sa.func.count() > 1).order_by(Resident.household_id))
    first, second = db.session.scalars(sa.select(Resident).where(
        Resident.household_id == household).order_by(Resident.id).limit(2)).all()
    services.add_candidate(jury, first, source="upload", answers={})
    with pytest.raises(services.JuryError, match="hetzelfde huishouden"):
        services.add_candidate(jury, second, source="invitation", answers={})
    other = make_jury(register_loaded, one_per_household=False)
    services.add_candidate(other, first, source="upload", answers={})
    services.add_candidate(other, second, source="upload", answers={})
    assert len(services.candidates(other)) == 2

# --- quotas -----------------------------------------------------------------------------

def test_infeasible_quotas_are_refused_with_the_smallest_relaxation(client, login_as,
                                                                      register_loaded):
    jury = make_jury(register_loaded)
    fill_pool(jury, 30)
    login_as("researcher")
    response = client.post(f"/juries/{jury.id}/quota", data=quota_data(
        jury, sex_F=(4, 6), sex_M=(4, 6)))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Deze quota botsen" in page and "Kleinste versoepeling (2 plaatsen in totaal)" in page
    assert re.search(r'id="relaxation"', page)
    assert db.session.get(Jury, jury.id).quotas == []
    ok = client.post(f"/juries/{jury.id}/quota", data=quota_data(jury, sex_F=(3, 3)))
    assert ok.status_code == 200 and "De quota zijn bewaard." in ok.get_data(as_text=True)
    stored = {(q["feature"], q["value"]): (q["min"], q["max"])
              for q in db.session.get(Jury, jury.id).quotas}
    assert stored[("sex", "F")] == (3, 3)


def test_quota_fields_are_validated(client, login_as, register_loaded):
    jury = make_jury(register_loaded)
    fill_pool(jury, 20)
    login_as("researcher")
    data = quota_data(jury)
    data["min_0"], data["max_1"] = "veel", 99
    response = client.post(f"/juries/{jury.id}/quota", data=data)
    assert response.status_code == 422
    assert db.session.get(Jury, jury.id).quotas == []
