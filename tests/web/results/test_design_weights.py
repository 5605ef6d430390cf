"""Panel members' design weights: 1 / the chance to have been invited by any of the panel's
draws, computed by hand from the draws' stratum tables and the letters made."""

from datetime import date

import pytest
import sqlalchemy as sa

from app.draws import services as draw_services
from app.draws.frame import Exclusions
from app.extensions import db
from app.invitations import services as invitation_services
from app.models import Assignment, Invitation, Member, Resident, Selection
from app.results.data import respondent_frame
from app.results.design import panel_inclusion
from app.surveys import distribution
from tests.web.invitations.test_invitations import CONFIG, invitations_of, make_batch
from tests.web.invitations.test_invitations_staff import join
from tests.web.respond.test_respond import make_survey


@pytest.fixture
def app_config():
    return dict(CONFIG)


def _rates(draw) -> dict[str, float]:
    """Letters per stratum / eligible per stratum, counted independently of the app code."""
    letters = {}
    for invitation in db.session.scalars(sa.select(Invitation).join(Selection).where(
            Selection.draw_id == draw.id)):
        letters[invitation.selection.stratum] = letters.get(invitation.selection.stratum, 0) + 1
    return {row["stratum"]: letters.get(row["stratum"], 0) / row["eligible"]
            for row in draw.stratum_table if row["eligible"]}


def test_recruitment_plus_top_up_gives_the_combined_inclusion_probability(app):
    batch = make_batch(12)  # panel with strata ["sex"], a proportional draw of 12, letters
    recruited = invitations_of(batch)
    for invitation in recruited[:6]:
        join(invitation)
    panel = batch.panel
    topup = draw_services.run_draw(
        purpose="topup", strata=["sex"], n=8, method="equal", seed=99, panel=panel,
        rules=Exclusions(minimum_age=18, invited_within_months=12))
    topup_batch = invitation_services.create_batch(
        topup, deadline=date(2026, 12, 31), include_reserves=False, envelope_profile="DL_LEFT",
        user_id=None)
    db.session.commit()
    for invitation in invitations_of(topup_batch)[:4]:
        join(invitation)
    survey = make_survey()
    survey.panel_id = panel.id
    distribution.assign_panel(survey)
    db.session.commit()

    first, second = _rates(batch.draw), _rates(topup)
    assert first != second  # equal allocation by sex invites the sexes at different rates
    chances = panel_inclusion(survey)
    members = db.session.execute(
        sa.select(Assignment.id, Resident.sex).join(Member, Member.id == Assignment.member_id)
        .join(Resident, Resident.id == Member.resident_id)
        .where(Assignment.survey_id == survey.id)).all()
    assert len(members) == 10 and len(chances) == 10
    for assignment_id, sex in members:
        expected = 1 - (1 - first.get(sex, 0)) * (1 - second.get(sex, 0))
        assert chances[assignment_id] == pytest.approx(expected)

    for assignment in db.session.scalars(sa.select(Assignment).where(
            Assignment.survey_id == survey.id)):
        assignment.status = "completed"
        db.session.add(_complete_response(assignment, survey))
    db.session.commit()
    frame = respondent_frame(survey).set_index("respondent_id")
    pseudonyms = dict(db.session.execute(sa.select(Assignment.id, Assignment.pseudonym)
                                         .where(Assignment.survey_id == survey.id)).all())
    for assignment_id, chance in chances.items():
        assert frame.loc[pseudonyms[assignment_id], "design_weight"] == pytest.approx(1 / chance)


def _complete_response(assignment, survey):
    from app.models import Response, utcnow

    return Response(assignment_id=assignment.id, survey_id=survey.id, survey_version=1,
                    mode="paper", status="complete", language="nl", started_at=utcnow(),
                    submitted_at=utcnow())


def test_a_survey_without_panel_draws_keeps_weight_one(app):
    survey = make_survey()
    assert panel_inclusion(survey) == {}


def test_a_member_who_moved_in_after_recruitment_had_only_the_top_up_chance(app):
    batch = make_batch(12)
    for invitation in invitations_of(batch)[:6]:
        join(invitation)
    template = db.session.scalars(sa.select(Resident).order_by(Resident.id)).first()
    copied = {column: getattr(template, column) for column in (
        "birth_date", "street", "house_number", "postcode", "municipality", "district",
        "age_band", "nationality", "nationality_group", "first_import_id", "last_import_id")}
    for number in range(200):  # residents who came to live in the city after the recruitment
        db.session.add(Resident(person_key=f"newcomer-{number:03d}", first_name="N",
                                last_name=f"Nieuw{number}", sex="FM"[number % 2],
                                household_size=1, **copied))
    db.session.commit()
    topup = draw_services.run_draw(
        purpose="topup", strata=["sex"], n=8, method="equal", seed=99, panel=batch.panel,
        rules=Exclusions(minimum_age=18, invited_within_months=12))
    topup_batch = invitation_services.create_batch(
        topup, deadline=date(2026, 12, 31), include_reserves=False, envelope_profile="DL_LEFT",
        user_id=None)
    db.session.commit()
    for invitation in invitations_of(topup_batch):
        join(invitation)
    survey = make_survey()
    survey.panel_id = batch.panel.id
    distribution.assign_panel(survey)
    db.session.commit()

    first, second = _rates(batch.draw), _rates(topup)
    chances = panel_inclusion(survey)
    members = db.session.execute(
        sa.select(Assignment.id, Resident.sex, Resident.person_key)
        .join(Member, Member.id == Assignment.member_id)
        .join(Resident, Resident.id == Member.resident_id)
        .where(Assignment.survey_id == survey.id)).all()
    newcomers = [row for row in members if row.person_key.startswith("newcomer-")]
    assert newcomers and len(newcomers) < len(members)
    for assignment_id, sex, person_key in members:
        if person_key.startswith("newcomer-"):  # not in the recruitment's frame: no chance there
            expected = second[sex]
        else:
            expected = 1 - (1 - first[sex]) * (1 - second[sex])
        assert chances[assignment_id] == pytest.approx(expected), person_key


def test_a_later_top_up_does_not_change_an_earlier_surveys_design_weights(app):
    batch = make_batch(12)
    for invitation in invitations_of(batch)[:6]:
        join(invitation)
    survey = make_survey()
    survey.panel_id = batch.panel_id
    distribution.assign_panel(survey)
    db.session.commit()
    before = panel_inclusion(survey)
    assert before == pytest.approx({a: 1 - (1 - _rates(batch.draw)[sex]) for a, sex in
                                    db.session.execute(sa.select(Assignment.id, Assignment.sex)
                                                       .where(Assignment.survey_id == survey.id))})
    topup = draw_services.run_draw(  # a year later
        purpose="topup", strata=["sex"], n=8, method="equal", seed=99, panel=batch.panel,
        rules=Exclusions(minimum_age=18, invited_within_months=12))
    invitation_services.create_batch(topup, deadline=date(2026, 12, 31), include_reserves=False,
                                     envelope_profile="DL_LEFT", user_id=None)
    member = db.session.scalars(sa.select(Member)).first()
    db.session.get(Resident, member.resident_id).sex = (  # re-registered since: other cell
        "M" if db.session.get(Resident, member.resident_id).sex == "F" else "F")
    db.session.commit()
    assert panel_inclusion(survey) == pytest.approx(before)
