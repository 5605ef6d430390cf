"""No plain national numbers stay on disk: an import killed with SIGKILL, a failed, cancelled or
abandoned one, and a half-received upload all lose their file; a dead job shows as interrupted."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import current_app

from app import jobs
from app.extensions import db
from app.models import Job, RegisterImport, Resident, utcnow
from app.register import uploads
from app.register.jobs import upload_path
from tests.conftest import TEST_SECRETS, login
from tests.web.register.test_register_steps import LEGAL, SAMPLE, generate_register_csv

ROOT = Path(__file__).resolve().parents[3]
WORKER = ("import sys\nfrom app import create_app, jobs\n"
          "with create_app().app_context():\n    jobs.run_job(int(sys.argv[1]))\n")
TIMEOUT = 120


def environment(database_url: str) -> dict:
    return {**os.environ, **TEST_SECRETS, "DATABASE_URL": database_url,
            "STADSPANEL_ENV": "development", "REGISTER_CHUNK_THRESHOLD_MB": "0",
            "REGISTER_CHUNK_ROWS": "5000", "JOBS_INLINE": "1", "REDIS_URL": ""}


def national_numbers(path: Path, count: int) -> list[bytes]:
    lines = path.read_bytes().splitlines()[1:count + 1]
    return [line.split(b";")[0] for line in lines]


def files_holding(numbers: list[bytes]) -> list[Path]:
    """Every file under the instance folder that contains one of ``numbers``."""
    instance = Path(current_app.instance_path)
    found = []
    for path in instance.rglob("*"):
        if path.is_file() and path.stat().st_size < 500 * 2**20:
            content = path.read_bytes()
            if any(number in content for number in numbers):
                found.append(path)
    return found


def wait_for_rows(job_id: int, rows: int) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        db.session.expire_all()
        if db.session.get(Job, job_id).progress >= rows:
            return
        time.sleep(0.1)
    pytest.fail(f"the job never reported {rows} rows")


def post_file(client, url: str, content: bytes, **fields: str):
    """A multipart POST built by hand: the test client spools bodies over 500 kB to a temporary
    file it never closes (a ResourceWarning)."""
    boundary = "stadspanel-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
             .encode() for name, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                 f'filename="export.csv"\r\nContent-Type: text/csv\r\n\r\n'.encode())
    body = b"".join(parts) + content + f"\r\n--{boundary}--\r\n".encode()
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def preview_of(client, path: Path) -> RegisterImport:
    response = post_file(client, "/register/", path.read_bytes(), reference_date="2026-01-01",
                         legal_basis=LEGAL, max_error_share="5", minimum_age="16")
    assert response.status_code == 302
    record = db.session.scalars(sa.select(RegisterImport).order_by(RegisterImport.id.desc())
                                ).first()
    assert record.status == "preview" and upload_path(record.id).exists()
    return record


def test_sigkill_mid_import_leaves_no_national_number_and_an_honest_job(
        app, client, make_user, database_url, tmp_path):
    user = make_user("researcher")
    login(client, user)
    export = tmp_path / "export.csv"
    generate_register_csv(export, 60_000, seed=17)
    numbers = national_numbers(export, 200)
    record = preview_of(client, export)
    job = jobs.create_job("register_commit", {"import_id": record.id}, user_id=user.id)
    record.job_id = job.id
    db.session.commit()
    worker = subprocess.Popen([sys.executable, "-c", WORKER, str(job.id)], cwd=ROOT,
                              env=environment(database_url), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        wait_for_rows(job.id, 20_000)  # the worker is staging residents from the upload
        os.kill(worker.pid, signal.SIGKILL)
        assert worker.wait(timeout=TIMEOUT) == -signal.SIGKILL
    finally:
        worker.kill()
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == "running"  # what the page used to believe
    assert files_holding(numbers) == [upload_path(record.id)]  # the old leak, before restart
    restart = subprocess.run([sys.executable, "-c", "from app import create_app; create_app()"],
                             cwd=ROOT, env=environment(database_url), timeout=TIMEOUT)
    assert restart.returncode == 0
    db.session.expire_all()
    assert files_holding(numbers) == []
    assert db.session.get(Job, job.id).status == "interrupted"
    assert db.session.get(RegisterImport, record.id).status == "preview"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Resident)) == 0
    assert client.get(f"/jobs/{job.id}").get_json()["status"] == "interrupted"
    page = client.get(f"/register/{record.id}").get_data(as_text=True)
    assert "De verwerking werd onderbroken" in page
    assert f"/register/{record.id}/hervatten" in page and f"/register/{record.id}/annuleren" in page
    assert "Geldige rijen inlezen" not in page
    other = tmp_path / "other.csv"
    other.write_bytes(export.read_bytes().replace(b"\n", b"\r\n", 1))
    refused = post_file(client, f"/register/{record.id}/hervatten", other.read_bytes())
    assert refused.status_code == 422 and "niet hetzelfde bestand" in refused.get_data(
        as_text=True)
    assert files_holding(numbers) == []
    resumed = post_file(client, f"/register/{record.id}/hervatten", export.read_bytes())
    assert resumed.status_code == 302
    db.session.expire_all()
    assert db.session.get(RegisterImport, record.id).status == "committed"
    assert db.session.get(Job, job.id).status == "done"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Resident)) > 50_000
    assert files_holding(numbers) == []


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def interrupted_preview(client, user) -> tuple[RegisterImport, Job]:
    login(client, user)
    record = preview_of(client, SAMPLE)
    job = db.session.get(Job, record.job_id)
    job.status, job.worker = "running", f"{jobs.socket.gethostname()}:{dead_pid()}"
    db.session.commit()
    return record, job


def test_an_interrupted_import_can_be_cancelled(app, client, make_user):
    record, job = interrupted_preview(client, make_user("researcher"))
    assert "De verwerking werd onderbroken" in client.get(f"/register/{record.id}").get_data(
        as_text=True)  # seen on the page itself, without a restart
    assert not upload_path(record.id).exists()
    assert client.post(f"/register/{record.id}/inlezen").status_code == 400
    assert client.post(f"/register/{record.id}/annuleren").status_code == 302
    db.session.expire_all()
    assert db.session.get(RegisterImport, record.id).status == "cancelled"
    assert db.session.get(Job, job.id).status == "cancelled"


def test_flask_jobs_resume_does_not_restart_an_import_without_its_file(app, client, make_user,
                                                                         runner):
    record, job = interrupted_preview(client, make_user("researcher"))
    result = runner.invoke(args=["jobs", "resume"])
    assert result.exit_code == 0 and "0 taken" in result.output
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == "interrupted"


def test_a_failed_import_job_deletes_its_upload(app, client, make_user, monkeypatch):
    login(client, make_user("researcher"))
    record = preview_of(client, SAMPLE)

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("app.register.services.commit_import", broken)
    client.post(f"/register/{record.id}/inlezen")
    db.session.expire_all()
    record = db.session.get(RegisterImport, record.id)
    assert db.session.get(Job, record.job_id).status == "failed"
    assert record.status == "failed" and not upload_path(record.id).exists()


def test_sweep_removes_orphans_and_keeps_live_uploads(app, client, make_user):
    login(client, make_user("researcher"))
    waiting, done = preview_of(client, SAMPLE), preview_of(client, SAMPLE)
    client.post(f"/register/{done.id}/inlezen")
    folder = uploads.folder()
    stray = folder / "register-999999.upload"
    fresh, stale = folder / "incoming-fresh.upload", folder / "incoming-stale.upload"
    young_stray = folder / "register-999997.upload"  # its import may still be committing
    for path in (stray, young_stray, fresh, stale, upload_path(done.id)):
        path.write_bytes(b"85073003328;Peeters")
    hours_ago = time.time() - 2 * 3600
    os.utime(stale, (hours_ago, hours_ago))
    os.utime(stray, (hours_ago, hours_ago))
    db.session.commit()
    assert uploads.sweep() == 3
    assert upload_path(waiting.id).exists() and fresh.exists() and young_stray.exists()
    assert not stray.exists() and not stale.exists() and not upload_path(done.id).exists()
    fresh.unlink()
    young_stray.unlink()
    later = utcnow() + timedelta(days=8)  # nobody confirmed the preview for a week
    assert uploads.sweep(now=later) == 1
    db.session.commit()
    assert not upload_path(waiting.id).exists()
    assert db.session.get(RegisterImport, waiting.id).status == "cancelled"


def test_the_retention_command_sweeps_uploads(app, runner):
    stray = uploads.folder() / "register-999998.upload"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"85073003328;Peeters")
    hours_ago = time.time() - 2 * 3600
    os.utime(stray, (hours_ago, hours_ago))
    result = runner.invoke(args=["retention", "run"])
    assert result.exit_code == 0, result.output
    assert not stray.exists() and "registerbestanden verwijderd: 1" in result.output
