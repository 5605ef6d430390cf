"""Background jobs: RQ on Redis when ``REDIS_URL`` is set, in-process otherwise.

The job's state lives in the ``jobs`` table, so the UI can show progress and a restart never
loses work: ``flask jobs resume`` re-queues jobs that were queued or running when a process died.
Handlers must be idempotent (they may run again after a crash).
"""

import threading
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app

from app.extensions import db
from app.models import Job, utcnow

HANDLERS: dict[str, Callable[..., dict | None]] = {}
QUEUE_NAME = "stadspanel"


def handler(kind: str) -> Callable:
    def decorator(function: Callable[..., dict | None]) -> Callable:
        HANDLERS[kind] = function
        return function

    return decorator


def create_job(kind: str, params: dict[str, Any], *, key: str | None = None,
               user_id: int | None = None) -> Job:
    """Add a job (or return the existing one with the same idempotency key); caller commits."""
    if kind not in HANDLERS:
        raise ValueError(f"Unknown job kind: {kind}")
    if key is not None:
        existing = db.session.scalar(sa.select(Job).where(Job.idempotency_key == key))
        if existing is not None:
            return existing
    job = Job(kind=kind, params=params, idempotency_key=key, created_by_id=user_id)
    db.session.add(job)
    db.session.flush()
    return job


def dispatch(job_id: int) -> None:
    """Start a committed job: on Redis if configured, else inline or on a thread."""
    app = current_app._get_current_object()
    if app.config.get("REDIS_URL"):
        _queue(app).enqueue("app.jobs.run_job", job_id, job_timeout=4 * 3600)
    elif app.config.get("JOBS_INLINE"):
        run_job(job_id)
    else:
        threading.Thread(target=_run_in_app, args=(app, job_id), daemon=True).start()


def _run_in_app(app: Flask, job_id: int) -> None:
    with app.app_context():
        run_job(job_id)


def _queue(app: Flask):
    from redis import Redis
    from rq import Queue

    return Queue(QUEUE_NAME, connection=Redis.from_url(app.config["REDIS_URL"]))


def run_job(job_id: int) -> None:
    """Run one job to completion; safe to call twice (a finished job is not repeated)."""
    if not _has_app_context():
        from app import create_app

        with create_app().app_context():
            return run_job(job_id)
    job = db.session.get(Job, job_id)
    if job is None or job.status == "done":
        return None
    job.status, job.started_at, job.attempts = "running", utcnow(), job.attempts + 1
    db.session.commit()
    try:
        result = HANDLERS[job.kind](job, **job.params) or {}
    except Exception as error:  # noqa: BLE001 - recorded for the UI, then re-raised for logs
        db.session.rollback()
        _finish(job_id, "failed", error=str(error)[:2000])
        current_app.logger.exception("Job %s (%s) failed", job_id, job.kind)
        return None
    db.session.commit()
    _finish(job_id, "done", result=result)
    return None


def _finish(job_id: int, status: str, *, result: dict | None = None,
            error: str | None = None) -> None:
    job = db.session.get(Job, job_id)
    job.status, job.finished_at, job.error = status, utcnow(), error
    if result is not None:
        job.result = result
        job.progress = job.total or job.progress
    db.session.commit()


def report_progress(job: Job, done: int, total: int) -> None:
    """Write progress on its own connection so the job's own transaction stays open."""
    with db.engine.begin() as connection:
        connection.execute(
            sa.update(Job).where(Job.id == job.id).values(progress=done, total=total)
        )


def resume_unfinished() -> list[int]:
    """Re-dispatch jobs left queued or running by a stopped process."""
    ids = list(db.session.scalars(
        sa.select(Job.id).where(Job.status.in_(["queued", "running"])).order_by(Job.id)
    ))
    for job_id in ids:
        dispatch(job_id)
    return ids


def _has_app_context() -> bool:
    from flask import has_app_context

    return has_app_context()
