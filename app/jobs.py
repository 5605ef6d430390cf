"""Background jobs: RQ on Redis when ``REDIS_URL`` is set, in-process otherwise.

The job's state lives in the ``jobs`` table, so the UI can show progress and a restart never
loses work. A running job records its process (``worker`` = host:pid) and a heartbeat; when
that process is gone (same host) or its heartbeat is older than ``JOB_STALE_MINUTES`` (another
host), the job is ``interrupted`` and its kind's clean-up hook runs (a register import deletes
its upload). ``flask jobs resume`` re-queues queued and interrupted jobs that can resume.
Handlers must be idempotent (they may run again after a crash).
"""

import os
import socket
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app

from app.extensions import db
from app.models import Job, utcnow

HANDLERS: dict[str, Callable[..., dict | None]] = {}
# kind -> called with the job when it failed, was interrupted or cancelled (in the caller's
# transaction); kind -> whether an interrupted job can simply be dispatched again.
ENDED_HOOKS: dict[str, Callable[[Job], None]] = {}
RESUMABLE: dict[str, Callable[[Job], bool]] = {}
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
        _queue(app).enqueue("app.worker.run_job", job_id, job_timeout=4 * 3600)
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
    job = db.session.get(Job, job_id)
    if job is None or job.status in ("done", "cancelled"):
        return None
    job.status, job.started_at, job.attempts = "running", utcnow(), job.attempts + 1
    job.worker, job.heartbeat_at = this_worker(), utcnow()
    db.session.commit()
    beating = _heartbeat(current_app._get_current_object(), job_id)
    try:
        result = HANDLERS[job.kind](job, **job.params) or {}
    except Exception as error:  # noqa: BLE001 - recorded for the UI, then re-raised for logs
        db.session.rollback()
        _finish(job_id, "failed", error=str(error)[:2000])
        current_app.logger.exception("Job %s (%s) failed", job_id, job.kind)
        return None
    finally:
        beating.set()
    db.session.commit()
    _finish(job_id, "done", result=result)
    return None


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _heartbeat(app: Flask, job_id: int) -> threading.Event:
    """Write ``heartbeat_at`` every ``JOB_HEARTBEAT_SECONDS`` until the returned event is set."""
    stop = threading.Event()
    interval = float(app.config.get("JOB_HEARTBEAT_SECONDS", 15))

    def beat() -> None:
        while not stop.wait(interval):
            try:
                with app.app_context(), db.engine.begin() as connection:
                    connection.execute(sa.update(Job).where(Job.id == job_id)
                                       .values(heartbeat_at=utcnow()))
            except Exception:  # noqa: BLE001, S110 - a busy database only delays the beat
                pass

    threading.Thread(target=beat, daemon=True, name=f"job-{job_id}-heartbeat").start()
    return stop


def _finish(job_id: int, status: str, *, result: dict | None = None,
            error: str | None = None) -> None:
    job = db.session.get(Job, job_id)
    job.status, job.finished_at, job.error = status, utcnow(), error
    if result is not None:
        job.result = result
        job.progress = job.total or job.progress
    if status == "failed" and job.kind in ENDED_HOOKS:
        ENDED_HOOKS[job.kind](job)
    db.session.commit()


def report_progress(job: Job, done: int, total: int) -> None:
    """Write progress on its own connection so the job's own transaction stays open."""
    with db.engine.begin() as connection:
        connection.execute(
            sa.update(Job).where(Job.id == job.id)
            .values(progress=done, total=total, heartbeat_at=utcnow())
        )


def is_dead(job: Job, *, now=None) -> bool:
    """Whether a running job's process is gone: checked directly on this host, else by heartbeat."""
    if job.status != "running":
        return False
    if job.worker is None:
        return True  # started before workers were recorded: that process is long gone
    host, _, pid = job.worker.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        return not _process_alive(int(pid))
    beat = job.heartbeat_at or job.started_at or job.created_at
    beat = beat if beat.tzinfo else beat.replace(tzinfo=utcnow().tzinfo)
    stale = timedelta(minutes=float(current_app.config.get("JOB_STALE_MINUTES", 10)))
    return (now or utcnow()) - beat > stale


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def mark_interrupted() -> list[int]:
    """Mark running jobs whose process died as ``interrupted`` and clean up; the caller commits."""
    interrupted = []
    for job in db.session.scalars(sa.select(Job).where(Job.status == "running")).all():
        if refresh(job).status == "interrupted":
            current_app.logger.warning("Job %s (%s) interrupted: worker %s gone", job.id,
                                       job.kind, job.worker)
            interrupted.append(job.id)
    return interrupted


def refresh(job: Job | None) -> Job | None:
    """Mark ``job`` interrupted when its process died (the caller commits); returns it."""
    if job is not None and is_dead(job):
        job.status, job.finished_at = "interrupted", utcnow()
        job.error = "Het proces dat deze taak uitvoerde, is gestopt."
        if job.kind in ENDED_HOOKS:
            ENDED_HOOKS[job.kind](job)
    return job


def can_resume(job: Job) -> bool:
    return job.status == "interrupted" and RESUMABLE.get(job.kind, lambda _job: True)(job)


def resume(job: Job) -> None:
    """Queue an interrupted job again (the caller commits, then calls :func:`dispatch`)."""
    job.status, job.error, job.finished_at = "queued", None, None


def cancel(job: Job) -> None:
    """Give up an interrupted or queued job; its clean-up hook runs (the caller commits)."""
    job.status, job.finished_at = "cancelled", utcnow()
    if job.kind in ENDED_HOOKS:
        ENDED_HOOKS[job.kind](job)


def resume_unfinished() -> list[int]:
    """Re-dispatch queued jobs and interrupted ones that can resume (``flask jobs resume``)."""
    mark_interrupted()
    for job in db.session.scalars(sa.select(Job).where(Job.status == "interrupted")):
        if can_resume(job):
            resume(job)
    db.session.commit()
    ids = list(db.session.scalars(
        sa.select(Job.id).where(Job.status == "queued").order_by(Job.id)))
    for job_id in ids:
        dispatch(job_id)
    return ids

