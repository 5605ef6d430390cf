"""Bad register input through the web UI: each gets a clear Dutch message and changes nothing."""

import io

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, Margin, RegisterImport, Resident
from app.register.jobs import upload_path
from tests.web.register.test_register_import import (
    LEGAL,
    SAMPLE,
    as_bytes,
    count,
    do_import,
    sample_lines,
    snapshot,
)


def web_upload(client, data: bytes, name: str = "export.csv"):
    return client.post("/register/", data={
        "file": (io.BytesIO(data), name), "reference_date": "2026-01-01",
        "legal_basis": LEGAL, "max_error_share": "5", "minimum_age": "16"},
        content_type="multipart/form-data", follow_redirects=True)


@pytest.mark.parametrize(("content", "expected"), [
    (bytes(range(256)) * 40, "geen tekstbestand"),
    (b"", "leeg"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
    (b"rijksregisternummer;naam;voornaam;geslacht;geboortedatum;straat;huisnummer;bus;postcode;"
     b"gemeente;nationaliteit;burgerlijke_staat;huishoudnummer;wijk\r\n",
     "alleen kolomkoppen"),
])
def test_web_unusable_files_get_a_dutch_message_and_change_nothing(app, client, login_as,
                                                                   content, expected):
    do_import(SAMPLE.read_bytes())
    before = snapshot()
    login_as("researcher")
    page = web_upload(client, content).get_data(as_text=True)
    newest = sa.select(RegisterImport).order_by(RegisterImport.id.desc())
    record = db.session.scalars(newest).first()
    assert record.status == "failed" and expected.lower() in record.message.lower()
    assert "Het bestand kan niet gebruikt worden" in page and "Traceback" not in page
    assert snapshot() == before
    assert not upload_path(record.id).exists()
    assert db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "register_file_unusable")) is not None


def wrong_check_digits(body: int) -> str:
    """An 11-digit number whose check digits fail both the pre-2000 and the 2000+ rule."""
    valid = {97 - body % 97, 97 - (2_000_000_000 + body) % 97}
    return f"{body:09d}{min(set(range(1, 99)) - valid):02d}"


def test_ten_thousand_invalid_rows_are_listed_rejected_and_downloadable(app, client, login_as):
    header, first = sample_lines()[0], sample_lines()[1].split(";")
    rows = [";".join([wrong_check_digits(index), *first[1:]]) for index in range(1, 10_001)]
    login_as("researcher")
    page = web_upload(client, as_bytes([header, *rows])).get_data(as_text=True)
    record = db.session.scalar(sa.select(RegisterImport))
    assert (record.total_rows, record.error_rows, record.valid_rows) == (10_000, 10_000, 0)
    assert "Meer dan 5,0% van de rijen bevat fouten" in page
    assert "Eerste 200 van 10000 problemen" in page.replace(".", "")
    client.post(f"/register/{record.id}/inlezen")
    db.session.refresh(record)
    assert record.status == "rejected" and "Afgewezen: 10000 van 10000" in record.message
    assert count(Resident) == 0 and count(Margin) == 0
    assert not upload_path(record.id).exists()
    report = client.get(f"/register/{record.id}/fouten.csv").get_data().decode("utf-8-sig")
    lines = [line for line in report.splitlines() if line]
    assert len(lines) == 10_001 and lines[1].startswith("2;Rijksregisternummer")
    assert wrong_check_digits(1) not in report  # national numbers are masked in the report


def test_xlsx_with_two_title_rows_is_imported(app, client, login_as):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Stad Zennegem — bevolkingsregister"])
    sheet.append(["Export van 1 januari 2026"])
    for line in sample_lines():
        if line:
            sheet.append(line.split(";"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    login_as("researcher")
    web_upload(client, buffer.getvalue(), "export.xlsx")
    record = db.session.scalar(sa.select(RegisterImport))
    assert (record.total_rows, record.valid_rows) == (300, 300)
    client.post(f"/register/{record.id}/inlezen")
    assert count(Resident) == 300


def test_cp1252_with_commas_is_imported_with_its_accents(app, client, login_as):
    def latin(line: str) -> bool:
        return line.encode("cp1252", errors="replace").decode("cp1252") == line

    lines = [line.replace(";", ",") for line in sample_lines() if line and latin(line)]
    fields = lines[1].split(",")
    fields[2] = "Renée"
    lines[1] = ",".join(fields)
    login_as("researcher")
    web_upload(client, "\r\n".join(lines).encode("cp1252"))
    record = db.session.scalar(sa.select(RegisterImport))
    assert record.valid_rows == len(lines) - 1 > 250 and record.error_rows == 0
    client.post(f"/register/{record.id}/inlezen")
    assert "Renée" in set(db.session.scalars(sa.select(Resident.first_name)))
    assert "België" in set(db.session.scalars(sa.select(Resident.nationality)))


class TestUploadLimit:
    @pytest.fixture
    def app_config(self):
        return {"MAX_CONTENT_LENGTH": 64 * 1024}

    def test_a_file_over_the_limit_gets_a_dutch_page_and_nothing_is_stored(self, app, client,
                                                                          login_as):
        folder = upload_path(0).parent
        files_before = set(folder.iterdir())
        login_as("researcher")
        response = web_upload(client, SAMPLE.read_bytes() * 4)
        assert response.status_code == 413
        page = response.get_data(as_text=True)
        assert "Het bestand is te groot" in page and "0.0625 MB" in page
        assert count(RegisterImport) == 0
        assert set(folder.iterdir()) == files_before


def test_history_lists_who_imported(app, client, login_as):
    user = login_as("researcher")
    web_upload(client, SAMPLE.read_bytes())
    page = client.get("/register/").get_data(as_text=True)
    assert "Ingelezen door" in page and user.name in page
