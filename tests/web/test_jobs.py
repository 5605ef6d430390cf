import os

import pytest
import sqlalchemy as sa

from app import jobs
from app.extensions import db
from app.models import Job

CALLS: list[int] = []


@jobs.handler("test_count")
def count_job(job: Job, *, upto: int) -> dict:
    for step in range(upto):
        jobs.report_progress(job, step + 1, upto)
    CALLS.append(job.id)
    return {"counted": upto}


@jobs.handler("test_fail")
def failing_job(job: Job) -> dict:
    raise ValueError("kapot")


def test_inline_job_runs_and_records_progress(app):
    CALLS.clear()
    job = jobs.create_job("test_count", {"upto": 3})
    db.session.commit()
    jobs.dispatch(job.id)
    db.session.refresh(job)
    assert (job.status, job.progress, job.total, job.result) == ("done", 3, 3, {"counted": 3})
    assert [job.id] == CALLS


def test_a_finished_job_is_never_repeated(app):
    CALLS.clear()
    job = jobs.create_job("test_count", {"upto": 1})
    db.session.commit()
    jobs.run_job(job.id)
    jobs.run_job(job.id)
    assert [job.id] == CALLS


def test_idempotency_key_returns_the_same_job(app):
    first = jobs.create_job("test_count", {"upto": 1}, key="import:abc")
    second = jobs.create_job("test_count", {"upto": 1}, key="import:abc")
    assert first.id == second.id


def test_failed_job_keeps_its_error(app):
    job = jobs.create_job("test_fail", {})
    db.session.commit()
    jobs.run_job(job.id)
    db.session.refresh(job)
    assert job.status == "failed" and "kapot" in job.error


def test_resume_restarts_jobs_left_running(app):
    CALLS.clear()
    job = jobs.create_job("test_count", {"upto": 2})
    job.status = "running"  # as if the process died mid-job
    db.session.commit()
    assert jobs.resume_unfinished() == [job.id]
    db.session.refresh(job)
    assert job.status == "done" and [job.id] == CALLS


class TestRedisQueue:
    @pytest.fixture
    def app_config(self):
        return {"REDIS_URL": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
                "JOBS_INLINE": False}

    def test_job_runs_on_an_rq_worker(self, app):
        from redis import Redis
        from rq import Queue, SimpleWorker

        connection = Redis.from_url(app.config["REDIS_URL"])
        queue = Queue(jobs.QUEUE_NAME, connection=connection)
        queue.empty()
        CALLS.clear()
        job = jobs.create_job("test_count", {"upto": 4})
        db.session.commit()
        jobs.dispatch(job.id)
        assert queue.count == 1
        assert db.session.scalar(sa.select(Job.status).where(Job.id == job.id)) == "queued"
        SimpleWorker([queue], connection=connection).work(burst=True)
        db.session.expire_all()
        assert db.session.get(Job, job.id).status == "done"
        assert [job.id] == CALLS
