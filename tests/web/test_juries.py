"""Juries through the app: pool, validation, quotas, the two phases, replacements, verify."""
# ruff: noqa: F811  (pytest fixtures imported from tests.web.jury_helpers)

import io
import re
from datetime import date, timedelta

import openpyxl
import pdfplumber
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.invitations import keys
from app.juries import candidacy, ceremony, services
from app.juries import lottery as engine
from app.models import AuditEvent, Draw, Invitation, Jury, JuryCandidate, JuryLottery
from tests.conftest import PASSWORD
from tests.web.jury_helpers import (  # noqa: F401  (fixtures)
    app_config,
    fill_pool,
    make_jury,
    register_loaded,
    simple_quotas,
)

NUMBERS = ["55110266027", "82080968745", "83092655880"]  # the last two share a household


def drawn_jury(study, *, size: int = 30, seed: int = 2027) -> Jury:
    jury = make_jury(study)
    fill_pool(jury, size)
    assert services.save_quotas(jury, simple_quotas(jury, sex_F=(3, 3), sex_M=(3, 3),
                                                    opleiding_Hoger=(2, 6))).feasible
    record = ceremony.publish(jury, size=1000, user_id=None)
    db.session.commit()
    ceremony.draw(record, seed=seed, user_id=None)
    db.session.commit()
    return jury


def actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


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


# --- quotas -----------------------------------------------------------------------------

def _quota_data(jury, **bounds) -> dict:
    rows = simple_quotas(jury, **bounds)
    data = {}
    for index, row in enumerate(rows):
        data[f"min_{index}"], data[f"max_{index}"] = row["min"], row["max"]
    return data


def test_infeasible_quotas_are_refused_with_the_smallest_relaxation(client, login_as,
                                                                      register_loaded):
    jury = make_jury(register_loaded)
    fill_pool(jury, 30)
    login_as("researcher")
    response = client.post(f"/juries/{jury.id}/quota", data=_quota_data(
        jury, sex_F=(4, 6), sex_M=(4, 6)))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Deze quota botsen" in page and "Kleinste versoepeling (2 plaatsen in totaal)" in page
    assert re.search(r'id="relaxation"', page)
    assert db.session.get(Jury, jury.id).quotas == []
    ok = client.post(f"/juries/{jury.id}/quota", data=_quota_data(jury, sex_F=(3, 3)))
    assert ok.status_code == 200 and "De quota zijn bewaard." in ok.get_data(as_text=True)
    stored = {(q["feature"], q["value"]): (q["min"], q["max"])
              for q in db.session.get(Jury, jury.id).quotas}
    assert stored[("sex", "F")] == (3, 3)


def test_quota_fields_are_validated(client, login_as, register_loaded):
    jury = make_jury(register_loaded)
    fill_pool(jury, 20)
    login_as("researcher")
    data = _quota_data(jury)
    data["min_0"], data["max_1"] = "veel", 99
    response = client.post(f"/juries/{jury.id}/quota", data=data)
    assert response.status_code == 422
    assert db.session.get(Jury, jury.id).quotas == []


# --- the ceremony ---------------------------------------------------------------------

def test_two_phases_through_the_web_and_the_public_page(client, login_as, register_loaded):
    jury = make_jury(register_loaded)
    fill_pool(jury, 30)
    services.save_quotas(jury, simple_quotas(jury, sex_F=(3, 3)))
    db.session.commit()
    login_as("researcher")
    assert client.post(f"/juries/{jury.id}/loting", data={"size": 500}).status_code == 302
    record = db.session.scalar(sa.select(JuryLottery))
    assert record.portfolio_size == 500 and record.seed is None
    public = client.application.test_client()
    page = public.get(f"/loting/{record.id}").get_data(as_text=True)
    names = {c.resident.last_name for c in services.candidates(jury)}
    assert record.pool_hash in page and record.portfolio_hash in page
    assert not any(f">{name}<" in page or f" {name} " in page for name in names)
    pool_file = public.get(f"/loting/{record.id}/pool.txt").data
    assert engine.sha256(pool_file) == record.pool_hash
    portfolio = public.get(f"/loting/{record.id}/portefeuille.txt").data
    assert engine.sha256(portfolio) == record.portfolio_hash and portfolio.count(b"\n") == 500
    bad = client.post(f"/juries/loting/{record.id}/zaad", data={"seed": "6 dobbelstenen"})
    assert bad.status_code == 422 and db.session.get(JuryLottery, record.id).seed is None
    assert client.post(f"/juries/loting/{record.id}/zaad", data={"seed": " 362514 "}
                       ).status_code == 302
    record = db.session.get(JuryLottery, record.id)
    number, panel = engine.phase_two(engine.stored_portfolio(record), 362514)
    assert record.seed == 362514 and record.chosen == sorted(panel)
    assert record.chosen_number == number
    assert sorted(c.pseudonym for c in ceremony.members(jury)) == sorted(panel)
    again = client.post(f"/juries/loting/{record.id}/zaad", data={"seed": "1"})
    assert again.status_code == 422 and db.session.get(JuryLottery, record.id).seed == 362514
    assert {"jury_lottery_published", "jury_lottery_drawn"} <= set(actions())


def test_phase_one_probabilities_before_and_after_rounding(register_loaded):
    jury = drawn_jury(register_loaded)
    record = jury.lotteries[0]
    before = sum(row[1] for row in record.probabilities)
    after = sum(row[2] for row in record.probabilities)
    assert before == pytest.approx(6, abs=1e-6) and after == pytest.approx(6, abs=1e-9)
    assert min(row[1] for row in record.probabilities) <= record.maximin_bound + 1e-9
    assert all(abs(row[1] - row[2]) <= 0.01 for row in record.probabilities)


def test_replacement_keeps_members_and_meets_the_quotas(client, login_as, register_loaded):
    jury = drawn_jury(register_loaded)
    login_as("researcher")
    leaving = ceremony.members(jury)[0]
    staying = sorted(c.pseudonym for c in ceremony.members(jury)[1:])
    response = client.post(f"/juries/{jury.id}/kandidaten/{leaving.id}/terugtrekken")
    assert response.status_code == 302
    assert client.post(f"/juries/{jury.id}/vervanging", data={"size": 1000}).status_code == 302
    record = db.session.scalar(sa.select(JuryLottery).where(JuryLottery.kind == "replacement"))
    assert record.fixed == staying and record.excluded == [leaving.pseudonym]
    assert record.seats == 1
    client.post(f"/juries/loting/{record.id}/zaad", data={"seed": "4242"})
    members = ceremony.members(jury)
    assert len(members) == 6 and leaving.pseudonym not in {m.pseudonym for m in members}
    assert set(staying) < {m.pseudonym for m in members}
    for quota in jury.quotas:
        count = sum(m.features[quota["feature"]] == quota["value"] for m in members)
        assert quota["min"] <= count <= quota["max"]
    assert all(replay.ok for _, replay in ceremony.verify(jury))


def test_quotas_are_frozen_once_the_lottery_is_published(register_loaded):
    jury = drawn_jury(register_loaded)
    with pytest.raises(services.JuryError, match="liggen vast"):
        services.save_quotas(jury, simple_quotas(jury))


# --- verify --------------------------------------------------------------------------

def test_cli_verify_confirms_both_phases_and_replacements(runner, register_loaded):
    jury = drawn_jury(register_loaded)
    services.withdraw(ceremony.members(jury)[0])
    record = ceremony.replace(jury, size=1000, user_id=None)
    ceremony.draw(record, seed=77, user_id=None)
    db.session.commit()
    result = runner.invoke(args=["juries", "verify", str(jury.id)])
    assert result.exit_code == 0, result.output
    assert result.output.count("  klopt") == 2 and "BEVESTIGD" in result.output
    assert "De pool in de databank is ongewijzigd sinds de laatste loting." in result.output
    candidate = services.candidates(jury)[0]
    candidate.features = {**candidate.features, "opleiding": "Hoger" if
                          candidate.features["opleiding"] != "Hoger" else "Lager"}
    db.session.commit()
    changed = runner.invoke(args=["juries", "verify", str(jury.id)])
    assert changed.exit_code == 0 and "is gewijzigd (" in changed.output


def _tamper_seed(record):
    record.seed = record.seed + 1


def _tamper_portfolio(record):
    lines = engine.unpack(record.portfolio_text).decode().splitlines(keepends=True)
    lines[0], lines[-1] = lines[-1], lines[0]
    record.portfolio_text = engine.pack("".join(lines).encode())


def _tamper_pool(record):
    text = engine.unpack(record.pool_snapshot).decode()
    record.pool_snapshot = engine.pack(text.replace("Hoger", "Lager", 1).encode())


def _tamper_chosen(record):
    others = [row[0] for row in record.probabilities if row[0] not in record.chosen]
    record.chosen = sorted([*record.chosen[1:], others[0]])


@pytest.mark.parametrize(("tamper", "message"), [
    (_tamper_seed, "het zaad kiest"),
    (_tamper_portfolio, "de opgeslagen portefeuille verschilt"),
    (_tamper_pool, "de hash van de opgeslagen pool klopt niet"),
    (_tamper_chosen, "andere personen dan opgeslagen"),
])
def test_cli_verify_reports_tampering(runner, register_loaded, tamper, message):
    jury = drawn_jury(register_loaded)
    tamper(jury.lotteries[0])
    db.session.commit()
    result = runner.invoke(args=["juries", "verify", str(jury.id)])
    assert result.exit_code == 1
    assert message in result.output and "NIET BEVESTIGD" in result.output


def test_a_replacement_that_fixes_someone_never_drawn_fails_verification(register_loaded):
    jury = drawn_jury(register_loaded)
    services.withdraw(ceremony.members(jury)[0])
    record = ceremony.replace(jury, size=100, user_id=None)
    outsider = next(c.pseudonym for c in services.candidates(jury, statuses=("pool",)))
    record.fixed = sorted([*record.fixed[1:], outsider])
    db.session.commit()
    problems = [replay.differences for _, replay in ceremony.verify(jury)][1]
    assert any("vast maar nooit getrokken" in problem for problem in problems)


def test_web_verify_and_protocol_pdf(client, login_as, register_loaded):
    jury = drawn_jury(register_loaded)
    login_as("researcher")
    page = client.post(f"/juries/{jury.id}/verifieren").get_data(as_text=True)
    assert "bevestigd: beide fasen" in page
    record = jury.lotteries[0]
    response = client.get(f"/juries/loting/{record.id}/protocol.pdf")
    with pdfplumber.open(io.BytesIO(response.data)) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
        assert document.metadata.get("Title", "").startswith("Protocol van de loting")
    assert "Protocol van de loting" in text and "Hoofdloting" in text
    assert str(record.seed) in text and record.pool_hash in text.replace("\n", "")
    assert "flask juries verify" in text and "Leeftijdsgroep" in text
    assert "jury_protocol_downloaded" in actions()


# --- roles and CSRF -----------------------------------------------------------------------

def test_councillor_sees_only_aggregates_and_pseudonyms(client, login_as, register_loaded):
    jury = drawn_jury(register_loaded)
    login_as("councillor")
    assert client.get("/juries/").status_code == 200
    page = client.get(f"/juries/{jury.id}/overzicht").get_data(as_text=True)
    for member in ceremony.members(jury):
        assert member.pseudonym in page
    for candidate in services.candidates(jury):
        assert candidate.resident.last_name not in page
        assert candidate.resident.first_name not in page
    assert client.get(f"/juries/{jury.id}").status_code == 403
    assert client.post(f"/juries/{jury.id}/verifieren").status_code == 403
    assert client.get(f"/juries/loting/{jury.lotteries[0].id}/protocol.pdf").status_code == 403


@pytest.mark.parametrize("role", ["data_entry", "councillor"])
def test_other_roles_cannot_change_a_jury(client, login_as, register_loaded, role):
    jury = make_jury(register_loaded)
    fill_pool(jury, 20)
    login_as(role)
    assert client.post(f"/juries/{jury.id}/quota", data=_quota_data(jury)).status_code == 403
    assert client.post(f"/juries/{jury.id}/loting", data={"size": 10}).status_code == 403
    assert client.post("/juries/nieuw", data={"name": "x", "panel_size": 3}).status_code == 403
    assert db.session.get(Jury, jury.id).quotas == [] and not jury.lotteries


class TestCsrf:
    @pytest.fixture
    def app_config(self):
        from tests.web.jury_helpers import LETTERS

        return {**LETTERS, "WTF_CSRF_ENABLED": True}

    def test_posts_without_token_change_nothing(self, client, make_user, register_loaded):
        jury = make_jury(register_loaded)
        fill_pool(jury, 20)
        services.save_quotas(jury, simple_quotas(jury))
        db.session.commit()
        user = make_user("researcher")
        page = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        client.post("/auth/login", data={"email": user.email, "password": PASSWORD,
                                         "csrf_token": token})
        assert client.post(f"/juries/{jury.id}/loting", data={"size": 10}).status_code in (
            400, 422)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(JuryLottery)) == 0
        candidate = services.candidates(jury)[0]
        client.post(f"/juries/{jury.id}/kandidaten/{candidate.id}/terugtrekken")
        assert db.session.get(JuryCandidate, candidate.id).status == "pool"


# --- retention --------------------------------------------------------------------------

def test_unselected_candidates_are_unlinked_after_the_study_retention(runner, register_loaded):
    jury = drawn_jury(register_loaded)
    from app.juries import retention

    drawn_at = jury.lotteries[0].drawn_at
    days = register_loaded.unselected_retention_days
    assert retention.plan(now=drawn_at + timedelta(days=days - 1)) == 0
    assert retention.purge(now=drawn_at + timedelta(days=days)) == 24
    db.session.commit()
    after = {c.pseudonym: c for c in services.candidates(jury)}
    kept = [c for c in after.values() if c.status == "selected"]
    gone = [c for c in after.values() if c.status != "selected"]
    assert len(kept) == 6 and all(c.resident_id is not None for c in kept)
    assert all(c.resident_id is None and c.erased_at is not None for c in gone)
    assert all(c.features["opleiding"] for c in gone)  # pseudonymous features stay
    assert all(replay.ok for _, replay in ceremony.verify(jury))
    result = runner.invoke(args=["juries", "purge", "--dry-run"])
    assert result.exit_code == 0 and "0 kandidaten" in result.output


def test_register_retention_keeps_residents_who_are_candidates(register_loaded):
    from datetime import UTC, datetime

    from app.models import Resident
    from app.privacy import retention as register_retention

    jury = make_jury(register_loaded)
    candidate = fill_pool(jury, 1)[0]
    later = datetime.now(UTC) + timedelta(days=3650)
    register_retention.run(now=later)
    db.session.commit()
    assert db.session.get(Resident, candidate.resident_id) is not None


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


def test_members_export_is_for_staff_and_audited(client, login_as, register_loaded):
    jury = drawn_jury(register_loaded)
    login_as("researcher")
    response = client.get(f"/juries/{jury.id}/leden.csv")
    text = response.data.decode("utf-8-sig")
    members = ceremony.members(jury)
    assert response.status_code == 200 and len(text.strip().splitlines()) == 1 + len(members)
    assert all(m.resident.last_name in text for m in members)
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "jury_members_exported"))
    assert event.details == {"personal_data": True}


def test_public_page_of_a_replacement_names_fixed_and_withdrawn(client, register_loaded):
    jury = drawn_jury(register_loaded)
    leaving = ceremony.members(jury)[0]
    services.withdraw(leaving)
    record = ceremony.replace(jury, size=200, user_id=None)
    db.session.commit()
    page = client.get(f"/loting/{record.id}").get_data(as_text=True)
    assert "vervangingsronde" in page and leaving.pseudonym in page
    assert page.count("vast lid") == 5 and "nog niet ingevoerd" in page


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
