"""Register import: parse with ``sampling.register``, then store atomically.

The raw national number lives only in memory during the import: it is replaced by
``person_key`` (HMAC-SHA256 under ``PERSON_KEY_SECRET``) before anything touches the database.
Everything an import writes (residents, frame changes, margins, the import's own status) happens
in the caller's single transaction; an exception anywhere leaves the database as it was.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd
import sqlalchemy as sa
from flask import current_app

from app import audit
from app.extensions import db
from app.models import RegisterImport, Resident, utcnow
from app.register import storage
from sampling import register as parser
from sampling.errors import RegisterFileError

MAX_STORED_PROBLEMS = 20_000


class ImportRefusedError(ValueError):
    """The import cannot start or was rejected; the message is Dutch and safe to show."""


@dataclass
class ParsedRegister:
    frame: pd.DataFrame  # person_key instead of national_number
    result: parser.RegisterParseResult


def require_legal_basis(legal_basis: str | None) -> str:
    text = (legal_basis or "").strip()
    if len(text) < 5:
        raise ImportRefusedError(
            "Vermeld de rechtsgrond: de referentie van het raads- of collegebesluit dat het doel "
            "van dit onderzoek vastlegt. Zonder rechtsgrond start de import niet."
        )
    return text


def parse(data: bytes, *, reference_date: date, filename: str,
          column_mapping: dict | None = None, minimum_age: int = 16) -> ParsedRegister:
    """Parse and validate; raises ``RegisterFileError`` for unusable files."""
    result = parser.read_register(data, reference_date=reference_date, filename=filename,
                                  column_mapping=column_mapping, minimum_age=minimum_age)
    return ParsedRegister(frame=_pseudonymise(result.frame), result=result)


def _pseudonymise(frame: pd.DataFrame) -> pd.DataFrame:
    secret = current_app.config["PERSON_KEY_SECRET"].encode()
    frame = frame.copy()
    frame["person_key"] = parser.person_keys(frame["national_number"], secret)
    return frame.drop(columns=["national_number"])


def start_import(data: bytes, *, filename: str, reference_date: date, legal_basis: str,
                 max_error_share: float = 0.05, minimum_age: int = 16,
                 user_id: int | None = None) -> RegisterImport:
    """Create the import record (status ``preview``); the caller commits."""
    record = RegisterImport(
        filename=filename[:255], file_sha256=hashlib.sha256(data).hexdigest(),
        reference_date=reference_date, legal_basis=require_legal_basis(legal_basis),
        max_error_share=max_error_share, minimum_age=minimum_age, created_by_id=user_id,
        status="preview",
    )
    db.session.add(record)
    db.session.flush()
    return record


def summarise(record: RegisterImport, parsed: ParsedRegister) -> None:
    """Fill counts and problems on the import record from a parse (no resident is written)."""
    result = parsed.result
    record.total_rows = result.total_rows
    record.valid_rows = len(parsed.frame)
    record.error_rows = result.error_rows
    record.warning_count = result.warning_count
    record.column_mapping = result.column_mapping
    record.problems = [_problem_dict(problem) for problem in result.errors[:MAX_STORED_PROBLEMS]]
    changes = storage.preview_changes(parsed.frame)
    record.new_count, record.updated_count = changes["new"], changes["updated"]
    record.moved_count, record.left_count = changes["moved"], changes["left"]
    record.unchanged_count, record.rejoined_count = changes["unchanged"], changes["rejoined"]


def _problem_dict(problem) -> dict:
    return {"line": problem.line, "column": problem.column, "value": problem.value,
            "message": problem.message, "severity": problem.severity}


def too_many_errors(record: RegisterImport) -> bool:
    if record.total_rows == 0:
        return True
    return record.error_rows / record.total_rows > record.max_error_share


def commit_import(record: RegisterImport, parsed: ParsedRegister) -> RegisterImport:
    """Write the valid rows (or reject the file by policy); one transaction, caller commits."""
    if record.status != "preview":
        raise ImportRefusedError("Deze import is al afgehandeld.")
    summarise(record, parsed)
    if too_many_errors(record):
        record.status = "rejected"
        record.message = (
            f"Afgewezen: {record.error_rows} van {record.total_rows} rijen bevatten fouten "
            f"(meer dan {record.max_error_share:.0%}). Er werd niets ingelezen."
        )
        audit.record("register_import_rejected", record, details=_counts(record))
        return record
    counts = storage.apply(record, parsed.frame)
    record.new_count, record.updated_count = counts["new"], counts["updated"]
    record.moved_count, record.left_count = counts["moved"], counts["left"]
    record.unchanged_count, record.rejoined_count = counts["unchanged"], counts["rejoined"]
    record.status, record.committed_at = "committed", utcnow()
    audit.record("register_import", record, details=_counts(record))
    return record


def _counts(record: RegisterImport) -> dict:
    return {"rows": record.total_rows, "valid": record.valid_rows, "errors": record.error_rows,
            "new": record.new_count, "updated": record.updated_count,
            "moved": record.moved_count, "left": record.left_count,
            "legal_basis": record.legal_basis, "sha256": record.file_sha256}


def import_register_bytes(data: bytes, *, filename: str, reference_date: date, legal_basis: str,
                          max_error_share: float = 0.05, minimum_age: int = 16,
                          column_mapping: dict | None = None,
                          user_id: int | None = None) -> RegisterImport:
    """Parse and store in one go (CLI, demo, background job); the caller commits."""
    record = start_import(data, filename=filename, reference_date=reference_date,
                          legal_basis=legal_basis, max_error_share=max_error_share,
                          minimum_age=minimum_age, user_id=user_id)
    parsed = parse(data, reference_date=reference_date, filename=filename,
                   column_mapping=column_mapping, minimum_age=minimum_age)
    return commit_import(record, parsed)


def latest_import() -> RegisterImport | None:
    return db.session.scalar(
        sa.select(RegisterImport).where(RegisterImport.status == "committed")
        .order_by(RegisterImport.reference_date.desc(), RegisterImport.id.desc()).limit(1)
    )


def frame_size() -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Resident).where(Resident.in_frame)
    ) or 0


def problems_table(record: RegisterImport) -> Iterable[dict]:
    return record.problems or []


__all__ = ["ImportRefusedError", "RegisterFileError", "import_register_bytes"]
