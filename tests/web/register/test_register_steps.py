"""Register import steps: column mapping, street table, chunked staging and progress."""

import io
import sys
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import jobs as app_jobs
from app.extensions import db
from app.models import AuditEvent, Job, Margin, RegisterImport, Resident
from app.register import jobs as register_jobs
from app.register import pipeline, services

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
from synthetic_register import generate_register_csv  # noqa: E402

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "register_sample.csv"
LEGAL = "Collegebesluit 2026/045 — samenstelling Stadspanel"
UNKNOWN = ["Identificatie", "Familie", "Roepnaam", "Gender", "Geboren", "Adres", "Nr", "Bus",
           "Postzone", "Gemeente", "Nationaliteit", "Staat", "Gezin", "Wijk"]
CHOICES = {"national_number": "Identificatie", "last_name": "Familie", "first_name": "Roepnaam",
           "sex": "Gender", "birth_date": "Geboren", "street": "Adres", "house_number": "Nr",
           "postcode": "Postzone", "household_id": "Gezin"}


def sample_lines() -> list[str]:
    return SAMPLE.read_bytes().decode("utf-8-sig").split("\r\n")


def as_bytes(lines: list[str]) -> bytes:
    return "\r\n".join(lines).encode("utf-8-sig")


def upload(client, data: bytes, name: str = "export.csv", **extra):
    return client.post("/register/", data={
        "file": (io.BytesIO(data), name), "reference_date": "2026-01-01",
        "legal_basis": LEGAL, "max_error_share": "5", "minimum_age": "16", **extra},
        content_type="multipart/form-data")


def only_import() -> RegisterImport:
    return db.session.scalars(sa.select(RegisterImport)).one()


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def districts() -> dict[str, int]:
    return dict(db.session.execute(
        sa.select(Resident.district, sa.func.count()).group_by(Resident.district)).all())


def test_unknown_headers_lead_to_a_mapping_step_then_an_import(app, client, login_as):
    login_as("researcher")
    lines = sample_lines()
    upload(client, as_bytes([";".join(UNKNOWN), *lines[1:]]))
    record = only_import()
    assert record.status == "preview" and record.total_rows == 0
    assert record.headers == UNKNOWN
    page = client.get(f"/register/{record.id}").get_data(as_text=True)
    assert "Welke kolom bevat wat?" in page
    assert 'name="column_national_number"' in page and "<option value=\"Familie\">" in page
    response = client.post(f"/register/{record.id}/kolommen",
                           data={f"column_{column}": header for column, header in CHOICES.items()})
    assert response.status_code == 302
    db.session.refresh(record)
    assert record.total_rows == 300 and record.valid_rows == 300 and record.message is None
    assert record.column_mapping["Familie"] == "last_name"
    client.post(f"/register/{record.id}/inlezen")
    assert count(Resident) == 300
    names = set(db.session.scalars(sa.select(Resident.last_name)))
    assert {line.split(";")[1] for line in lines[1:] if line} == names
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"register_import_started", "register_mapping_needed", "register_mapping_saved",
            "register_preview_ready", "register_commit_requested", "register_import"} <= actions


def test_mapping_one_header_to_two_columns_is_refused(app, client, login_as):
    login_as("researcher")
    upload(client, as_bytes([";".join(UNKNOWN), *sample_lines()[1:]]))
    record = only_import()
    chosen = {f"column_{column}": header for column, header in CHOICES.items()}
    chosen["column_first_name"] = "Familie"
    response = client.post(f"/register/{record.id}/kolommen", data=chosen)
    assert response.status_code == 422
    assert "voor twee gegevens gekozen" in response.get_data(as_text=True)
    missing = dict(chosen, column_sex="")
    assert client.post(f"/register/{record.id}/kolommen", data=missing).status_code == 422
    db.session.refresh(record)
    assert record.column_mapping == {} and record.total_rows == 0


def without_district(lines: list[str]) -> list[str]:
    return [";".join(line.split(";")[:-1]) for line in lines if line]


STREETS = "straat;wijk\r\nBurgemeester Moensstraat;Centrum\r\nmadeliefjesstraat ;Noord\r\n"


def test_street_table_gives_districts_to_an_export_without_wijk(app, client, login_as):
    login_as("researcher")
    upload(client, as_bytes(without_district(sample_lines())),
           street_table=(io.BytesIO(STREETS.encode("cp1252")), "straten.csv"))
    record = only_import()
    assert record.street_districts[0] == ["Burgemeester Moensstraat", None, "Centrum"]
    assert record.valid_rows == 300 and record.warning_count == 0
    client.post(f"/register/{record.id}/inlezen")
    assert districts() == {"Centrum": 122, "Noord": 178}
    margins = dict(db.session.execute(sa.select(Margin.district, sa.func.sum(Margin.count))
                                      .group_by(Margin.district)).all())
    assert margins == {"Centrum": 122, "Noord": 178}


def test_street_table_added_after_the_preview_reruns_it(app, client, login_as):
    login_as("researcher")
    upload(client, as_bytes(without_district(sample_lines())))
    record = only_import()
    assert "geen kolom 'wijk'" in record.problems[0]["message"]
    table = "straat;postcode;wijk\nBurgemeester Moensstraat;2000;Centrum\n"
    client.post(f"/register/{record.id}/wijken",
                data={"street_table": (io.BytesIO(table.encode()), "straten.csv")},
                content_type="multipart/form-data")
    db.session.refresh(record)
    assert record.street_districts == [["Burgemeester Moensstraat", "2000", "Centrum"]]
    unknown = [p for p in record.problems if p["column"] == "district"]
    assert len(unknown) == 178 and unknown[0]["value"] == "Madeliefjesstraat"
    bad = client.post(f"/register/{record.id}/wijken",
                      data={"street_table": (io.BytesIO(b"%PDF-1.4"), "straten.csv")},
                      content_type="multipart/form-data")
    assert bad.status_code == 422 and "CSV" in bad.get_data(as_text=True)


def test_cli_accepts_a_street_table(app, runner, tmp_path):
    export = tmp_path / "export.csv"
    export.write_bytes(as_bytes(without_district(sample_lines())))
    streets = tmp_path / "straten.csv"
    streets.write_text(STREETS)
    result = runner.invoke(args=["register", "import", str(export), "--reference-date",
                                 "2026-01-01", "--legal-basis", LEGAL, "--districts",
                                 str(streets)])
    assert result.exit_code == 0, result.output
    assert districts() == {"Centrum": 122, "Noord": 178}


def resident_rows() -> list[tuple]:
    columns = [getattr(Resident, name) for name in (
        "person_key", "last_name", "sex", "birth_date", "street", "district", "age_band",
        "nationality_group", "household_size", "in_frame")]
    return db.session.execute(sa.select(*columns).order_by(Resident.person_key)).all()


def margin_rows() -> list[tuple]:
    return db.session.execute(sa.select(
        Margin.age_band, Margin.sex, Margin.district, Margin.nationality_group, Margin.count)
        .order_by(Margin.age_band, Margin.sex, Margin.district, Margin.nationality_group)).all()


def broken_file(path: Path, rows: int) -> list[int]:
    """A synthetic export with an impossible birth date on some lines; returns those lines."""
    generate_register_csv(path, rows, seed=7)
    lines = path.read_bytes().decode("utf-8-sig").split("\r\n")
    bad = [3, 1500, 2999, 4700]
    for line in bad:
        cells = lines[line - 1].split(";")
        cells[4] = "31/02/1970"
        lines[line - 1] = ";".join(cells)
    path.write_bytes("\r\n".join(lines).encode("utf-8-sig"))
    return bad


def import_file(path: Path, **options) -> RegisterImport:
    record = services.import_register_bytes(path, filename=path.name,
                                            reference_date=date(2026, 1, 1), legal_basis=LEGAL,
                                            **options)
    db.session.commit()
    return record


def test_chunked_import_stores_the_same_as_a_whole_import(app, tmp_path):
    path = tmp_path / "export.csv"
    bad = broken_file(path, 5_000)
    steps = []
    whole = import_file(path, chunked=False)
    expected_residents, expected_margins = resident_rows(), margin_rows()
    db.session.execute(sa.delete(Margin))
    db.session.execute(sa.delete(Resident))
    db.session.commit()
    chunked = import_file(path, chunked=True, chunk_rows=1_000, progress=steps.append)
    assert steps == [1_000, 2_000, 3_000, 4_000, 5_000]
    assert resident_rows() == expected_residents and margin_rows() == expected_margins
    cells = (Resident.age_band, Resident.sex, Resident.district, Resident.nationality_group)
    from_residents = db.session.execute(sa.select(*cells, sa.func.count()).group_by(*cells)
                                        .order_by(*cells)).all()
    assert margin_rows() == from_residents
    assert len(expected_residents) == 4_996 and chunked.new_count == 4_996
    assert [p["line"] for p in chunked.problems] == bad == [p["line"] for p in whole.problems]
    assert (chunked.total_rows, chunked.error_rows) == (5_000, 4)


def test_stored_problems_are_capped_but_counted(app, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "MAX_STORED_PROBLEMS", 3)
    path = tmp_path / "export.csv"
    broken_file(path, 5_000)
    record = import_file(path, chunked=True, chunk_rows=1_000)
    assert record.error_rows == 4 and len(record.problems) == 3


class TestLargeUploads:
    @pytest.fixture
    def app_config(self):
        return {"REGISTER_CHUNK_THRESHOLD_MB": 0.01, "REGISTER_CHUNK_ROWS": 1_000}

    def test_large_upload_is_chunked_and_reports_progress(self, app, client, login_as,
                                                          tmp_path, monkeypatch):
        chunked_upload_reports_progress(client, login_as, tmp_path, monkeypatch)


def chunked_upload_reports_progress(client, login_as, tmp_path, monkeypatch):
    calls = []
    original = app_jobs.report_progress

    def spy(job, done, total):
        calls.append((job.kind, done, total))
        original(job, done, total)

    monkeypatch.setattr(app_jobs, "report_progress", spy)
    path = tmp_path / "export.csv"
    generate_register_csv(path, 4_500, seed=3)
    login_as("researcher")
    upload(client, path.read_bytes())
    record = only_import()
    assert services.use_chunks(path) and record.valid_rows == 4_500
    previews = [(done, total) for kind, done, total in calls if kind == "register_preview"]
    assert [done for done, _ in previews] == [1_000, 2_000, 3_000, 4_000, 4_500]
    assert all(done < total <= 4_502 for done, total in previews)
    client.post(f"/register/{record.id}/inlezen")
    assert count(Resident) == 4_500
    assert sum(kind == "register_commit" for kind, _, _ in calls) == 5
    job = db.session.get(Job, record.job_id)
    assert job.status == "done" and job.percent == 100
    assert not register_jobs.upload_path(record.id).exists()
