"""Build a survey with members and complete responses directly in the database (for tests)."""

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import sqlalchemy as sa

from app.demo.story import fake_answer
from app.extensions import db
from app.models import Answer, Member, Panel, Resident, Response
from app.surveys import distribution, services
from app.surveys.definition import load_definition

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "surveys" / "leven_in_zennegem.json"
def build_survey_with_responses(members: int = 150, *, seed: int = 1, respond_share=0.8,
                                panel: Panel | None = None, title: str | None = None):
    survey = services.create_survey(EXAMPLE.read_text(encoding="utf-8"))
    if title:
        survey.title = {"nl": title}
    if panel is None:
        panel = _new_panel(members, seed)
    survey.panel_id = panel.id
    distribution.assign_panel(survey)
    definition = load_definition(survey.versions[-1].definition)
    rng = np.random.default_rng(seed)
    now = datetime.now(UTC)
    for assignment in survey_assignments(survey):
        if rng.random() > respond_share:
            continue
        response = Response(assignment_id=assignment.id, survey_id=survey.id, mode="web",
                            status="complete", started_at=now, submitted_at=now)
        db.session.add(response)
        db.session.flush()
        for question in definition.questions:
            db.session.add(Answer(response_id=response.id, question_code=question.code,
                                  value=fake_answer(question, rng)))
    db.session.commit()
    return survey


def _new_panel(members: int, seed: int) -> Panel:
    panel = Panel(name=f"Testpanel {seed}")
    db.session.add(panel)
    db.session.flush()
    residents = db.session.scalars(sa.select(Resident).where(Resident.age_band.not_like("<%"))
                                   .order_by(Resident.id).limit(members)).all()
    now = datetime.now(UTC)
    for index, resident in enumerate(residents):
        db.session.add(Member(panel_id=panel.id, resident_id=resident.id, pseudonym=f"m{index}",
                              consent_text_version="v1", consent_at=now, joined_at=now,
                              contact_preference="email" if index % 3 else "paper"))
    db.session.flush()
    return panel


def survey_assignments(survey):
    from app.models import Assignment

    return db.session.scalars(sa.select(Assignment).where(Assignment.survey_id == survey.id)
                              .order_by(Assignment.id)).all()
