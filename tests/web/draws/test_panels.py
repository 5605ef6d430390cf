"""A panel's composition and top-up proposal count only the residents who may join it."""

import sqlalchemy as sa

from app.draws import services
from app.draws.frame import Exclusions
from app.extensions import db
from app.models import Panel, Resident
from tests.web.register.test_register_import import SAMPLE, do_import


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


def test_the_proposed_top_up_is_prefilled_previewed_and_drawn_as_proposed(app, client, login_as):
    import re

    from app.models import Draw

    do_import(SAMPLE.read_bytes(), minimum_age=16)
    panel = _panel(18, target_size=8)
    targets = services.topup_targets(panel)
    assert sum(targets.values()) > 0 and set(targets) <= set(ADULT_BANDS)
    login_as("researcher")
    assert f"/trekkingen/nieuw?aanvulling={panel.id}" in client.get(
        f"/panels/{panel.id}").get_data(as_text=True)
    form = client.get(f"/trekkingen/nieuw?aanvulling={panel.id}").get_data(as_text=True)
    assert re.search(r'<option selected value="fixed"|<option value="fixed" selected', form)
    assert "Aanvulling van een panel" in form
    assert f'value="{sum(targets.values())}"' in form and 'name="minimum_age"' in form
    assert re.search(r'name="minimum_age"[^>]*value="18"|value="18"[^>]*name="minimum_age"', form)
    data = {"purpose": "topup", "panel_id": str(panel.id), "strata": ["age_band"],
            "method": "fixed", "sample_size": "1", "response_rate": "15", "minimum": "0",
            "reserve_percent": "0", "minimum_age": "18", "exclude_members": "y",
            "invited_within_months": "12", "seed": "5"}
    preview = client.post("/trekkingen/nieuw", data={**data, "preview": "1"})
    assert preview.status_code == 200, preview.get_data(as_text=True)[:2000]
    response = client.post("/trekkingen/nieuw", data={**data, "submit": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    draw = db.session.scalar(sa.select(Draw).where(Draw.purpose == "topup"))
    assert draw.sample_size == sum(targets.values()) and draw.panel_id == panel.id
    drawn = {row["stratum"]: row["selected"] for row in draw.stratum_table}
    assert {stratum: drawn[stratum] for stratum in targets} == targets


def test_a_top_up_without_a_panel_is_a_clear_error(app, client, login_as):
    do_import(SAMPLE.read_bytes(), minimum_age=16)
    login_as("researcher")
    response = client.post("/trekkingen/nieuw", data={
        "purpose": "topup", "panel_id": "0", "strata": ["age_band"], "method": "fixed",
        "sample_size": "10", "response_rate": "15", "minimum": "0", "reserve_percent": "0",
        "minimum_age": "18", "preview": "1"})
    assert response.status_code == 422
    assert "Kies het panel dat u wilt aanvullen" in response.get_data(as_text=True)


def _make_members(panel: Panel, band: str, *, leave: int) -> None:
    from app.models import Member
    from app.models.base import utcnow

    ids = db.session.scalars(sa.select(Resident.id).where(
        Resident.in_frame, Resident.age_band == band).order_by(Resident.id)).all()
    assert len(ids) > leave
    for number, resident_id in enumerate(ids[leave:]):
        db.session.add(Member(panel_id=panel.id, resident_id=resident_id, stratum=band,
                              pseudonym=f"P-{band}-{number}", consent_text_version="v1",
                              consent_at=utcnow(), joined_at=utcnow(),
                              contact_preference="paper"))
    db.session.commit()


def test_a_top_up_never_asks_for_more_people_than_are_left_to_invite(app, client, login_as):
    do_import(SAMPLE.read_bytes(), minimum_age=16)
    panel = _panel(18, target_size=5000)  # far more than the sample register holds
    _make_members(panel, "25-34", leave=1)  # one resident of 25-34 is left to invite
    proposal = services.topup_proposal(panel)
    left = services.topup_eligible(panel, ["age_band"])
    members = services.panel_composition(panel).set_index("stratum")["members"]
    for row in proposal.itertuples():
        assert row.invitations <= left.get(row.stratum, 0)
        assert left.get(row.stratum, 0) <= _residents(row.stratum) - members.get(row.stratum, 0)
    assert proposal.capped.any()
    assert proposal.set_index("stratum").loc["25-34", "invitations"] == 1
    login_as("researcher")
    page = client.get(f"/panels/{panel.id}").get_data(as_text=True)
    assert "te weinig inwoners over" in page and "Nog uit te nodigen" in page
    data = {"purpose": "topup", "panel_id": str(panel.id), "strata": ["age_band"],
            "method": "fixed", "sample_size": "1", "response_rate": "15", "minimum": "0",
            "reserve_percent": "0", "minimum_age": "18", "exclude_members": "y",
            "invited_within_months": "12", "seed": "5", "submit": "1"}
    response = client.post("/trekkingen/nieuw", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
