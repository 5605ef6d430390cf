"""The draw protocol is a record a third party can rely on, and the draw preview page shows the
allocation per strata variable with the full per-stratum table folded away."""

import io
import os
import re
from pathlib import Path

import pdfplumber
import sqlalchemy as sa

from app.extensions import db
from app.models import Draw
from tests.conftest import PASSWORD
from tests.web.browser import browser, browser_page, live_server  # noqa: F401
from tests.web.privacy.test_privacy_study import make_study
from tests.web.register.test_register_import import SAMPLE, do_import

STRATA = ["age_band", "sex", "district"]
FORM = {"purpose": "recruitment", "panel_id": "0", "strata": STRATA, "method": "proportional",
        "sample_size": "60", "response_rate": "15", "minimum": "0", "reserve_percent": "10",
        "minimum_age": "16", "seed": "2026"}
SHOTS = os.environ.get("SCREENSHOT_DIR")


def _pages(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [" ".join((page.extract_text() or "").split()) for page in document.pages]


def test_the_protocol_prints_every_fact_in_dutch(app, client, login_as):
    do_import(SAMPLE.read_bytes(), minimum_age=16)
    make_study()
    login_as("researcher")
    assert client.post("/trekkingen/nieuw", data={**FORM, "submit": "1"}).status_code == 302
    draw = db.session.scalar(sa.select(Draw))
    pages = _pages(client.get(f"/trekkingen/{draw.id}/protocol.pdf").data)
    first = pages[0]
    assert "bevolkingsregister op 01-01-2026" in first and "op ?" not in first
    assert re.search(r"Reservelijst 10 % van het aantal getrokkenen per stratum", first)
    assert "0.1" not in first and "Minimumleeftijd 16 jaar" in first
    assert "Strata leeftijdsgroep × geslacht × wijk" in first
    assert "Geslacht Bevolking" in first and "vrouw" in first
    labels = [row["stratum"] for row in draw.stratum_table]
    assert not any(label in first for label in labels)  # per stratum only in the annex
    annex = " ".join(pages[1:])
    assert "Bijlage: verdeling per stratum" in annex
    for label in labels:
        assert label.replace("| F |", "| vrouw |").replace("| M |", "| man |") in annex
    assert "niet opgegeven" not in " ".join(pages)  # a web draw knows every fact


def test_the_preview_shows_allocation_per_variable_and_folds_the_strata(app, client,
                                                                       login_as):
    do_import(SAMPLE.read_bytes(), minimum_age=16)
    login_as("researcher")
    page = client.post("/trekkingen/nieuw", data={**FORM, "preview": "1"}).get_data(
        as_text=True)
    for name in ("leeftijdsgroep", "geslacht", "wijk"):
        assert f"Te trekken per {name}" in page
    folded = page[page.index("<details>"):page.index("</details>")]
    before = page[:page.index("<details>")]
    assert "Aantal te trekken per stratum" in folded
    assert folded.count("<tr>") > before.count("<tr>") - 3  # the long table is the folded one
    assert "| F |" not in page and "| vrouw |" in folded


def test_the_preview_page_stays_short_in_a_browser(app, live_server, browser_page,  # noqa: F811
                                                   make_user):
    from app.demo.register_file import generate_register_csv

    do_import(generate_register_csv(4000, seed=7), minimum_age=16)
    user = make_user("researcher")
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server}/auth/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_load_state()
    page.goto(f"{live_server}/trekkingen/nieuw")
    for name in STRATA:
        page.check(f"input[name=strata][value={name}]")
    page.fill("#sample_size", "60")
    page.fill("#minimum_age", "16")
    page.click("#preview")
    page.wait_for_load_state()
    strata = page.locator("details tbody tr").count()
    assert strata > 100  # age band × sex × district of the demo city
    height = page.evaluate("document.documentElement.scrollHeight")
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "draw-preview.png"), full_page=True)
    assert height < 4000, height  # every stratum unfolded ran to 11,000 px
