"""A panel's composition and top-up proposal count only the residents who may join it."""

import sqlalchemy as sa

from app.draws import services
from app.draws.frame import Exclusions
from app.extensions import db
from app.models import Panel, Resident
from tests.web.test_register_import import SAMPLE, do_import


def _panel(minimum_age: int | None, target_size: int = 40) -> Panel:
    panel = Panel(name=f"Panel {minimum_age}", target_size=target_size, strata=["age_band"])
    db.session.add(panel)
    db.session.flush()
    if minimum_age is not None:
        services.run_draw(purpose="recruitment", strata=["age_band"], n=10,
                          method="proportional", seed=3, panel=panel,
                          rules=Exclusions(minimum_age=minimum_age), user_id=None)
    db.session.commit()
    return panel


def _residents(*bands: str) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Resident).where(
        Resident.in_frame, Resident.age_band.in_(bands)))


ADULT_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+")


def test_a_panel_drawn_from_18_sets_targets_on_adults_only(app):
    do_import(SAMPLE.read_bytes(), minimum_age=16)
    table = services.panel_composition(_panel(18))
    assert set(table.stratum) <= set(ADULT_BANDS)
    assert table.population.sum() == _residents(*ADULT_BANDS)
    assert table.target.sum() == 40


def test_without_draws_the_register_minimum_age_applies(app):
    do_import(SAMPLE.read_bytes(), minimum_age=16)
    table = services.panel_composition(_panel(None))
    assert "16-17" in set(table.stratum) and "<16" not in set(table.stratum)
    assert table.population.sum() == _residents("16-17", *ADULT_BANDS)


def test_the_panel_page_shows_shortfalls_and_a_top_up(app, client, login_as):
    do_import(SAMPLE.read_bytes(), minimum_age=16)
    panel = _panel(18)
    login_as("researcher")
    page = client.get(f"/panels/{panel.id}").get_data(as_text=True)
    assert "Tekort" in page and "&lt;16" not in page and "16-17 " not in page
