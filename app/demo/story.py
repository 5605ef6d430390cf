"""The demo city's story after the register: a panel, a draw, joins, a survey, a report.

Everything goes through the same services staff use, with fixed seeds, so every screen of
``make run`` has something to show.
"""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import sqlalchemy as sa

from app import jobs
from app.draws import services as draws
from app.draws.frame import Exclusions
from app.extensions import db
from app.invitations import joining
from app.invitations import services as invitations
from app.models import Answer, Assignment, Invitation, Panel, Response, Survey
from app.results import reporting, weighting
from app.results.data import invited_frame, respondent_frame
from app.surveys import distribution
from app.surveys import services as surveys
from app.surveys.definition import load_definition

SURVEY_FILE = Path(__file__).parent / "data" / "leven_in_zennegem.json"
JOIN_RATES = {"18-24": 0.09, "25-34": 0.12, "35-44": 0.16, "45-54": 0.19, "55-64": 0.24,
              "65-74": 0.28, "75+": 0.17}
OPINION_WORDS = ["meer groen", "veilige fietspaden", "minder zwerfvuil", "betaalbare woningen",
                 "parkeren in het centrum", "speelpleinen", "de bus rijdt te weinig",
                 "straatverlichting", "lawaai van het verkeer", "hondenpoep op de stoep"]


def tell(*, seed: int, user_id: int, invitation_count: int = 2500) -> list[str]:
    rng = np.random.default_rng(seed)
    panel = Panel(name="Stadspanel Zennegem 2026–2030", target_size=500,
                  strata=["age_band", "sex", "district"],
                  description="Vaste groep van inwoners die tot drie keer per jaar een "
                              "vragenlijst invult.")
    db.session.add(panel)
    db.session.flush()
    draw = draws.run_draw(purpose="recruitment", strata=["age_band", "sex", "district"],
                          n=invitation_count, method="proportional", seed=seed, panel=panel,
                          rules=Exclusions(minimum_age=18), one_per_household=True,
                          user_id=user_id)
    batch = invitations.create_batch(draw, deadline=date.today() + timedelta(days=30),
                                     include_reserves=False,
                                     envelope_profile="DL_LEFT", user_id=user_id)
    members = _joins(batch, rng)
    survey, responses = _survey(panel, rng, user_id)
    report = _report(survey, user_id)
    return [f"Panel '{panel.name}': trekking {draw.id} ({draw.sample_size} uitnodigingen), "
            f"{members} leden.",
            f"Bevraging '{survey.title['nl']}': {responses} antwoorden; rapport {report.id} "
            "gepubliceerd."]


def _joins(batch, rng) -> int:
    joined = 0
    batch_invitations = db.session.scalars(
        sa.select(Invitation).where(Invitation.batch_id == batch.id).order_by(Invitation.id))
    for invitation in batch_invitations:
        band = invitation.selection.resident.age_band
        roll = rng.random()
        if roll < JOIN_RATES.get(band, 0.15):
            email_first = rng.random() < (0.35 if band in ("65-74", "75+") else 0.8)
            choices = joining.JoinChoices(
                consent_version="2026-01", consent_at=datetime.now(UTC) - timedelta(days=20),
                contact_preference="email" if email_first else "paper",
                email=f"lid{invitation.id}@voorbeeld.be" if email_first else None)
            joining.join(invitation, choices, source="demo")
            joined += 1
        elif roll > 0.95:
            joining.decline(invitation, source="demo")
    db.session.flush()
    return joined


def _survey(panel: Panel, rng, user_id: int) -> tuple[Survey, int]:
    survey = surveys.create_survey(SURVEY_FILE.read_text(encoding="utf-8"), user_id=user_id,
                                   panel_id=panel.id)
    surveys.open_survey(survey)
    distribution.assign_panel(survey)
    definition = load_definition(survey.versions[-1].definition)
    count = 0
    now = datetime.now(UTC) - timedelta(days=3)
    for assignment in survey_assignments(survey):
        if rng.random() > 0.72:
            continue
        response = Response(assignment_id=assignment.id, survey_id=survey.id,
                            mode=assignment.channel, status="complete",
                            started_at=now, submitted_at=now + timedelta(minutes=12))
        db.session.add(response)
        db.session.flush()
        db.session.add_all(Answer(response_id=response.id, question_code=question.code,
                                  value=fake_answer(question, rng))
                           for question in definition.questions)
        assignment.status, assignment.completed_at = "completed", response.submitted_at
        count += 1
    db.session.flush()
    return survey, count


def survey_assignments(survey: Survey) -> list[Assignment]:
    return db.session.scalars(sa.select(Assignment).where(Assignment.survey_id == survey.id)
                              .order_by(Assignment.id)).all()


def fake_answer(question, rng: np.random.Generator):
    """A plausible answer of the right type (values skewed towards the middle of scales)."""
    values = list(question.answer_values)
    if question.type in ("single", "likert"):
        weights = np.array([1 + min(i, len(values) - 1 - i) for i in range(len(values))], float)
        return str(rng.choice(values, p=weights / weights.sum()))
    if question.type == "multiple":
        limit = question.settings.get("max_choices") or 3
        size = int(rng.integers(1, min(len(values), limit) + 1))
        return [str(value) for value in rng.choice(values, size=size, replace=False)]
    if question.type == "matrix":
        return {item.code: str(rng.choice(values)) for item in question.items}
    if question.type == "number":
        low, high = question.settings.get("min") or 0, question.settings.get("max") or 10
        return int(rng.integers(int(low), int(high) + 1))
    if question.type == "date":
        return f"2026-0{int(rng.integers(1, 4))}-1{int(rng.integers(0, 9))}"
    return f"{rng.choice(OPINION_WORDS)}, en {rng.choice(OPINION_WORDS)}"


def _report(survey: Survey, user_id: int):
    choice = weighting.WeightingChoice(method="rake", variables=["age_band", "sex", "district"],
                                       trim_lower=0.3, trim_upper=3.0)
    weight_set = weighting.create_weight_set(survey, choice, respondent_frame(survey),
                                             invited_frame(survey), user_id)
    report = reporting.start_report(survey, "pdf", weight_set, user_id)
    db.session.commit()
    jobs.run_job(report.job_id)
    db.session.refresh(report)
    reporting.publish(report, True)
    return report
