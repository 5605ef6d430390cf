"""Background job: the paper batch PDF of a survey, with a fresh code per paper respondent."""

from pathlib import Path

from flask import current_app

from app import audit, jobs
from app.extensions import db
from app.models import Job, Survey
from app.surveys import distribution, versions
from app.surveys.paper import render_paper_batch


def batch_path(job_id: int) -> Path:
    folder = Path(current_app.instance_path) / "surveys"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder / f"paper-batch-{job_id}.pdf"


@jobs.handler("survey_paper_batch")
def paper_batch(job: Job, *, survey_id: int, only_new: bool = True) -> dict:
    """Issue codes for the paper assignments and render them into one PDF (codes only there)."""
    survey = db.session.get(Survey, survey_id)
    definition = versions.definition_of(survey)
    issued = distribution.issue_paper_codes(survey, only_new=only_new)
    respondents = [(code, assignment.language if assignment.language in definition.languages
                    else "nl") for assignment, code in issued]
    data = render_paper_batch(definition, respondents)
    path = batch_path(job.id)
    path.write_bytes(data)
    path.chmod(0o600)
    audit.record("survey_paper_batch", survey, details={"job": job.id, "count": len(issued),
                                                        "only_new": only_new})
    return {"count": len(issued), "bytes": len(data)}
