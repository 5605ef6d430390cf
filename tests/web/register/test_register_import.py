"""Register import through the service, the CLI and the web UI: stored, atomic, re-importable."""

import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, Margin, Member, Panel, RegisterImport, Resident
from app.register import services, storage

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "register_sample.csv"
LEGAL = "Collegebesluit 2026/045 — samenstelling Stadspanel"
REFERENCE = date(2026, 1, 1)


def sample_lines() -> list[str]:
    return SAMPLE.read_bytes().decode("utf-8-sig").split("\r\n")


def as_bytes(lines: list[str]) -> bytes:
    return "\r\n".join(lines).encode("utf-8-sig")


def do_import(data: bytes, **options) -> RegisterImport:
    record = services.import_register_bytes(
        data, filename="export.csv", reference_date=options.pop("reference_date", REFERENCE),
        legal_basis=options.pop("legal_basis", LEGAL), **options)
    db.session.commit()
    return record


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def snapshot() -> tuple:
    return (count(Resident), count(Margin),
            db.session.scalar(sa.select(sa.func.count()).select_from(Resident)
                              .where(Resident.in_frame)),
            tuple(db.session.scalars(sa.select(Resident.street).order_by(Resident.id))))


def test_import_stores_residents_and_margins(app):
    record = do_import(SAMPLE.read_bytes())
    assert record.status == "committed"
    assert (record.total_rows, record.valid_rows, record.new_count) == (300, 300, 300)
    assert count(Resident) == 300
    assert db.session.scalar(sa.select(sa.func.sum(Margin.count))) == 300
    adults = db.session.scalar(sa.select(sa.func.sum(Margin.count))
                               .where(Margin.age_band.not_like("<%")))
    assert 0 < adults < 300
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "register_import"))
    assert event.details["new"] == 300 and event.details["legal_basis"] == LEGAL


def test_national_numbers_are_never_stored(app):
    numbers = {line.split(";")[0] for line in sample_lines()[1:] if line}
    do_import(SAMPLE.read_bytes())
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for row in connection.execute(sa.select(table)):
                text = " ".join(str(value) for value in row)
                assert not numbers & set(re.findall(r"\d{11}", text)), table.name


def test_person_key_is_an_hmac_under_the_configured_secret(app):
    import hashlib
    import hmac

    first = sample_lines()[1].split(";")
    do_import(SAMPLE.read_bytes())
    key = b"test-person-key-secret-0123"
    expected = hmac.new(key, first[0].encode(), hashlib.sha256).hexdigest()
    resident = db.session.scalar(sa.select(Resident).where(Resident.person_key == expected))
    assert resident is not None and resident.last_name == first[1]


def test_reimport_updates_in_place_and_keeps_panel_links(app):
    do_import(SAMPLE.read_bytes())
    lines = sample_lines()
    mover = lines[1].split(";")
    leaver_key_line = lines[2]
    panel = Panel(name="Stadspanel 2026-2030")
    db.session.add(panel)
    db.session.flush()
    resident = db.session.scalars(sa.select(Resident).order_by(Resident.id)).first()
    member = Member(panel_id=panel.id, resident_id=resident.id, pseudonym="p1",
                    consent_text_version="v1", consent_at=datetime.now(UTC),
                    contact_preference="paper", joined_at=datetime.now(UTC))
    db.session.add(member)
    db.session.commit()
    mover[5], mover[6] = "Nieuwstraat", "99"
    newcomer = lines[3].split(";")
    newcomer[0] = "90010100123"  # a valid number not in the sample
    changed = [lines[0], ";".join(mover), *lines[3:], ";".join(newcomer)]
    changed.remove(leaver_key_line) if leaver_key_line in changed else None
    record = do_import(as_bytes(changed), reference_date=date(2026, 7, 1))
    assert (record.new_count, record.moved_count, record.left_count) == (1, 1, 1)
    db.session.refresh(member)
    assert member.resident.street == "Nieuwstraat" and member.resident.in_frame
    left = db.session.scalars(sa.select(Resident).where(Resident.in_frame.is_(False))).all()
    assert len(left) == 1 and left[0].left_frame_on == date(2026, 7, 1)
    assert count(Resident) == 301  # nobody is deleted: history stays


def test_a_failure_mid_import_leaves_the_database_unchanged(app, monkeypatch):
    do_import(SAMPLE.read_bytes())
    before = snapshot()
    lines = sample_lines()
    moved = lines[1].split(";")
    moved[5] = "Elders"
    data = as_bytes([lines[0], ";".join(moved), *lines[2:50]])

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(storage, "_store_margins", explode)
    with pytest.raises(RuntimeError):
        services.import_register_bytes(data, filename="x.csv", reference_date=REFERENCE,
                                       legal_basis=LEGAL, confirm_departures=True)
    db.session.rollback()
    assert snapshot() == before
    assert count(RegisterImport) == 1


def test_too_many_errors_rejects_the_file_and_writes_nothing(app):
    lines = sample_lines()
    rows = []
    for index, line in enumerate(lines[1:101]):
        fields = line.split(";")
        if index % 4 == 0:
            fields[4] = "31/02/1980"  # impossible date: a quarter of the rows are errors
        rows.append(";".join(fields))
    record = do_import(as_bytes([lines[0], *rows]))
    assert record.status == "rejected"
    assert record.error_rows == 25
    assert "Afgewezen" in record.message
    assert count(Resident) == 0
    assert count(Margin) == 0


def test_under_the_threshold_valid_rows_are_imported_and_errors_kept(app):
    lines = sample_lines()
    fields = lines[5].split(";")
    fields[4] = "31/02/1980"
    data = as_bytes([lines[0], *lines[1:5], ";".join(fields), *lines[6:]])
    record = do_import(data)
    assert record.status == "committed"
    assert record.valid_rows == 299 and record.error_rows == 1
    assert record.problems[0]["line"] == 6
    assert record.problems[0]["column"] == "birth_date"


def test_import_refuses_to_start_without_legal_basis(app):
    with pytest.raises(services.ImportRefusedError, match="rechtsgrond"):
        do_import(SAMPLE.read_bytes(), legal_basis="  ")


@pytest.mark.parametrize("content", [b"", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj", bytes(range(256)) * 40,
                                     b"rijksregisternummer;naam\r\n"])
def test_cli_rejects_unusable_files_clearly(app, runner, tmp_path, content):
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    result = runner.invoke(args=["register", "import", str(path), "--reference-date",
                                 "2026-01-01", "--legal-basis", LEGAL])
    assert result.exit_code != 0
    assert "Error" in result.output or "Fout" in result.output or "fout" in result.output
    assert "Traceback" not in result.output
    assert count(Resident) == 0


def test_cli_import_and_dry_run(app, runner):
    args = ["register", "import", str(SAMPLE), "--reference-date", "2026-01-01",
            "--legal-basis", LEGAL]
    dry = runner.invoke(args=[*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "nieuw: 300" in dry.output and "niets opgeslagen" in dry.output
    assert count(Resident) == 0
    real = runner.invoke(args=args)
    assert real.exit_code == 0, real.output
    assert count(Resident) == 300


def test_web_upload_preview_and_commit(app, client, login_as):
    login_as("researcher")
    response = client.post("/register/", data={
        "file": (io.BytesIO(SAMPLE.read_bytes()), "export.csv"),
        "reference_date": "2026-01-01", "legal_basis": LEGAL, "max_error_share": "5",
        "minimum_age": "16"}, content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "geldige rijen" in page and "300" in page
    assert count(Resident) == 0  # preview writes no resident
    record = db.session.scalar(sa.select(RegisterImport))
    client.post(f"/register/{record.id}/inlezen")
    db.session.refresh(record)
    assert record.status == "committed"
    assert record.preview_rows == []  # personal preview dropped after commit
    assert count(Resident) == 300


def test_web_upload_without_legal_basis_is_refused(app, client, login_as):
    login_as("researcher")
    response = client.post("/register/", data={
        "file": (io.BytesIO(SAMPLE.read_bytes()), "export.csv"),
        "reference_date": "2026-01-01", "legal_basis": "", "max_error_share": "5",
        "minimum_age": "16"}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert count(RegisterImport) == 0


def test_web_shows_a_clear_message_for_a_pdf(app, client, login_as):
    login_as("researcher")
    response = client.post("/register/", data={
        "file": (io.BytesIO(b"%PDF-1.4 fake"), "export.csv"),
        "reference_date": "2026-01-01", "legal_basis": LEGAL, "max_error_share": "5",
        "minimum_age": "16"}, content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code == 200
    assert "PDF" in response.get_data(as_text=True)
    assert count(Resident) == 0


def test_error_report_downloads_are_formula_safe(app, client, login_as):
    lines = sample_lines()
    fields = lines[1].split(";")
    fields[3] = "=HYPERLINK(1)"
    data = as_bytes([lines[0], ";".join(fields), *lines[2:]])
    login_as("researcher")
    client.post("/register/", data={
        "file": (io.BytesIO(data), "export.csv"), "reference_date": "2026-01-01",
        "legal_basis": LEGAL, "max_error_share": "5", "minimum_age": "16"},
        content_type="multipart/form-data")
    record = db.session.scalar(sa.select(RegisterImport))
    csv_text = client.get(f"/register/{record.id}/fouten.csv").get_data().decode("utf-8-sig")
    assert "=HYPERLINK" in csv_text
    assert not re.search(r"(^|;)=", csv_text, re.MULTILINE)
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(client.get(f"/register/{record.id}/fouten.xlsx").data))
    values = [cell.value for row in workbook.active.iter_rows() for cell in row]
    assert all(not (isinstance(value, str) and value.startswith("=")) for value in values)
    assert any(isinstance(value, str) and "HYPERLINK" in value for value in values)

