"""A register import killed mid-way (SIGKILL, no clean-up) leaves the database as it was."""

import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Margin, RegisterImport, Resident
from app.register import services
from tests.conftest import TEST_SECRETS

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
from synthetic_register import generate_register_csv  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "tests" / "data" / "register_sample.csv"
LEGAL = "Collegebesluit 2026/045 — samenstelling Stadspanel"
TIMEOUT = 120


def snapshot() -> tuple:
    def count(model, *where):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))

    return (count(Resident), count(Resident, Resident.in_frame), count(Margin),
            count(RegisterImport), db.session.scalar(sa.select(sa.func.sum(Margin.count))))


def start_cli(database_url: str, path: Path) -> subprocess.Popen:
    env = {**os.environ, **TEST_SECRETS, "DATABASE_URL": database_url,
           "STADSPANEL_ENV": "development"}
    command = [sys.executable, "-m", "flask", "--app", "app", "register", "import", str(path),
               "--reference-date", "2026-01-01", "--legal-basis", LEGAL, "--chunked",
               "--chunk-rows", "5000"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def wait_for_progress(process: subprocess.Popen, rows: int) -> None:
    """Read the CLI's progress lines until ``rows`` rows are staged."""
    selector = selectors.DefaultSelector()
    selector.register(process.stderr, selectors.EVENT_READ)
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if not selector.select(timeout=1):
            continue
        line = process.stderr.readline()
        if not line:
            break
        if line.strip() == f"verwerkt: {rows} rijen":
            return
    process.kill()
    pytest.fail(f"the import never reported {rows} rows")


@pytest.mark.parametrize("kill_after", [60_000])  # killed while residents are written
def test_sigkill_mid_import_changes_nothing(app, database_url, tmp_path, kill_after):
    services.import_register_bytes(SAMPLE.read_bytes(), filename="vorige.csv",
                                   reference_date=services.date(2025, 1, 1), legal_basis=LEGAL)
    db.session.commit()
    before = snapshot()
    db.session.remove()
    path = tmp_path / "export.csv"
    generate_register_csv(path, 60_000, seed=11)
    process = start_cli(database_url, path)
    try:
        wait_for_progress(process, kill_after)  # staging has begun (or is complete)
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(timeout=TIMEOUT) == -signal.SIGKILL
    finally:
        process.kill()
        process.stderr.close()
    assert snapshot() == before
    assert before[0] == before[1] > 290 and before[3] == 1
