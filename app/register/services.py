"""Register import: parse with ``sampling.register``, then store atomically.

The raw national number lives only in memory during the import: it is replaced by
``person_key`` (HMAC-SHA256 under ``PERSON_KEY_SECRET``) before anything touches the database.
Everything an import writes (residents, frame changes, margins, the import's own status) happens
in the caller's single transaction; an exception anywhere leaves the database as it was.
Large files are parsed and staged chunk by chunk (bounded memory), still in that one transaction.
"""

import hashlib
import os
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from babel.numbers import format_percent
from flask import current_app

from app import audit
from app.extensions import db
from app.models import RegisterImport, Resident, Study, utcnow
from app.register import pipeline, storage
from app.register.pipeline import MAX_STORED_PROBLEMS, Progress, Tally
from sampling.errors import RegisterFileError

Source = bytes | Path
DEFAULT_CHUNK_THRESHOLD_MB = 50
DEFAULT_MAX_LEFT_SHARE = 0.2


class ImportRefusedError(ValueError):
    """The import cannot start or was rejected; the message is Dutch and safe to show."""


def require_legal_basis(legal_basis: str | None) -> str:
    text = (legal_basis or "").strip()
    if len(text) < 5:
        raise ImportRefusedError(
            "Vermeld de rechtsgrond: de referentie van het raads- of collegebesluit dat het doel "
            "van dit onderzoek vastlegt. Zonder rechtsgrond start de import niet."
        )
    return text


def file_sha256(source: Source) -> str:
    if isinstance(source, bytes):
        return hashlib.sha256(source).hexdigest()
    digest = hashlib.sha256()
    with source.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def use_chunks(source: Source) -> bool:
    """Whether a file is big enough to parse chunk by chunk (``REGISTER_CHUNK_THRESHOLD_MB``)."""
    size = len(source) if isinstance(source, bytes) else source.stat().st_size
    limit = current_app.config.get("REGISTER_CHUNK_THRESHOLD_MB") or os.environ.get(
        "REGISTER_CHUNK_THRESHOLD_MB", DEFAULT_CHUNK_THRESHOLD_MB)
    return size > float(limit) * 1024 * 1024


def start_import(source: Source, *, filename: str, reference_date: date, legal_basis: str,
                 max_error_share: float = 0.05, minimum_age: int = 16,
                 user_id: int | None = None, column_mapping: dict | None = None,
                 street_districts: list | None = None,
                 study_id: int | None = None) -> RegisterImport:
    """Create the import record (status ``preview``); the caller commits.

    Every import belongs to a study: ``study_id`` defaults to the latest one.
    """
    record = RegisterImport(
        study_id=study_id or _latest_study_id(),
        filename=filename[:255], file_sha256=file_sha256(source),
        reference_date=reference_date, legal_basis=require_legal_basis(legal_basis),
        max_error_share=max_error_share, minimum_age=minimum_age, created_by_id=user_id,
        status="preview", column_mapping=column_mapping or {},
        street_districts=street_districts or [],
    )
    db.session.add(record)
    db.session.flush()
    audit.record("register_import_started", record, details={
        "sha256": record.file_sha256, "chunked": use_chunks(source),
        "street_table": bool(record.street_districts)})
    return record


def _latest_study_id() -> int | None:
    return db.session.scalar(sa.select(Study.id).order_by(Study.id.desc()).limit(1))


def _stage(record: RegisterImport, source: Source, chunked: bool, progress: Progress | None,
           chunk_rows: int) -> tuple[sa.Table, Tally]:
    tally = Tally()
    parts = pipeline.parse_parts(source, record, chunked=chunked, chunk_rows=chunk_rows)
    staging = storage.stage(pipeline.staged_frames(parts, tally, progress))
    _apply_tally(record, tally)
    return staging, tally


def _apply_tally(record: RegisterImport, tally: Tally) -> None:
    record.total_rows, record.valid_rows = tally.total_rows, tally.valid_rows
    record.error_rows, record.warning_count = tally.error_rows, tally.warning_count
    record.column_mapping, record.headers = tally.column_mapping, tally.headers
    record.problems = tally.problems
    record.message = None


def _apply_counts(record: RegisterImport, counts: dict) -> None:
    record.new_count, record.updated_count = counts["new"], counts["updated"]
    record.moved_count, record.left_count = counts["moved"], counts["left"]
    record.unchanged_count, record.rejoined_count = counts["unchanged"], counts["rejoined"]


def preview_import(record: RegisterImport, source: Source, *, chunked: bool = False,
                   progress: Progress | None = None, chunk_rows: int = 200_000) -> Tally:
    """Parse, count what would change and keep the first rows; writes no resident."""
    staging, tally = _stage(record, source, chunked, progress, chunk_rows)
    _apply_counts(record, storage.count_changes(staging))
    storage.drop(staging)
    record.preview_rows = tally.preview_rows
    return tally


def too_many_errors(record: RegisterImport) -> bool:
    if record.total_rows == 0:
        return True
    return record.error_rows / record.total_rows > record.max_error_share


def max_left_share() -> float:
    return float(current_app.config.get("REGISTER_MAX_LEFT_SHARE", DEFAULT_MAX_LEFT_SHARE))


def too_many_leave(record: RegisterImport, current: int | None = None) -> bool:
    """Whether the import would take more than ``REGISTER_MAX_LEFT_SHARE`` of the frame out."""
    current = frame_size() if current is None else current
    return current > 0 and record.left_count / current > max_left_share()


def departure_question(record: RegisterImport, current: int) -> str:
    share = format_percent(record.left_count / current if current else 0, locale="nl")
    return (f"Deze import zou {record.left_count} van de {current} huidige inwoners ({share}) "
            "als 'niet meer in het register' markeren. Is dit wel het volledige register van "
            "de gemeente (geen gedeeltelijke export of het bestand van een andere gemeente)? "
            "Er werd niets ingelezen. Bevestig uitdrukkelijk om toch in te lezen.")


def commit_import(record: RegisterImport, source: Source, *, chunked: bool = False,
                  progress: Progress | None = None, chunk_rows: int = 200_000,
                  confirm_departures: bool = False) -> RegisterImport:
    """Write the valid rows (or reject the file by policy); one transaction, caller commits.

    An import that would take too large a share of the frame out is held (status stays
    ``preview``, nothing written) unless ``confirm_departures``.
    """
    if record.status != "preview":
        raise ImportRefusedError("Deze import is al afgehandeld.")
    staging, tally = _stage(record, source, chunked, progress, chunk_rows)
    if too_many_errors(record):
        storage.drop(staging)
        _apply_counts(record, dict.fromkeys(
            ("new", "updated", "moved", "left", "unchanged", "rejoined"), 0))
        return _reject(record)
    counts = storage.count_changes(staging)
    _apply_counts(record, counts)
    if too_many_leave(record, counts["current"]):
        if not confirm_departures:
            storage.drop(staging)
            return _hold(record, counts["current"])
        audit.record("register_departures_confirmed", record, details={
            "left": record.left_count, "current": counts["current"]})
    _apply_counts(record, storage.merge(record, staging, tally.margins(), counts))
    record.status, record.committed_at, record.preview_rows = "committed", utcnow(), []
    audit.record("register_import", record, details=_counts(record))
    return record


def _hold(record: RegisterImport, current: int) -> RegisterImport:
    record.message = departure_question(record, current)
    audit.record("register_departures_held", record, details={
        "left": record.left_count, "current": current})
    return record


def _reject(record: RegisterImport) -> RegisterImport:
    record.status, record.preview_rows = "rejected", []
    record.message = (
        f"Afgewezen: {record.error_rows} van {record.total_rows} rijen bevatten fouten "
        f"(meer dan {format_percent(record.max_error_share, '#,##0.# %', locale='nl')}). "
        "Er werd niets ingelezen."
    )
    audit.record("register_import_rejected", record, details=_counts(record))
    return record


def _counts(record: RegisterImport) -> dict:
    return {"rows": record.total_rows, "valid": record.valid_rows, "errors": record.error_rows,
            "new": record.new_count, "updated": record.updated_count,
            "moved": record.moved_count, "left": record.left_count,
            "legal_basis": record.legal_basis, "sha256": record.file_sha256}


def import_register_bytes(data: Source, *, filename: str, reference_date: date,
                          legal_basis: str, max_error_share: float = 0.05,
                          minimum_age: int = 16, column_mapping: dict | None = None,
                          street_districts: list | None = None, user_id: int | None = None,
                          chunked: bool | None = None, progress: Progress | None = None,
                          chunk_rows: int = 200_000,
                          confirm_departures: bool = False) -> RegisterImport:
    """Parse and store in one go (CLI, demo, benchmark); ``data`` is bytes or a path."""
    record = start_import(data, filename=filename, reference_date=reference_date,
                          legal_basis=legal_basis, max_error_share=max_error_share,
                          minimum_age=minimum_age, user_id=user_id,
                          column_mapping=column_mapping, street_districts=street_districts)
    chunked = use_chunks(data) if chunked is None else chunked
    return commit_import(record, data, chunked=chunked, progress=progress, chunk_rows=chunk_rows,
                         confirm_departures=confirm_departures)


def latest_import() -> RegisterImport | None:
    return db.session.scalar(
        sa.select(RegisterImport).where(RegisterImport.status == "committed")
        .order_by(RegisterImport.reference_date.desc(), RegisterImport.id.desc()).limit(1)
    )


def frame_size() -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Resident).where(Resident.in_frame)
    ) or 0


__all__ = ["MAX_STORED_PROBLEMS", "ImportRefusedError", "RegisterFileError",
           "import_register_bytes"]
