"""The whole jury flow in headless Chromium, with CSRF on: invite → candidates register →
quotas (an infeasible set refused with its relaxation) → phase 1 published → seed → panel
drawn → one withdrawal replaced → verify passes (on the page and with ``flask juries verify``).
"""
# ruff: noqa: F811  (pytest fixtures imported from tests.web.browser)

import io
import os
import re
from datetime import date, timedelta
from pathlib import Path

import pdfplumber
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Invitation, Jury, JuryCandidate, JuryLottery
from tests.conftest import PASSWORD
from tests.web.browser import axe_violations, browser, browser_page, live_server  # noqa: F401
from tests.web.juries.jury_helpers import LETTERS, register_loaded  # noqa: F401

SHOTS = os.environ.get("JURY_SCREENSHOTS")  # a folder: save a PNG of the main pages
CODE = re.compile(r"\b[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}\b")
EDUCATION = ["Lager", "Secundair", "Hoger"]
CANDIDATES = 16


@pytest.fixture
def app_config():
    return {**LETTERS, "WTF_CSRF_ENABLED": True}


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def log_in(page, base: str, user) -> None:
    page.goto(f"{base}/auth/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(lambda url: "/auth/login" not in url)


def create_jury(page, base: str) -> int:
    page.goto(f"{base}/juries/")
    page.click("text=Nieuwe jury")
    page.fill("#name", "Burgerjury burgerbegroting")
    page.fill("#purpose", "Een advies over de burgerbegroting 2027.")
    page.fill("#panel_size", "6")
    page.fill("#self_features", "Opleiding: " + ", ".join(EDUCATION))
    page.click("#submit")
    page.wait_for_url(re.compile(r"/juries/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def invite_and_print(page) -> list[str]:
    page.fill("#number", "40")
    page.fill("#deadline", (date.today() + timedelta(days=21)).isoformat())
    page.fill("#seed", "2027")
    page.click("text=Inwoners trekken en uitnodigen")
    with page.expect_download() as download:
        page.click("text=Brieven maken (PDF)")
    data = Path(download.value.path()).read_bytes()
    with pdfplumber.open(io.BytesIO(data)) as document:
        text = "\n".join(page_.extract_text() or "" for page_ in document.pages)
    return sorted(set(CODE.findall(text)))


def register_candidate(context, base: str, code: str, education: str, *,
                       check: bool = False) -> None:
    page = context.new_page()
    page.goto(f"{base}/kandidaat/")
    page.fill("#code", code.lower().replace("-", " "))
    page.click("#submit")
    if check:  # the resident's pages: WCAG 2.1 AA, the notice, no consent = no candidacy
        assert axe_violations(page) == []
        assert "artikel 14 AVG" in page.locator(".privacy-notice").inner_text()
        page.click("#submit")
        assert "Vink dit aan om u kandidaat te stellen." in page.inner_text("body")
        shot(page, "jury-candidacy")
    page.check("#available")
    page.check(f"input[name=f_opleiding][value={education}]")
    page.check("#consent")
    page.click("#submit")
    page.wait_for_url(re.compile("/kandidaat/klaar$"))
    if check:
        assert axe_violations(page) == []
    page.close()


def decline_by_keyboard(context, base: str, code: str) -> None:
    """An invitee says no with the keyboard only; the thank-you page passes axe too."""
    page = context.new_page()
    page.goto(f"{base}/kandidaat/")
    page.fill("#code", code)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("/kandidaat/formulier$"))
    button = page.get_by_role("button", name="Nee, ik stel me geen kandidaat")
    for _ in range(60):  # Tab until the decline button has the focus
        if button.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Tab")
    else:
        raise AssertionError("the decline button cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("/kandidaat/bedankt/declined$"))
    assert axe_violations(page) == []
    page.close()


def set_quotas(page, female: tuple[int, int], male: tuple[int, int]) -> None:
    for value, (low, high) in (("F", female), ("M", male)):
        row = page.locator(f'tr[data-quota="sex={value}"]')
        row.locator("input[name^=min_]").fill(str(low))
        row.locator("input[name^=max_]").fill(str(high))
    page.click("#submit")


def enter_seed(page, lottery_id: int, seed: str) -> None:
    section = page.locator(f"#lottery-{lottery_id}")
    section.locator("input[name=seed]").fill(seed)
    section.locator("text=Fase 2: panel trekken").click()
    page.wait_for_load_state()


def test_the_whole_jury_flow(live_server, browser, browser_page, register_loaded, make_user,
                             runner):
    page, base = browser_page, live_server
    log_in(page, base, make_user("researcher"))
    jury_id = create_jury(page, base)
    codes = invite_and_print(page)
    assert len(codes) == 40
    shot(page, "jury-invited")

    public = browser.new_context()
    for index, code in enumerate(codes[:CANDIDATES]):
        register_candidate(public, base, code, EDUCATION[index % 3], check=index == 0)
    decline_by_keyboard(public, base, codes[CANDIDATES])
    page.reload()
    assert page.locator("#pool-size").inner_text().startswith(f"{CANDIDATES} kandidaten")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(JuryCandidate)) == CANDIDATES
    statuses = db.session.scalars(sa.select(Invitation.status)).all()
    assert statuses.count("declined") == 1  # the one who said no, and not in the pool

    page.click("text=Quota instellen")
    set_quotas(page, (4, 6), (4, 6))
    result = page.locator("#quota-result")
    assert "Deze quota botsen" in result.inner_text()
    assert "Kleinste versoepeling (2 plaatsen in totaal)" in result.inner_text()
    assert page.locator("#relaxation tbody tr").count() >= 1
    assert axe_violations(page) == []
    shot(page, "jury-quotas-refused")
    set_quotas(page, (3, 3), (3, 3))
    assert "De quota zijn bewaard." in page.locator("#quota-result").inner_text()

    page.goto(f"{base}/juries/{jury_id}")
    page.click("text=Fase 1: portefeuille berekenen en publiceren")
    page.wait_for_url(re.compile(rf"/juries/{jury_id}\?"))
    main = db.session.scalar(sa.select(JuryLottery).where(JuryLottery.jury_id == jury_id))
    anonymous = public.new_page()
    anonymous.goto(f"{base}/loting/{main.id}")
    assert anonymous.locator("#pool-hash").inner_text() == main.pool_hash
    assert anonymous.locator("#probabilities tbody tr").count() == CANDIDATES
    names = db.session.scalars(sa.select(JuryCandidate).where(JuryCandidate.jury_id == jury_id))
    body = anonymous.locator("main, body").first.inner_text()
    assert not any(c.resident.last_name in body for c in names)
    assert axe_violations(anonymous) == []
    shot(anonymous, "jury-public-phase1")

    enter_seed(page, main.id, "364152")
    chosen = page.locator(f"#lottery-{main.id} .chosen").inner_text().split(", ")
    assert len(chosen) == 6
    leaving = chosen[0]
    page.locator(f'tr[data-pseudonym="{leaving}"] button').click()
    page.wait_for_load_state()
    assert "teruggetrokken" in page.locator(f'tr[data-pseudonym="{leaving}"] .status').inner_text()
    page.click("text=Vervangingsronde: fase 1 publiceren")
    page.wait_for_load_state()
    replacement = db.session.scalar(sa.select(JuryLottery).where(
        JuryLottery.jury_id == jury_id, JuryLottery.kind == "replacement"))
    assert replacement.fixed == sorted(chosen[1:]) and replacement.excluded == [leaving]
    enter_seed(page, replacement.id, "521436")
    added = page.locator(f"#lottery-{replacement.id} .chosen").inner_text().split(", ")
    assert len(added) == 1 and added[0] not in chosen
    shot(page, "jury-replaced")

    assert axe_violations(page) == []
    page.click("text=Alle lotingen herhalen ter controle")
    verdict = page.locator("#verification").inner_text()
    assert verdict.count("bevestigd: beide fasen") == 2 and "NIET" not in verdict
    anonymous.goto(f"{base}/loting/{replacement.id}")
    assert anonymous.locator("#chosen").inner_text().endswith(added[0])
    db.session.expire_all()  # the server thread committed since this session last looked
    cli = runner.invoke(args=["juries", "verify", str(jury_id)])
    assert cli.exit_code == 0 and "BEVESTIGD" in cli.output, cli.output
    jury = db.session.get(Jury, jury_id)
    members = [c for c in jury.candidates if c.status == "selected"]
    assert sorted(c.pseudonym for c in members) == sorted([*chosen[1:], *added])
    public.close()
