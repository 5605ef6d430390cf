"""Shared set-up for the jury tests: a study, the sample register and a small pool."""

import itertools

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.juries import ceremony, services
from app.models import AuditEvent, Jury, Resident
from tests.web.privacy.test_privacy_study import make_study
from tests.web.register.test_register_import import SAMPLE, do_import

LETTERS = {"LETTER_SENDER": "Stad Zennegem|Markt 1|1500 Zennegem",
           "LETTER_PHONE": "02 123 45 67", "LETTER_EMAIL": "jury@zennegem.be",
           "LETTER_SIGNATURE": "De burgemeester", "CONTROLLER_NAME": "Stad Zennegem",
           "DPO_CONTACT": "dpo@zennegem.be"}
EDUCATION = ["Lager", "Secundair", "Hoger"]


@pytest.fixture
def app_config() -> dict:
    return dict(LETTERS)


@pytest.fixture
def register_loaded(app):
    study = make_study()
    do_import(SAMPLE.read_bytes())
    return study


def make_jury(study=None, *, panel_size: int = 6, one_per_household: bool = False):
    values = services.JuryValues(
        "Burgerjury 2027", "Advies over de burgerbegroting.", panel_size,
        study.id if study else None, one_per_household,
        services.parse_self_features("Opleiding: " + ", ".join(EDUCATION)))
    jury = services.create_jury(values, user_id=None)
    db.session.commit()
    return jury


def fill_pool(jury, size: int = 30) -> list:
    """``size`` residents from the register join the pool, education cycling over 3 values."""
    residents = db.session.scalars(sa.select(Resident).order_by(Resident.id)).all()
    added, education = [], itertools.cycle(EDUCATION)
    for resident in residents:
        if len(added) == size:
            break
        try:
            with db.session.begin_nested():
                added.append(services.add_candidate(jury, resident, source="upload",
                                                    answers={"opleiding": next(education)}))
        except services.JuryError:
            continue
    db.session.commit()
    return added


def simple_quotas(jury, **bounds) -> list[dict]:
    """Default rows (0..panel size), with ``sex_V=(2, 4)``-style overrides."""
    rows = services.default_quotas(jury)
    for row in rows:
        key = f"{row['feature']}_{row['value']}"
        if key in bounds:
            row["min"], row["max"] = bounds[key]
    return rows


def drawn_jury(study, *, size: int = 30, seed: int = 2027) -> Jury:
    jury = make_jury(study)
    fill_pool(jury, size)
    assert services.save_quotas(jury, simple_quotas(jury, sex_F=(3, 3), sex_M=(3, 3),
                                                    opleiding_Hoger=(2, 6))).feasible
    record = ceremony.publish(jury, size=1000, user_id=None)
    db.session.commit()
    ceremony.draw(record, seed=seed, user_id=None)
    db.session.commit()
    return jury


def actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def quota_data(jury, **bounds) -> dict:
    """The quota form's fields for the default rows with ``sex_F=(3, 3)``-style overrides."""
    data = {}
    for index, row in enumerate(simple_quotas(jury, **bounds)):
        data[f"min_{index}"], data[f"max_{index}"] = row["min"], row["max"]
    return data
