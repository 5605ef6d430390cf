"""Set-based storage of a parsed register through a temporary staging table.

Rows are bulk-loaded into ``register_staging`` (COPY on PostgreSQL, executemany on SQLite), frame
by frame, so a chunked import never holds the whole file. They are then merged into ``residents``
with a few set-based statements: insert new people, update people in place (so panel links
survive moves), take people who left out of the frame, and count the margins. All of it runs on
the session's connection, inside the caller's transaction.
"""

from collections.abc import Iterable

import pandas as pd
import sqlalchemy as sa

from app.extensions import db
from app.models import Margin, RegisterImport, Resident

COLUMNS = ("person_key", "last_name", "first_name", "sex", "birth_date", "street",
           "house_number", "box", "postcode", "municipality", "district", "age_band",
           "nationality", "nationality_group", "household_id", "household_size")
ADDRESS = ("street", "house_number", "box", "postcode")
OTHER = tuple(c for c in COLUMNS if c not in ADDRESS + ("person_key",))
BATCH_ROWS = 50_000
SQLITE_CACHE_KIB = 256 * 1024


def _staging_table() -> sa.Table:
    metadata = sa.MetaData()
    types = {"birth_date": sa.Date(), "household_size": sa.Integer()}
    return sa.Table(
        "register_staging", metadata,
        *[sa.Column(name, types.get(name, sa.String(200))) for name in COLUMNS],
        prefixes=["TEMPORARY"],
    )


def stage(frames: Iterable[pd.DataFrame]) -> sa.Table:
    """Load frames (with ``person_key``, never a national number) into the staging table."""
    connection = db.session.connection()
    staging = _staging_table()
    staging.drop(connection, checkfirst=True)
    _tune(connection, staging)
    staging.create(connection)
    for frame in frames:
        for start in range(0, len(frame), BATCH_ROWS):
            _load(connection, frame.iloc[start:start + BATCH_ROWS])
    return staging


def _tune(connection, staging: sa.Table) -> None:
    """On SQLite, a large page cache for the import (restored by :func:`drop`)."""
    if connection.dialect.name != "sqlite":
        return
    staging.info["cache_size"] = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")


def _rows(frame: pd.DataFrame) -> list[tuple]:
    """Rows as tuples of plain Python values (``None`` for missing); dates as ISO text."""
    columns = []
    for name in COLUMNS:
        series = frame[name] if name in frame else pd.Series(None, index=frame.index)
        if name == "birth_date":
            series = pd.to_datetime(series).dt.strftime("%Y-%m-%d")
        if name == "household_size":
            columns.append(series.fillna(1).astype(int).tolist())
            continue
        columns.append(series.astype(object).where(series.notna(), None).tolist())
    return list(zip(*columns, strict=True))


def _load(connection, frame: pd.DataFrame) -> None:
    rows = _rows(frame)
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(
            f"COPY register_staging ({', '.join(COLUMNS)}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join("?" for _ in COLUMNS)
    connection.exec_driver_sql(f"INSERT INTO register_staging VALUES ({placeholders})", rows)


def _differs(left, right, columns) -> sa.ColumnElement:
    return sa.or_(*[sa.func.coalesce(left.c[c], "") != sa.func.coalesce(right.c[c], "")
                    if c not in ("household_size", "birth_date")
                    else left.c[c].is_distinct_from(right.c[c]) for c in columns])


def count_changes(staging: sa.Table) -> dict[str, int]:
    """New / moved / updated / unchanged / rejoined / left counts, before anything is written."""
    residents = Resident.__table__
    joined = staging.join(residents, residents.c.person_key == staging.c.person_key)
    moved = _differs(staging, residents, ADDRESS)
    other = _differs(staging, residents, OTHER)
    matched = sa.select(
        sa.func.count(),
        sa.func.sum(sa.case((moved, 1), else_=0)),
        sa.func.sum(sa.case((~moved & other, 1), else_=0)),
        sa.func.sum(sa.case((residents.c.in_frame.is_(False), 1), else_=0)),
    ).select_from(joined)
    connection = db.session.connection()
    total, moved_count, updated, rejoined = connection.execute(matched).one()
    staged = connection.scalar(sa.select(sa.func.count()).select_from(staging))
    moved_count, updated, rejoined = moved_count or 0, updated or 0, rejoined or 0
    in_frame = connection.scalar(sa.select(sa.func.count()).select_from(residents).where(
        residents.c.in_frame.is_(True)))
    left = in_frame - (total - rejoined)
    return {"new": staged - total, "moved": moved_count, "updated": updated,
            "unchanged": total - moved_count - updated, "rejoined": rejoined, "left": left,
            "current": in_frame}


def drop(staging: sa.Table) -> None:
    connection = db.session.connection()
    staging.drop(connection)
    if "cache_size" in staging.info:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(staging.info['cache_size'])}")


def preview_changes(frame: pd.DataFrame | Iterable[pd.DataFrame]) -> dict[str, int]:
    staging = stage([frame] if isinstance(frame, pd.DataFrame) else frame)
    counts = count_changes(staging)
    drop(staging)
    return counts


def apply(record: RegisterImport, frame: pd.DataFrame | Iterable[pd.DataFrame]) -> dict:
    """Stage the frame(s) and merge them into the residents; returns the change counts."""
    staging = stage([frame] if isinstance(frame, pd.DataFrame) else frame)
    return merge(record, staging)


def merge(record: RegisterImport, staging: sa.Table, margins: list[dict] | None = None,
          counts: dict | None = None) -> dict:
    """Merge the staged rows into ``residents`` and store the margins; drops the staging.

    ``margins`` (counted while staging) saves a grouping query over the staging table, and
    ``counts`` (from :func:`count_changes` on the same staging) a second count.
    """
    counts = counts or count_changes(staging)
    connection = db.session.connection()
    residents = Resident.__table__
    _update_existing(connection, staging, residents, record)
    _insert_new(connection, staging, residents, record)
    connection.execute(
        residents.update()
        .where(residents.c.in_frame.is_(True), residents.c.last_import_id != record.id)
        .values(in_frame=False, left_frame_on=record.reference_date)
    )
    _store_margins(connection, staging, record, margins)
    drop(staging)
    return counts


def _update_existing(connection, staging, residents, record) -> None:
    """Rewrite the people whose data changed; only mark the others as seen in this import.

    An erased person (Art. 17) is never refilled: they leave the frame.
    """
    values = {name: staging.c[name] for name in COLUMNS if name != "person_key"}
    match = (residents.c.person_key == staging.c.person_key, residents.c.erased_at.is_(None))
    changed = sa.or_(_differs(staging, residents, COLUMNS[1:]), residents.c.in_frame.is_(False),
                     residents.c.left_frame_on.is_not(None))
    connection.execute(
        residents.update().where(*match, changed)
        .values(**values, in_frame=True, left_frame_on=None, last_import_id=record.id))
    connection.execute(
        residents.update().where(*match, residents.c.last_import_id != record.id)
        .values(last_import_id=record.id))


def _insert_new(connection, staging, residents, record) -> None:
    names = list(COLUMNS)
    select = sa.select(
        *[staging.c[name] for name in names],
        sa.literal(True), sa.literal(record.id), sa.literal(record.id),
    ).where(~sa.exists().where(residents.c.person_key == staging.c.person_key))
    connection.execute(residents.insert().from_select(
        [*names, "in_frame", "first_import_id", "last_import_id"], select))


def _store_margins(connection, staging, record, margins=None) -> None:
    if margins is not None:
        if margins:
            connection.execute(Margin.__table__.insert(),
                               [{"import_id": record.id, **margin} for margin in margins])
        return
    group = [staging.c.age_band, staging.c.sex, staging.c.district, staging.c.nationality_group]
    select = sa.select(sa.literal(record.id), *group, sa.func.count()).group_by(*group)
    connection.execute(Margin.__table__.insert().from_select(
        ["import_id", "age_band", "sex", "district", "nationality_group", "count"], select))
