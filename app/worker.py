"""The entry point an RQ worker runs for a background job (``app.worker.run_job``).

``flask worker`` runs jobs inside its application context; a worker started another way (plain
``rq worker``) has none, so the application is built first. Kept apart from ``app/jobs.py`` so
that the job machinery never imports the application factory that imports it.
"""

from flask import has_app_context

from app import create_app, jobs


def run_job(job_id: int) -> None:
    """Run one queued job, in the current application context or in a fresh application."""
    if has_app_context():
        jobs.run_job(job_id)
        return
    with create_app().app_context():
        jobs.run_job(job_id)
