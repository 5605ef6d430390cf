"""A re-import that would take a large share of the frame out asks first and writes nothing."""

import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, Job, RegisterImport, Resident
from tests.web.register.test_register_import import (
    LEGAL,
    REFERENCE,
    SAMPLE,
    as_bytes,
    do_import,
    sample_lines,
)
from tests.web.register.test_register_steps import upload


def _in_frame() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Resident)
                             .where(Resident.in_frame))


def _partial_export(rows: int) -> bytes:
    lines = sample_lines()
    return as_bytes([lines[0], *lines[1:rows + 1]])


def _actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_partial_export_is_held_until_confirmed(app):
    do_import(SAMPLE.read_bytes())
    held = do_import(_partial_export(200))  # 100 of 300 (33 %) would leave the register
    assert held.status == "preview" and held.left_count == 100
    assert "100 van de 300 huidige inwoners" in held.message and "Er werd niets" in held.message
    assert _in_frame() == 300 and "register_departures_held" in _actions()
    confirmed = do_import(_partial_export(200), confirm_departures=True)
    assert confirmed.status == "committed" and _in_frame() == 200
    assert "register_departures_confirmed" in _actions()


def test_a_re_import_within_the_share_goes_ahead(app):
    do_import(SAMPLE.read_bytes())
    record = do_import(_partial_export(250))  # 50 of 300 (17 %) leave: below 20 %
    assert record.status == "committed" and _in_frame() == 250


def test_the_share_is_a_setting(app):
    app.config["REGISTER_MAX_LEFT_SHARE"] = 0.1
    do_import(SAMPLE.read_bytes())
    assert do_import(_partial_export(250)).status == "preview"
    assert _in_frame() == 300


def test_the_page_asks_and_the_commit_needs_the_explicit_confirmation(app, client, login_as):
    do_import(SAMPLE.read_bytes())
    login_as("researcher")
    upload(client, _partial_export(100))
    record = db.session.scalars(sa.select(RegisterImport).order_by(RegisterImport.id.desc())
                                ).first()
    page = client.get(f"/register/{record.id}").get_data(as_text=True)
    assert "Klopt dit bestand wel?" in page and "200 van de 300 huidige inwoners" in page
    assert 'name="confirm_departures"' in page
    jobs_before = db.session.scalar(sa.select(sa.func.count()).select_from(Job))
    refused = client.post(f"/register/{record.id}/inlezen", follow_redirects=True)
    assert "Bevestig eerst" in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == jobs_before
    assert _in_frame() == 300
    client.post(f"/register/{record.id}/inlezen", data={"confirm_departures": "y"})
    db.session.refresh(record)
    assert record.status == "committed" and _in_frame() == 100
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "register_departures_confirmed"))
    assert event.details == {"left": 200, "current": 300}


def test_the_cli_holds_and_exits_non_zero(app, runner, tmp_path):
    do_import(SAMPLE.read_bytes())
    path = tmp_path / "deel.csv"
    path.write_bytes(_partial_export(100))
    args = ["register", "import", str(path), "--reference-date", str(REFERENCE),
            "--legal-basis", LEGAL]
    held = runner.invoke(args=args)
    assert held.exit_code == 1 and "huidige inwoners" in held.output
    assert _in_frame() == 300
    assert runner.invoke(args=[*args, "--confirm-departures"]).exit_code == 0
    assert _in_frame() == 100


def test_the_check_report_lists_the_clerk_warnings_per_row(app, client, login_as):
    lines = sample_lines()
    header = lines[0].split(";")
    sex, born, postcode = (header.index(name) for name in ("geslacht", "geboortedatum",
                                                              "postcode"))
    rows = [line.split(";") for line in lines[1:301]]
    rows[0][sex] = "X"                                        # line 2
    rows[1][sex] = "V" if rows[1][sex] == "M" else "M"        # line 3: against the number
    rows[2][born] = "01/01/1901"                              # line 4: against the number
    rows[3][postcode] = "9000"                                # line 5: not the city's
    login_as("researcher")
    upload(client, as_bytes([lines[0], *[";".join(row) for row in rows]]))
    record = db.session.scalars(sa.select(RegisterImport)).one()
    assert record.error_rows == 0 and record.warning_count == 4
    warned = {(p["line"], p["column"]) for p in record.problems if p["severity"] == "warning"}
    assert warned == {(2, "sex"), (3, "sex"), (4, "birth_date"), (5, "postcode")}
    page = client.get(f"/register/{record.id}").get_data(as_text=True)
    assert "Geslacht is X of leeg" in page and "past niet bij het rijksregisternummer" in page
    assert "Postcode hoort niet bij de gemeente" in page
