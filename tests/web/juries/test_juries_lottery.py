"""Juries through the app: both phases, replacements, verify, roles, CSRF, retention."""
# ruff: noqa: F811  (pytest fixtures imported from tests.web.juries.jury_helpers)

import io
import re
from datetime import timedelta

import pdfplumber
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.juries import ceremony, services
from app.juries import lottery as engine
from app.models import AuditEvent, Jury, JuryCandidate, JuryLottery
from tests.conftest import PASSWORD
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
    assert public.get(f"/loting/{record.id}/pool.txt").status_code == 404
    assert public.get(f"/juries/loting/{record.id}/pool.txt").status_code in (302, 401, 403)
    pool_file = client.get(f"/juries/loting/{record.id}/pool.txt").data  # for the witnesses
    assert engine.sha256(pool_file) == record.pool_hash
    assert "jury_pool_exported" in actions()
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
    assert "Bijlage: selectiekans per kandidaat" in text
    first = record.probabilities[0]
    assert f"{first[0]} {first[1]:.6f} {first[2]:.6f}" in text
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
    assert client.post(f"/juries/{jury.id}/quota", data=quota_data(jury)).status_code == 403
    assert client.post(f"/juries/{jury.id}/loting", data={"size": 10}).status_code == 403
    assert client.post("/juries/nieuw", data={"name": "x", "panel_size": 3}).status_code == 403
    assert db.session.get(Jury, jury.id).quotas == [] and not jury.lotteries


class TestCsrf:
    @pytest.fixture
    def app_config(self):
        from tests.web.juries.jury_helpers import LETTERS

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


def test_the_public_page_shows_no_features_per_candidate_and_no_small_counts(
        client, register_loaded):
    jury = drawn_jury(register_loaded)
    record = jury.lotteries[0]
    pool = engine.read_pool(engine.unpack(record.pool_snapshot))
    page = client.get(f"/loting/{record.id}").get_data(as_text=True)
    probabilities = page[page.index('id="probabilities"'):]
    probabilities = probabilities[:probabilities.index("</table>")]
    assert probabilities.count('<th scope="col"') == 3  # pseudonym and the two chances
    assert "Opleiding" not in probabilities and "vrouw" not in probabilities
    composition = page[page.index('id="composition"'):]
    composition = composition[:composition.index("</table>")]
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td>(.*?)</tr>", composition)
    assert len(rows) == len(record.quotas)
    chosen = pool.loc[record.chosen]
    hidden = {}
    for quota, (_feature, _value, cells) in zip(record.quotas, rows, strict=True):
        numbers = re.findall(r'<td class="num">([^<]*)</td>', cells)
        in_pool = int((pool[quota["feature"]] == quota["value"]).sum())
        if in_pool < 10:
            assert numbers[2] == "minder dan 10"
        if numbers[2] == "minder dan 10":
            hidden[quota["feature"]] = hidden.get(quota["feature"], 0) + 1
        else:
            assert numbers[2] == str(in_pool)
        assert int(numbers[3]) == int((chosen[quota["feature"]] == quota["value"]).sum())
    assert hidden and 1 not in hidden.values()  # no hidden count follows from the pool size
