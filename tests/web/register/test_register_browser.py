"""The register import in a real browser: upload, column mapping, preview (axe-checked)."""

import os
from pathlib import Path

import sqlalchemy as sa

from app.extensions import db
from app.models import RegisterImport
from tests.conftest import PASSWORD
from tests.web.browser import axe_violations, browser, browser_page, live_server  # noqa: F401
from tests.web.register.test_register_steps import CHOICES, UNKNOWN, as_bytes, sample_lines

SHOTS = os.environ.get("SCREENSHOT_DIR")


def check_page(page, name: str) -> None:
    assert axe_violations(page) == [], name
    if SHOTS:
        for width in (1280, 320):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(Path(SHOTS) / f"register-{name}-{width}.png"), full_page=True)


def test_upload_map_columns_and_preview_in_a_browser(live_server, browser_page,  # noqa: F811
                                                     make_user, tmp_path):
    user = make_user("researcher")
    export = tmp_path / "export.csv"
    export.write_bytes(as_bytes([";".join(UNKNOWN), *sample_lines()[1:]]))
    page = browser_page
    page.goto(f"{live_server}/auth/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_load_state()
    page.goto(f"{live_server}/register/")
    check_page(page, "1-upload")
    page.set_input_files("#file", str(export))
    page.fill("#reference_date", "2026-01-01")
    page.fill("#legal_basis", "Collegebesluit 2026/045 — Stadspanel")
    page.click("#submit")
    page.wait_for_selector("#koppelen")
    check_page(page, "2-koppelen")
    for column, header in CHOICES.items():
        if page.locator(f"#column_{column}").count():  # "Gender" is recognised by itself
            page.select_option(f"#column_{column}", header)
    page.click("form[action$='/kolommen'] [type=submit]")
    page.wait_for_selector("text=Eerste rijen")
    check_page(page, "3-voorbeeld")
    db.session.expire_all()
    assert db.session.scalar(sa.select(RegisterImport.valid_rows)) == 300
