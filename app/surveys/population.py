"""Which register a survey's population came from, and its people's register data at the time.

Re-imports update residents in place (so panel links survive moves) and add margins of their
own, so a survey is pinned to one register import: its ``register_import_id`` is set when it is
first assigned, and each assignment keeps the person's age band, sex, district, nationality
group and household size of that moment. Weighting then uses that import's margins and those
cells, whatever was imported since, unless the researcher explicitly chooses the latest import
(with the residents' current data, which is that import's).
"""

import sqlalchemy as sa

from app.extensions import db
from app.models import Assignment, Member, RegisterImport, Resident, Selection, Survey

COVARIATES = ("age_band", "sex", "district", "nationality_group", "household_size")


def latest_import() -> RegisterImport | None:
    return db.session.scalar(
        sa.select(RegisterImport).where(RegisterImport.status == "committed")
        .order_by(RegisterImport.reference_date.desc(), RegisterImport.id.desc()).limit(1))


def pin(survey: Survey, import_id: int | None = None) -> None:
    """Pin the survey to ``import_id`` (default: the latest import) unless already pinned."""
    if survey.register_import_id is None:
        source = import_id or getattr(latest_import(), "id", None)
        survey.register_import_id = source


def survey_import(survey: Survey) -> RegisterImport | None:
    """The register import the survey's population came from (pinned on first use)."""
    if survey.register_import_id is None:
        pin(survey)
    return db.session.get(RegisterImport, survey.register_import_id) if (
        survey.register_import_id) else None


def import_choices(survey: Survey) -> list[RegisterImport]:
    """The survey's own import and, when newer, the latest one (explicit choice only)."""
    own, latest = survey_import(survey), latest_import()
    return [item for item in (own, latest if latest is not own else None) if item is not None]


def uses_own_register(survey: Survey, import_id: int | None) -> bool:
    return import_id is None or import_id == survey.register_import_id


def snapshot_assignments(survey: Survey) -> None:
    """Copy the register data of newly assigned people onto their assignments (set-based)."""
    assignments = Assignment.__table__
    for owner, key in ((Member, assignments.c.member_id), (Selection, assignments.c.selection_id)):
        values = {name: sa.select(getattr(Resident, name)).where(
            Resident.id == owner.resident_id, owner.id == key).scalar_subquery()
            for name in COVARIATES}
        db.session.execute(assignments.update().where(
            assignments.c.survey_id == survey.id, key.is_not(None),
            assignments.c.age_band.is_(None)).values(**values))
