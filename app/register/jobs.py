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


def _ended(job: Job) -> None:
    """A register job failed, was interrupted or cancelled: the plain upload goes at once."""
    record = db.session.get(RegisterImport, job.params.get("import_id"))
    if record is None:
        return
    upload_path(record.id).unlink(missing_ok=True)
    if job.status == "failed" and record.status == "preview":
        record.status = "failed"
    audit.record("register_upload_deleted", record, details={"job": job.id,
                                                              "job_status": job.status})


for _kind in ("register_preview", "register_commit"):
    jobs.ENDED_HOOKS[_kind] = _ended
    jobs.RESUMABLE[_kind] = lambda job: upload_path(job.params["import_id"]).exists()


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


def take_upload_again(record: RegisterImport, file_storage) -> None:
    """Accept the same file again for an interrupted import (its upload was deleted)."""
    incoming = receive_upload(file_storage)
    if services.file_sha256(incoming) != record.file_sha256:
        incoming.unlink(missing_ok=True)
        raise services.ImportRefusedError(
            "Dit is niet hetzelfde bestand als bij de start van deze import (de controlesom "
            "verschilt). Laad hetzelfde bestand op, of annuleer en start een nieuwe import.")
    keep_upload(record, incoming)
