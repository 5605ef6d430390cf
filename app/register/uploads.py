"""Uploaded register files hold plain national numbers: they live only while an import needs them.

An import deletes its upload when it ends (done, rejected, failed, cancelled; see
``app/register/jobs.py``). :func:`sweep` catches what a dead process left: it marks jobs whose
process died as interrupted (their hook deletes the upload), then deletes every upload that no
live import needs: a half-received ``incoming-*`` file or one without an import, older than an
hour; the upload of an import no longer in preview, or of a preview untouched for
``REGISTER_UPLOAD_DAYS`` (that import is cancelled). It runs at start-up and in the retention job.
"""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import exc as sa_exc

from app import audit, jobs
from app.extensions import db
from app.models import Job, RegisterImport, utcnow

INCOMING_GRACE = timedelta(hours=1)
NAME = re.compile(r"register-(\d+)\.upload")


def folder() -> Path:
    return Path(current_app.instance_path) / "uploads"


def sweep(*, now: datetime | None = None) -> int:
    """Delete orphaned uploads; returns how many files went (the caller commits)."""
    now = now or utcnow()
    jobs.mark_interrupted()
    removed = 0
    for path in sorted(folder().glob("*.upload")):
        if _orphaned(path, now):
            path.unlink(missing_ok=True)
            removed += 1
    if removed:
        current_app.logger.warning("Removed %s orphaned register upload(s)", removed)
    return removed


def _orphaned(path: Path, now: datetime) -> bool:
    changed = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    if path.name.startswith("incoming-"):
        return now - changed > INCOMING_GRACE
    match = NAME.fullmatch(path.name)
    record = db.session.get(RegisterImport, int(match.group(1))) if match else None
    if record is None:  # its import may not be committed yet: the same grace as incoming
        return now - changed > INCOMING_GRACE
    if record.status != "preview":
        return True
    job = db.session.get(Job, record.job_id) if record.job_id else None
    if job is not None and job.status in ("queued", "running"):
        return False
    if job is not None and job.status != "done":
        return True  # failed, interrupted or cancelled: a resume asks for the file again
    return _expired_preview(record, now)


def _expired_preview(record: RegisterImport, now: datetime) -> bool:
    created = record.created_at if record.created_at.tzinfo else record.created_at.replace(
        tzinfo=UTC)
    if now - created <= timedelta(days=float(current_app.config["REGISTER_UPLOAD_DAYS"])):
        return False
    record.status, record.preview_rows = "cancelled", []
    record.message = "Automatisch geannuleerd: de controle werd niet op tijd bevestigd."
    audit.record("register_import_expired", record)
    return True


def sweep_at_start(app: Flask) -> None:
    """At start-up, when uploads are lying around: a process may have died holding them."""
    if not app.config.get("SWEEP_UPLOADS_ON_START", True):
        return
    uploads = Path(app.instance_path) / "uploads"
    if not uploads.is_dir() or not any(uploads.glob("*.upload")):
        return
    with app.app_context():
        try:
            sweep()
            db.session.commit()
        except sa_exc.SQLAlchemyError as error:  # not migrated yet, or the database is down
            db.session.rollback()
            app.logger.warning("Upload sweep at start-up skipped: %s", type(error).__name__)
        finally:
            db.session.remove()
