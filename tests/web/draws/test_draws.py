"""Draws through the app: stored, reproducible on any database, verifiable, with exclusions."""

import io
from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.draws import services
from app.draws.frame import Exclusions
from app.extensions import db
from app.models import AuditEvent, Draw, Resident, Selection, Suppression
from sampling import register as parser
from sampling.allocation import allocate
from sampling.draw import stratified_sample
from sampling.strata import stratum_sizes
from tests.web.register.test_register_import import LEGAL, SAMPLE, do_import

STRATA = ["age_band", "sex"]
NO_EXCLUSIONS = Exclusions(minimum_age=18, invited_within_months=None)

MINOR_BANDS = ("<16", "16-17")  # the register was imported with minimum age 16


@pytest.fixture
def frame_loaded(app):
    do_import(SAMPLE.read_bytes())


def selected_keys(draw: Draw) -> list[str]:
    return list(db.session.scalars(
        sa.select(Resident.person_key).join(Selection, Selection.resident_id == Resident.id)
        .where(Selection.draw_id == draw.id, Selection.is_reserve.is_(False))
        .order_by(Resident.person_key)))


def run(n=30, seed=42, rules=NO_EXCLUSIONS, **options) -> Draw:
    draw = services.run_draw(purpose="recruitment", strata=STRATA, n=n, method="proportional",
                             seed=seed, rules=rules, **options)
    db.session.commit()
    return draw


def test_draw_is_stored_with_parameters_and_audited(frame_loaded):
    draw = run()
    assert draw.sample_size == 30
    assert len(selected_keys(draw)) == 30
    assert sum(row["selected"] for row in draw.stratum_table) == 30
    assert draw.frame_hash and draw.seed == 42 and draw.legal_basis == LEGAL
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "draw"))
    assert event.details["seed"] == 42


def test_database_draw_equals_the_pure_library_draw(frame_loaded, app):
    """The same frame, parameters and seed select the same people on every database."""
    parsed = parser.read_register(SAMPLE.read_bytes(), reference_date=date(2026, 1, 1))
    frame = parsed.frame.assign(person_key=parser.person_keys(
        parsed.frame["national_number"], app.config["PERSON_KEY_SECRET"].encode()))
    today = pd.Timestamp(date(2026, 1, 1))  # the register's reference date
    adults = frame[frame["birth_date"] <= today - pd.DateOffset(years=18)].reset_index(drop=True)
    seats = allocate(stratum_sizes(adults, STRATA), 30, "proportional", seed=42)
    population = stratum_sizes(frame, STRATA).to_dict()
    expected = stratified_sample(adults, STRATA, seats, seed=42, population=population)
    expected_keys = sorted(expected.selection.loc[~expected.selection["is_reserve"],
                                                  "person_key"])
    assert selected_keys(run()) == expected_keys


def test_same_seed_same_people_other_seed_other_people(frame_loaded):
    first, second, third = run(seed=7), run(seed=7), run(seed=8)
    assert selected_keys(first) == selected_keys(second)
    assert selected_keys(first) != selected_keys(third)


def test_verify_confirms_and_detects_tampering(frame_loaded, runner):
    draw = run(reserve=0.5)
    result = runner.invoke(args=["draws", "verify", str(draw.id)])
    assert result.exit_code == 0, result.output
    assert "BEVESTIGD" in result.output and "ongewijzigd" in result.output
    selection = db.session.scalars(sa.select(Selection).where(Selection.draw_id == draw.id)
                                   .order_by(Selection.id)).first()
    other = db.session.scalar(sa.select(Resident.id).where(
        Resident.id.not_in(sa.select(Selection.resident_id))).limit(1))
    selection.resident_id = other
    db.session.commit()
    result = runner.invoke(args=["draws", "verify", str(draw.id)])
    assert result.exit_code == 1
    assert "NIET BEVESTIGD" in result.output


def test_verify_reports_a_changed_frame(frame_loaded, runner):
    draw = run()
    lines = SAMPLE.read_bytes().decode("utf-8-sig").split("\r\n")
    do_import("\r\n".join([lines[0], *lines[2:]]).encode(), reference_date=date(2026, 2, 1))
    result = runner.invoke(args=["draws", "verify", str(draw.id)])
    assert result.exit_code == 0  # the stored snapshot still replays identically
    assert "gewijzigd sinds de trekking" in result.output


def test_exclusions_are_applied_and_counted(frame_loaded):
    residents = db.session.scalars(sa.select(Resident).where(Resident.age_band.not_in(MINOR_BANDS))
                                   .order_by(Resident.id)).all()
    objector, institution = residents[0], residents[1]
    db.session.add(Suppression(person_key=objector.person_key, reason="bezwaar"))
    db.session.commit()
    address = f"{institution.street} {institution.house_number}, {institution.postcode}"
    from app.draws.frame import parse_institution_addresses

    rules = Exclusions(minimum_age=18, invited_within_months=None,
                       institution_addresses=parse_institution_addresses(address))
    eligible_count = services.prepare(STRATA, rules)[1].sum()
    draw = run(n=int(eligible_count), rules=rules)
    keys = selected_keys(draw)
    assert objector.person_key not in keys
    assert institution.person_key not in keys
    assert draw.exclusions["bezwaar (niet meer contacteren)"] == 1
    assert draw.exclusions["adres van een instelling"] >= 1
    minors = db.session.scalars(sa.select(Resident.person_key)
                                .where(Resident.age_band.in_(MINOR_BANDS)))
    assert not set(minors) & set(keys)


def test_too_large_a_sample_is_a_clear_error(frame_loaded, client, login_as):
    login_as("researcher")
    response = client.post("/trekkingen/nieuw", data={
        "purpose": "recruitment", "panel_id": "0", "strata": STRATA, "method": "proportional",
        "sample_size": "100000", "response_rate": "15", "minimum": "0", "reserve_percent": "0",
        "minimum_age": "18", "submit": "1"})
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Draw)) == 0


def test_web_preview_then_run_then_downloads(frame_loaded, client, login_as):
    login_as("researcher")
    data = {"purpose": "recruitment", "panel_id": "0", "strata": STRATA,
            "method": "proportional", "sample_size": "25", "response_rate": "15",
            "minimum": "0", "reserve_percent": "20", "minimum_age": "18", "seed": "2026"}
    preview = client.post("/trekkingen/nieuw", data={**data, "preview": "1"})
    assert preview.status_code == 200
    assert "Te trekken" in preview.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Draw)) == 0
    response = client.post("/trekkingen/nieuw", data={**data, "submit": "1"})
    assert response.status_code == 302
    draw = db.session.scalar(sa.select(Draw))
    assert draw.seed == 2026
    pdf = client.get(f"/trekkingen/{draw.id}/protocol.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "2026" in text and draw.frame_hash[:16] in text.replace("\n", "")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(client.get(f"/trekkingen/{draw.id}/selectie.xlsx").data))
    rows = list(sheet.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Volgnummer", "Reserve", "Stratum")
    assert sum(1 for row in rows[1:] if row[1] == "nee") == 25
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"draw", "draw_protocol_downloaded", "draw_selection_exported"} <= actions
    verify = client.post(f"/trekkingen/{draw.id}/verifieren")
    assert "Bevestigd" in verify.get_data(as_text=True)


def test_the_stored_snapshot_is_exactly_what_the_frame_hash_covers(frame_loaded):
    import gzip
    import hashlib

    draw = run()
    text = gzip.decompress(draw.frame_snapshot)
    assert hashlib.sha256(text).hexdigest() == draw.frame_hash
    assert text.startswith(b"person_key\tage_band\tsex\n")
    assert text.count(b"\n") == 1 + sum(row["eligible"] for row in draw.stratum_table)
