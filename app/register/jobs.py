"""Background steps of a register import: preview (parse, count) and commit (store)."""

from pathlib import Path

from flask import current_app

from app import jobs
from app.extensions import db
from app.models import Job, RegisterImport
from app.register import services
from sampling.errors import RegisterFileError

PREVIEW_ROWS = 10
PREVIEW_COLUMNS = ("line", "last_name", "first_name", "sex", "birth_date", "street",
                   "house_number", "box", "postcode", "district", "age_band",
                   "nationality_group", "household_size")


def upload_path(record_id: int) -> Path:
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder / f"register-{record_id}.upload"


def save_upload(record: RegisterImport, data: bytes) -> None:
    path = upload_path(record.id)
    path.write_bytes(data)
    path.chmod(0o600)


def discard_upload(record: RegisterImport) -> None:
    upload_path(record.id).unlink(missing_ok=True)
    record.preview_rows = []


def _parse(record: RegisterImport) -> services.ParsedRegister:
    data = upload_path(record.id).read_bytes()
    return services.parse(data, reference_date=record.reference_date, filename=record.filename,
                          column_mapping=record.column_mapping or None,
                          minimum_age=record.minimum_age)


@jobs.handler("register_preview")
def preview(job: Job, *, import_id: int) -> dict:
    record = db.session.get(RegisterImport, import_id)
    try:
        parsed = _parse(record)
    except RegisterFileError as error:
        record.message = str(error)
        return {"ok": False}
    services.summarise(record, parsed)
    record.message = None
    sample = parsed.frame.sort_values("line").head(PREVIEW_ROWS)
    record.preview_rows = [
        {column: (str(value.date()) if column == "birth_date" else value)
         for column, value in zip(PREVIEW_COLUMNS, row, strict=True)}
        for row in sample[list(PREVIEW_COLUMNS)].itertuples(index=False, name=None)
    ]
    return {"ok": True}


@jobs.handler("register_commit")
def commit(job: Job, *, import_id: int) -> dict:
    record = db.session.get(RegisterImport, import_id)
    if record.status != "preview":
        return {"ok": record.status == "committed"}  # already done: never import twice
    parsed = _parse(record)
    services.commit_import(record, parsed)
    discard_upload(record)
    return {"ok": record.status == "committed"}
