"""Background steps of a register import: preview (parse, count) and commit (store).

Both report progress per staged chunk; large uploads are parsed chunk by chunk.
"""

import secrets
from pathlib import Path

from flask import current_app

from app import audit, jobs
from app.extensions import db
from app.models import Job, RegisterImport
from app.register import pipeline, services
from sampling.errors import MissingColumnsError, RegisterFileError


def upload_path(record_id: int) -> Path:
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder / f"register-{record_id}.upload"


def discard_upload(record: RegisterImport) -> None:
    upload_path(record.id).unlink(missing_ok=True)
    record.preview_rows = []


def _progress(job: Job, path: Path):
    estimate = pipeline.estimate_rows(path)

    def report(done: int) -> None:
        total = max(estimate, done + 1)
        jobs.report_progress(job, min(done, total - 1), total)

    return report


def _options(job: Job, path: Path) -> dict:
    return {"chunked": services.use_chunks(path), "progress": _progress(job, path),
            "chunk_rows": int(current_app.config.get("REGISTER_CHUNK_ROWS", 200_000))}


def _file_failed(record: RegisterImport, error: RegisterFileError) -> dict:
    record.message = str(error)
    if isinstance(error, MissingColumnsError):
        record.headers = list(error.headers)
        audit.record("register_mapping_needed", record, details={"missing": error.missing})
        return {"ok": False, "mapping": True}
    record.status = "failed"
    discard_upload(record)
    audit.record("register_file_unusable", record)
    return {"ok": False}


@jobs.handler("register_preview")
def preview(job: Job, *, import_id: int) -> dict:
    record = db.session.get(RegisterImport, import_id)
    if record.status != "preview":
        return {"ok": False}
    path = upload_path(record.id)
    try:
        services.preview_import(record, path, **_options(job, path))
    except RegisterFileError as error:
        db.session.rollback()
        return _file_failed(db.session.get(RegisterImport, import_id), error)
    audit.record("register_preview_ready", record, details={
        "rows": record.total_rows, "errors": record.error_rows})
    return {"ok": True}


@jobs.handler("register_commit")
def commit(job: Job, *, import_id: int, confirm_departures: bool = False) -> dict:
    record = db.session.get(RegisterImport, import_id)
    if record.status != "preview":
        return {"ok": record.status == "committed"}  # already done: never import twice
    path = upload_path(record.id)
    services.commit_import(record, path, confirm_departures=confirm_departures,
                           **_options(job, path))
    if record.status != "preview":  # a held import keeps its file for the confirmation
        discard_upload(record)
    return {"ok": record.status == "committed"}


def receive_upload(file_storage) -> Path:
    """Stream an uploaded file to a private temporary file (never read whole into memory)."""
    path = upload_path(0).with_name(f"incoming-{secrets.token_hex(12)}.upload")
    try:
        file_storage.save(path)
    finally:
        file_storage.close()  # werkzeug's spooled temporary file
    path.chmod(0o600)
    return path


def keep_upload(record: RegisterImport, incoming: Path) -> None:
    incoming.replace(upload_path(record.id))
