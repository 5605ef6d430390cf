"""Two years of a panel in Chromium: every document still tells the truth a year later.

Year 1: register import → recruitment draw → letters → joins (one on the web with the code
read from the letter PDF, one from a paper reply slip keyed by staff) → survey 1 answered on
the web and on paper (one form double keyed by two clerks) → weighting → one late paper form →
report with the stored weights, published → the councillor sees it. Year 2: register import
(people moved district, left, turned 16, were born) → top-up draw → survey 2 → survey 1
re-weighted on its own (year-1) margins, survey 2 on the new ones → the trend across both.
Every report's method text is read back from its PDF (pdfplumber) and checked against the
weight set it was made with.

Through the browser: both register imports, the panel, both draws (preview first), the letter
run, the web join, the paper reply slip, one web questionnaire, the double keying of one paper
form, every weighting, every report, publishing, the councillor's list and the trend charts.
At service level, to keep the test short: the invitation batches (one form post each), the
other joins (``joining.join``), creating, opening and assigning the surveys, the e-mail code
of the web respondent (``distribution.mail_secrets``, what the e-mail carries), the paper codes
(``distribution.issue_paper_codes``, what the printed forms carry), the other answers
(``Response`` rows as the respondent pages store them), the late paper form
(``_key_in_a_late_paper_form``) and the top-up's invitation codes and joins.
"""
# ruff: noqa: F811  (pytest fixtures imported from tests.web.browser)

import io
import os
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urljoin

import numpy as np
import pdfplumber
import pytest
import sqlalchemy as sa
from stdnum.be import nn

from app.demo.story import fake_answer
from app.extensions import db
from app.invitations import joining, keys
from app.invitations import services as invitations
from app.models import (
    Answer,
    Assignment,
    Draw,
    Invitation,
    Margin,
    Member,
    Panel,
    RegisterImport,
    Report,
    Resident,
    Response,
    Survey,
    WeightSet,
)
from app.results.data import respondent_frame
from app.results.trends import trends
from app.surveys import distribution
from app.surveys import services as surveys
from app.surveys.definition import load_definition
from tests.conftest import PASSWORD
from tests.web.browser import browser, live_server  # noqa: F401
from tests.web.entry_helpers import EXPECTED, TYPED, quick_user
from tests.web.invitations.test_invitations import CODE_PATTERN, CONFIG
from tests.web.register.test_register_import import as_bytes, sample_lines
from tests.web.results.test_late_answers import _key_in_a_late_paper_form
from tests.web.survey_factory import EXAMPLE, survey_assignments

YEAR_1, YEAR_2 = date(2025, 12, 1), date(2026, 12, 1)  # the second is not in the future
DISTRICTS = {"2000": "Centrum", "2018": "Zuid"}
VARIABLES = ["age_band", "sex", "district"]
SENDER = "An Peeters"
SHOTS = os.environ.get("SCENARIO_SCREENSHOTS")


@pytest.fixture
def app_config():
    return dict(CONFIG)


# --- the two register files -------------------------------------------------------------

def _rows() -> tuple[str, list[list[str]]]:
    lines = sample_lines()
    rows = [line.split(";") for line in lines[1:] if line]
    for row in rows:
        row[-1] = DISTRICTS[row[8]]  # two districts, by postcode
    return lines[0], rows


def _baby(serial: int) -> list[str]:
    base = f"260514{serial:03d}"
    number = f"{base}{97 - int('2' + base) % 97:02d}"
    assert nn.is_valid(number)
    return [number, "Nieuw", f"Baby{serial}", "M" if serial % 2 else "V", "14/05/2026",
            "Kloosterstraat", "3", "", "2018", "Antwerpen", "België", "ongehuwd", "99000001",
            "Zuid"]


def register_file(tmp_path, year: int):
    """Year 1 as exported; year 2: 30 moved to Centrum, 15 left, 2 babies; 2 turned 16."""
    header, rows = _rows()
    if year == 2:
        movers = [row for row in rows if row[-1] == "Zuid"][:30]
        for row in movers:
            row[5], row[6], row[-1] = "Meir", "10", "Centrum"
        rows = [*rows[:-15], _baby(101), _baby(102)]
    path = tmp_path / f"register-{year}.csv"
    path.write_bytes(as_bytes([header, *[";".join(row) for row in rows]]))
    return path


# --- browser helpers ----------------------------------------------------------------------

def _page(browser, base: str, email: str | None = None):
    page = browser.new_context(accept_downloads=True).new_page()
    page.set_default_timeout(10_000)
    if email:
        page.goto(f"{base}/auth/login")
        page.fill("#email", email)
        page.fill("#password", PASSWORD)
        page.click("#submit")
        page.wait_for_url("**/dashboard")
    return page


def _main(page) -> str:
    if SHOTS:  # a folder: a full-page PNG of every page whose text the test reads
        _main.count = getattr(_main, "count", 0) + 1
        name = re.sub(r"\W+", "_", page.url.split("/", 3)[-1])[:60]
        page.screenshot(path=f"{SHOTS}/{_main.count:02d}-{name}.png", full_page=True)
    return " ".join(page.inner_text("main").split())


def _pdf_text(page, href: str) -> str:
    response = page.request.get(urljoin(page.url, href))
    assert response.ok, href
    if SHOTS:
        (Path(SHOTS) / f"{re.sub(r'[^0-9a-z]+', '_', href)[-40:]}.pdf").write_bytes(
            response.body())
    with pdfplumber.open(io.BytesIO(response.body())) as pdf:
        return " ".join(" ".join((p.extract_text() or "") for p in pdf.pages).split())


def import_register(page, base: str, path, reference: date) -> str:
    page.goto(f"{base}/register/")
    page.set_input_files("#file", str(path))
    page.fill("#reference_date", reference.isoformat())
    page.fill("#legal_basis", "Collegebesluit 2026/045 — samenstelling Stadspanel")
    page.click("#submit")
    page.wait_for_selector("text=Eerste rijen")
    page.click("text=Geldige rijen inlezen")
    page.wait_for_load_state()
    return _main(page)


def create_panel(page, base: str) -> Panel:
    page.goto(f"{base}/panels/")
    page.fill("#name", "Stadspanel 2026–2030")
    page.fill("#target_size", "160")
    for name in VARIABLES:
        page.check(f"input[name=strata][value={name}]")
    page.click("#submit")
    page.wait_for_load_state()
    return db.session.scalars(sa.select(Panel)).one()


def run_recruitment_draw(page, base: str, panel: Panel) -> Draw:
    page.goto(f"{base}/trekkingen/nieuw")
    page.select_option("#purpose", "recruitment")
    page.select_option("#panel_id", str(panel.id))
    for name in VARIABLES:
        page.check(f"input[name=strata][value={name}]")
    page.select_option("#method", "proportional")
    page.fill("#sample_size", "150")
    page.uncheck("#one_per_household")
    page.fill("#minimum_age", "16")
    page.fill("#seed", "2026")
    return _preview_and_draw(page)


def _preview_and_draw(page) -> Draw:
    page.click("#preview")
    page.wait_for_selector("text=Verdeling")
    preview = _main(page)
    assert "Te trekken per geslacht" in preview and "vrouw" in preview.lower(), preview
    page.click("#submit")
    page.wait_for_load_state()
    assert re.search(r"/trekkingen/\d+$", page.url), _main(page)
    db.session.expire_all()
    return db.session.scalars(sa.select(Draw).order_by(Draw.id.desc())).first()


def letters_and_codes(page, base: str, draw: Draw) -> list[str]:
    batch = invitations.create_batch(draw, deadline=date.today() + timedelta(days=30),
                                     include_reserves=False, envelope_profile="DL_LEFT",
                                     user_id=None)
    db.session.commit()
    page.goto(f"{base}/uitnodigingen/reeks/{batch.id}")
    page.click("form[action$='/brieven'] button")
    page.wait_for_selector("a[href$='.pdf']")
    text = _pdf_text(page, page.get_attribute("a[href$='.pdf']", "href"))
    assert SENDER in text and CONFIG["LETTER_PHONE"] in text and CONFIG["LETTER_EMAIL"] in text
    return CODE_PATTERN.findall(text)


def join_on_the_web(browser, base: str, code: str) -> None:
    page = _page(browser, base)
    page.goto(f"{base}/doe-mee/")
    page.fill("#code", code)
    page.click("#submit")
    page.wait_for_url("**/doe-mee/uitleg")
    page.click("a[href$='/doe-mee/toestemming']")
    page.check("#consent")
    page.click("#submit")
    page.wait_for_url("**/doe-mee/contact")
    page.check("#contact_preference-0")
    page.fill("#email", "inwoner@example.org")
    page.click("#submit")
    page.wait_for_url(re.compile(r".*/doe-mee/(profiel|bevestigen)$"))
    if page.url.endswith("/profiel"):
        page.click("#submit")
        page.wait_for_url("**/doe-mee/bevestigen")
    page.click("#submit")
    page.wait_for_url("**/doe-mee/klaar")
    page.context.close()


def key_paper_reply(page, base: str, code: str) -> None:
    page.goto(f"{base}/uitnodigingen/papier")
    page.fill("#code", code)
    page.check("input[name=reply][value=join]")
    page.check("#consent")
    page.check("input[name=contact_preference][value=paper]")
    page.click("#submit")
    page.wait_for_selector(".flash-success")


def other_joins(draw: Draw, rng, share: float = 0.8) -> None:
    """Most of the others join (service level), a third of them on paper."""
    for invitation in db.session.scalars(sa.select(Invitation).order_by(Invitation.id)).all():
        if (invitation.selection.draw_id != draw.id or joining.state(invitation) != "open"
                or rng.random() > share):
            continue
        paper = rng.random() < 0.33
        joining.join(invitation, joining.JoinChoices(
            consent_version="2026-01", consent_at=datetime.now(UTC),
            contact_preference="paper" if paper else "email",
            email=None if paper else f"lid{invitation.id}@example.org"), source="test")
    db.session.commit()


# --- surveys and answers ------------------------------------------------------------------

def open_survey(panel: Panel, title: str, source: Survey | None = None) -> Survey:
    survey = (surveys.copy_survey(source, title=title) if source else
              surveys.create_survey(EXAMPLE.read_text(encoding="utf-8"), panel_id=panel.id))
    survey.title, survey.panel_id = {"nl": title}, panel.id
    surveys.open_survey(survey)
    distribution.assign_panel(survey)
    db.session.commit()
    return survey


def _assignment_of(survey: Survey, member: Member) -> Assignment:
    return db.session.scalar(sa.select(Assignment).where(
        Assignment.survey_id == survey.id, Assignment.member_id == member.id))


def answer_on_the_web(browser, base: str, survey: Survey, member: Member) -> None:
    """The member types the code from their e-mail and answers every page."""
    _token, code = distribution.mail_secrets(_assignment_of(survey, member))
    db.session.commit()
    page = _page(browser, base)
    page.goto(f"{base}/antwoorden/")
    page.fill("#code", code)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/antwoorden/vragenlijst/deel/.*"))
    while "/vragenlijst/deel/" in page.url:
        page.evaluate("""() => { const seen = new Set();
            for (const box of document.querySelectorAll('input[type=radio]')) {
              if (!seen.has(box.name)) { seen.add(box.name); box.checked = true; } } }""")
        page.click("button[value=next]")
        page.wait_for_load_state()
    page.click("button:has-text('Verzenden')")
    page.wait_for_selector("text=Dank u wel")
    page.context.close()


def double_key_a_paper_form(browser, base: str, survey: Survey, member: Member) -> None:
    """Two clerks key the same returned form; the second is told nothing differs."""
    code = dict(distribution.issue_paper_codes(survey))[_assignment_of(survey, member)]
    db.session.commit()
    for _clerk in (1, 2):
        page = _page(browser, base, quick_user("data_entry").email)
        page.goto(f"{base}/invoer/?bevraging={survey.id}")
        page.fill("#code", code)
        page.press("#code", "Enter")
        page.wait_for_selector("#entry-form")
        for key, typed in TYPED.items():
            page.fill(f"#f-{key}", typed)
        page.click("#entry-save")
        page.wait_for_selector(".flash-success")
        page.context.close()


def answer_the_rest(survey: Survey, rng, share: float = 0.8) -> None:
    """Service level: most other assignments answered, in the mode of their channel."""
    definition = load_definition(survey.versions[-1].definition)
    now = datetime.now(UTC)
    answered = sa.select(Response.assignment_id)
    for assignment in survey_assignments(survey):
        if db.session.scalar(answered.where(Response.assignment_id == assignment.id)) or (
                rng.random() > share):
            continue
        response = Response(assignment_id=assignment.id, survey_id=survey.id,
                            mode=assignment.channel, status="complete", started_at=now,
                            submitted_at=now)
        db.session.add(response)
        db.session.flush()
        db.session.add_all(Answer(response_id=response.id, question_code=question.code,
                                  value=fake_answer(question, rng))
                           for question in definition.questions)
        assignment.status, assignment.completed_at = "completed", now
    db.session.commit()


# --- weighting and reports ----------------------------------------------------------------

def weigh(page, base: str, survey: Survey, register: RegisterImport) -> WeightSet:
    page.goto(f"{base}/resultaten/bevraging/{survey.id}")
    page.select_option("#method", "rake")
    for name in VARIABLES:
        page.check(f"input[name=variables][value={name}]")
    page.click("form[action$='/wegen'] [type=submit]")
    page.wait_for_url(re.compile(r".*/resultaten/weging/\d+$"))
    shown = _main(page)
    assert f"peildatum {register.reference_date:%d/%m/%Y}" in shown, shown
    db.session.expire_all()
    weight_set = db.session.scalar(sa.select(WeightSet).where(
        WeightSet.survey_id == survey.id, WeightSet.is_current.is_(True)))
    assert weight_set.margins_import_id == register.id
    return weight_set


def make_report(page, base: str, survey: Survey, *, stored_weights: bool = False) -> Report:
    page.goto(f"{base}/resultaten/bevraging/{survey.id}")
    page.select_option("#kind", "pdf")
    if stored_weights:
        page.check("#stored_weights")
    page.click("form[action$='/rapport'] [type=submit]", timeout=90_000)  # renders inline
    page.wait_for_selector("text=Downloaden", timeout=90_000)
    db.session.expire_all()
    return db.session.scalars(sa.select(Report).order_by(Report.id.desc())).first()


def method_text(page, base: str, report: Report) -> str:
    return _pdf_text(page, f"{base}/resultaten/rapport/{report.id}/download")


def assert_method(text: str, weight_set: WeightSet, register: RegisterImport,
                  late: int = 0) -> None:
    """The PDF says what this weight set did: margins, register date, population, late."""
    assert weight_set.variables == VARIABLES and weight_set.method == "rake"
    assert "raking (naar elke marge apart) op leeftijd, geslacht en wijk" in text
    assert f"bevolkingsregister op {register.reference_date:%d-%m-%Y}" in text
    other = YEAR_2 if register.reference_date == YEAR_1 else YEAR_1
    assert f"bevolkingsregister op {other:%d-%m-%Y}" not in text
    assert "de inwoners van 16 jaar en ouder" in text and "18 jaar en ouder" not in text
    sentence = "Dit rapport gebruikt de bewaarde gewichten: 1 antwoord dat na de weging"
    assert (sentence in text) == bool(late), text[:3000]


def publish_and_show_the_council(page, browser, base: str, report: Report) -> None:
    page.goto(f"{base}/resultaten/rapport/{report.id}")
    page.click("form[action$='/publiceren'] button")
    page.wait_for_selector("text=Publicatie intrekken")
    council = _page(browser, base, quick_user("councillor").email)
    council.goto(f"{base}/resultaten/")
    council.click(f"a[href$='/resultaten/rapport/{report.id}']")
    council.wait_for_selector("text=Downloaden")
    assert "Leven in Zennegem 2026" in _main(council)
    council.context.close()


def run_top_up_draw(page, base: str, panel: Panel) -> Draw:
    page.goto(f"{base}/panels/{panel.id}")
    page.click("text=Deze aanvullende trekking voorbereiden")
    page.wait_for_url("**/trekkingen/nieuw*")
    page.fill("#seed", "2027")
    page.uncheck("#one_per_household")  # as in the recruitment draw
    draw = _preview_and_draw(page)
    assert draw.purpose == "topup" and draw.panel_id == panel.id
    return draw


def _members() -> list[Member]:
    return list(db.session.scalars(sa.select(Member).order_by(Member.id)))


def year_one(browser, base: str, page, tmp_path, rng):
    first_text = import_register(page, base, register_file(tmp_path, 1), YEAR_1)
    panel = create_panel(page, base)
    draw = run_recruitment_draw(page, base, panel)
    codes = letters_and_codes(page, base, draw)
    assert len(codes) == draw.sample_size
    join_on_the_web(browser, base, codes[0])
    key_paper_reply(page, base, codes[1])
    web_member, paper_member = _members()
    assert (web_member.contact_preference, paper_member.contact_preference) == ("email",
                                                                                  "paper")
    other_joins(draw, rng)
    survey = open_survey(panel, "Leven in Zennegem 2026")
    answer_on_the_web(browser, base, survey, web_member)
    double_key_a_paper_form(browser, base, survey, paper_member)
    answer_the_rest(survey, rng)
    return first_text, panel, survey, (web_member, paper_member)


def year_two(browser, base: str, page, tmp_path, rng, panel: Panel, survey_1: Survey):
    text = import_register(page, base, register_file(tmp_path, 2), YEAR_2)
    second = db.session.scalars(sa.select(RegisterImport).order_by(RegisterImport.id.desc())
                                ).first()
    assert second.status == "committed", text
    draw = run_top_up_draw(page, base, panel)
    batch = invitations.create_batch(draw, deadline=date.today() + timedelta(days=30),
                                     include_reserves=False, envelope_profile="DL_LEFT",
                                     user_id=None)
    db.session.commit()
    for invitation in db.session.scalars(sa.select(Invitation).where(
            Invitation.batch_id == batch.id)):
        keys.issue_invitation_secrets(invitation)
    other_joins(draw, rng, share=1.0)
    survey_2 = open_survey(panel, "Leven in Zennegem 2027", source=survey_1)
    answer_the_rest(survey_2, rng)
    return text, second, draw, survey_2


def report_year_one(browser, base: str, page, survey_1: Survey, paper_member: Member):
    """The double-keyed form as typed; weighting; a late form; a report with stored weights."""
    first = db.session.scalars(sa.select(RegisterImport)).one()
    assert survey_1.register_import_id == first.id
    paper = db.session.scalar(sa.select(Response).where(
        Response.assignment_id == _assignment_of(survey_1, paper_member).id))
    assert paper.mode == "paper" and {a.question_code: a.value for a in db.session.scalars(
        sa.select(Answer).where(Answer.response_id == paper.id))} == EXPECTED
    weights_1 = weigh(page, base, survey_1, first)
    _key_in_a_late_paper_form(survey_1)
    page.goto(f"{base}/resultaten/bevraging/{survey_1.id}")
    assert "1 antwoord kwam binnen na deze weging." in _main(page)
    report_1 = make_report(page, base, survey_1, stored_weights=True)
    assert_method(method_text(page, base, report_1), weights_1, first, late=1)
    publish_and_show_the_council(page, browser, base, report_1)
    return first, weights_1


def check_year_two(text: str, first, second, top_up, survey_1, survey_2) -> None:
    for stat in ("2 nieuwe inwoners", "30 verhuisd", "15 niet meer in het register"):
        assert stat in text, text
    db.session.expire_all()
    assert (survey_1.register_import_id, survey_2.register_import_id) == (first.id, second.id)
    assert {r.age_band for r in db.session.scalars(sa.select(Resident).where(  # turned 16
        Resident.birth_date.between(date(2010, 1, 1), date(2010, 11, 30))))} == {"16-17"}
    assert top_up.sample_size > 0 and _adults(second) != _adults(first)


def test_second_year_of_a_panel(app, live_server, browser, tmp_path):
    base, rng = live_server, np.random.default_rng(14)
    page = _page(browser, base, quick_user("researcher").email)
    first_text, panel, survey_1, (_web, paper_member) = year_one(browser, base, page, tmp_path,
                                                                 rng)
    assert "300 nieuwe inwoners" in first_text
    first, weights_1 = report_year_one(browser, base, page, survey_1, paper_member)
    design_1 = _design_weights(survey_1)

    text, second, top_up, survey_2 = year_two(browser, base, page, tmp_path, rng, panel,
                                              survey_1)
    check_year_two(text, first, second, top_up, survey_1, survey_2)
    again_1 = weigh(page, base, survey_1, first)  # its own register, without choosing
    assert _design_weights(survey_1).loc[design_1.index].tolist() == pytest.approx(
        design_1.tolist())  # the top-up and the moves of year 2 change nothing of year 1
    assert len(again_1.weights) == len(weights_1.weights) + 1
    assert _population(again_1) == pytest.approx(_adults(first))
    assert_method(method_text(page, base, make_report(page, base, survey_1)), again_1, first)
    weights_2 = weigh(page, base, survey_2, second)
    assert _population(weights_2) == pytest.approx(_adults(second))
    report_2 = make_report(page, base, survey_2)
    assert_method(method_text(page, base, report_2), weights_2, second)
    check_the_trend(page, base, report_2, survey_2)


def _design_weights(survey: Survey):
    return respondent_frame(survey).set_index("respondent_id")["design_weight"]


def _population(weight_set: WeightSet) -> float:
    return float(sum(weight_set.weights.values()))


def _adults(record: RegisterImport) -> int:
    return db.session.scalar(sa.select(sa.func.sum(Margin.count)).where(
        Margin.import_id == record.id, Margin.age_band.not_like("<%")))


def check_the_trend(page, base: str, report: Report, survey_2: Survey) -> None:
    """The trend charts on survey 2's report page: both waves, each with its own weights."""
    page.goto(f"{base}/resultaten/rapport/{report.id}")
    charts = page.locator("figure.chart:has-text('Verloop over de metingen')")
    assert charts.count() >= 1
    expected = trends(survey_2, min_cell=10)
    first_code = next(iter(expected))
    rows = charts.first.locator("tbody tr")
    shown = [" ".join(rows.nth(i).inner_text().split()) for i in range(rows.count())]
    for (wave, estimate, _low, _high, n), row in zip(expected[first_code], shown, strict=True):
        assert row == f"{wave} {estimate * 100:.1f} {n}".replace(".", ","), (row, wave)
    assert [point[0] for point in expected[first_code]] == ["Leven in Zennegem 2026",
                                                           "Leven in Zennegem 2027"]
