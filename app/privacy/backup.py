"""Backup and restore of the whole database.

SQLite: the sqlite3 online backup API (a consistent copy while the app runs, WAL included).
PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore`` (both must be on PATH).
Restore only into an empty database, unless ``force`` is given.
"""

import hashlib
import shutil
import sqlite3
import subprocess
from pathlib import Path

import sqlalchemy as sa

from app.extensions import db


class BackupError(RuntimeError):
    """A backup or restore could not be made; the message says why."""


def _dialect() -> str:
    return db.engine.dialect.name


def _sqlite_path() -> Path:
    database = db.engine.url.database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(database)


def _libpq_url() -> str:
    return db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not on PATH; install the PostgreSQL client tools.")
    return path


def backup(target: Path) -> None:
    """Write a full copy of the configured database to ``target``."""
    db.session.remove()
    if _dialect() == "sqlite":
        source = sqlite3.connect(_sqlite_path())
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
            source.close()
        return
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target),
          _libpq_url()])


def restore(source: Path, *, force: bool = False) -> None:
    """Replace the configured (empty) database with the backup at ``source``."""
    if not source.exists():
        raise BackupError(f"{source} does not exist.")
    if not force and not is_empty():
        raise BackupError("The target database is not empty; restore into an empty database "
                          "or pass --force to overwrite it.")
    db.session.remove()
    db.engine.dispose()
    if _dialect() == "sqlite":
        backup_file = sqlite3.connect(source)
        destination = sqlite3.connect(_sqlite_path())
        try:
            backup_file.backup(destination)
        finally:
            destination.close()
            backup_file.close()
        return
    options = ["--clean", "--if-exists"] if force else []
    _run([_tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction",
          *options, "--dbname", _libpq_url(), str(source)])


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=3600)
    if result.returncode != 0:
        raise BackupError(result.stderr.strip()[-2000:] or f"{command[0]} failed")


def is_empty() -> bool:
    """True when the database has no tables, or only empty ones."""
    inspector = sa.inspect(db.engine)
    with db.engine.connect() as connection:
        for name in inspector.get_table_names():
            if connection.execute(sa.text(f'SELECT 1 FROM "{name}" LIMIT 1')).first():
                return False
    return True


def fingerprint() -> dict[str, tuple[int, str]]:
    """Per table: (row count, sha256 of its rows in primary-key order)."""
    inspector = sa.inspect(db.engine)
    metadata = sa.MetaData()
    result = {}
    with db.engine.connect() as connection:
        for name in sorted(inspector.get_table_names()):
            table = sa.Table(name, metadata, autoload_with=connection)
            order = list(table.primary_key.columns) or list(table.columns)
            digest, count = hashlib.sha256(), 0
            for row in connection.execute(sa.select(table).order_by(*order)):
                digest.update(repr(tuple(row)).encode())
                count += 1
            result[name] = (count, digest.hexdigest())
    return result
