"""The retention purge as a background job (``flask retention run`` does the same inline)."""

from app import jobs
from app.privacy import retention

RETENTION_JOB = "privacy.retention"


@jobs.handler(RETENTION_JOB)
def run_retention(job) -> dict:
    from app.register import uploads

    result = retention.run().as_dict()
    uploads.sweep()  # not part of the report: uploads are files, not rows
    return result
