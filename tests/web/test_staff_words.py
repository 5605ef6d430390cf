"""Staff screens and files speak Dutch: no register codes (F, NON_EU), no field names
(national_number), and decimals with a comma."""

import re

import sqlalchemy as sa

from app.extensions import db
from app.models import Draw, RegisterImport, Resident
from tests.web.invitations.test_invitations import make_draw
from tests.web.register.test_register_import import SAMPLE, as_bytes, do_import, sample_lines
from tests.web.register.test_register_steps import upload


def test_the_register_preview_shows_sex_and_nationality_in_words(client, login_as):
    login_as("researcher")
    upload(client, SAMPLE.read_bytes())
    record = db.session.scalars(sa.select(RegisterImport)).one()
    page = client.get(f"/register/{record.id}").get_data(as_text=True)
    preview = page[page.index("Eerste rijen"):]
    assert "<td>vrouw</td>" in preview and "<td>man</td>" in preview
    assert "<td>Belg</td>" in preview and "<td>nationaliteit buiten de EU</td>" in preview
    assert not re.search(r"<td>(F|M|BE|NON_EU)</td>", preview)


def test_the_problem_report_names_columns_in_dutch(client, login_as):
    lines = sample_lines()
    broken = lines[1].split(";")
    broken[0] = "55110266028"  # a wrong check digit
    record = do_import(as_bytes([lines[0], ";".join(broken), *lines[2:]]))
    assert record.problems and record.problems[0]["column"] == "national_number"
    login_as("researcher")
    text = client.get(f"/register/{record.id}/fouten.csv").get_data(as_text=True)
    assert "Rijksregisternummer" in text and "national_number" not in text


def test_the_selection_export_gives_the_stratum_in_words(client, login_as):
    draw = make_draw(n=6)  # strata: sex
    login_as("researcher")
    text = client.get(f"/trekkingen/{draw.id}/selectie.csv").get_data(as_text=True)
    strata = {line.split(";")[2] for line in text.splitlines()[1:] if line}
    assert strata and strata <= {"vrouw", "man"}, strata


def test_a_refused_stratum_is_named_in_words():
    from app.draws.views import readable

    message = "Stratum '18-24 | M | Centrum': slechts 3 verschillende huishoudens."
    assert readable(message, ["age_band", "sex", "district"]) == (
        "Stratum '18-24 | man | Centrum': slechts 3 verschillende huishoudens.")
    assert readable("Kolom 'wijk' ontbreekt.", ["sex"]) == "Kolom 'wijk' ontbreekt."


def _draw_form(**extra) -> dict:
    return {"purpose": "recruitment", "panel_id": "0", "strata": ["sex"],
            "method": "proportional", "response_rate": "15", "minimum": "0",
            "reserve_percent": "0", "minimum_age": "18", "seed": "7", **extra}


def test_the_preview_refuses_what_the_draw_would_refuse_with_one_per_household(client,
                                                                                login_as):
    do_import(SAMPLE.read_bytes())
    adults = db.session.scalar(sa.select(sa.func.count()).select_from(Resident).where(
        Resident.age_band.not_in(["<16", "16-17"])))
    login_as("researcher")
    data = _draw_form(sample_size=str(adults), one_per_household="y")
    preview = client.post("/trekkingen/nieuw", data={**data, "preview": "1"})
    page = preview.get_data(as_text=True)
    assert preview.status_code == 422 and "verschillende huishoudens" in page
    assert re.search(r"Stratum &#39;(vrouw|man)&#39;", page), page[:3000]
    run = client.post("/trekkingen/nieuw", data={**data, "submit": "1"})
    assert run.status_code == 422 and "verschillende huishoudens" in run.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Draw)) == 0


def test_decimal_fields_show_and_read_a_comma(client, login_as):
    do_import(SAMPLE.read_bytes())
    login_as("researcher")
    assert 'value="15,0"' in client.get("/trekkingen/nieuw").get_data(as_text=True)
    assert 'value="5,0"' in client.get("/register/").get_data(as_text=True)
    preview = client.post("/trekkingen/nieuw", data={
        **_draw_form(sample_size="20", method="target_completes"), "response_rate": "12,5",
        "preview": "1"})
    assert preview.status_code == 200, preview.get_data(as_text=True)[:3000]
    assert 'value="12,5"' in preview.get_data(as_text=True)


def test_a_decimal_out_of_range_is_told_with_a_comma(client, login_as):
    do_import(SAMPLE.read_bytes())
    login_as("researcher")
    page = client.post("/trekkingen/nieuw", data={
        **_draw_form(sample_size="20"), "response_rate": "0,1", "preview": "1"}).get_data(
        as_text=True)
    assert "Geef een getal tussen 0,5 en 100." in page and "0.5" not in page
    assert 'inputmode="decimal"' in page and 'type="number" ' not in page.split(
        'id="response_rate"')[0][-200:]


def test_the_monitoring_page_names_strata_and_channels_in_words(client, login_as):
    from tests.web.invitations.test_invitations import make_batch

    batch = make_batch(n=6)  # strata: sex; letters
    login_as("researcher")
    page = client.get(f"/uitnodigingen/panel/{batch.panel_id}/opvolging").get_data(as_text=True)
    cells = set(re.findall(r"<tr><td>([^<]*)</td>", page))
    assert {"brief"} <= cells and cells & {"vrouw", "man"}, cells
    assert not cells & {"F", "M", "letter"}


def test_a_top_up_of_one_invitation_is_said_in_the_singular(client, login_as, monkeypatch):
    import pandas as pd

    from app.draws import services
    from app.models import Panel

    do_import(SAMPLE.read_bytes())
    panel = Panel(name="Panel", target_size=10, strata=["sex"])
    db.session.add(panel)
    db.session.commit()
    proposal = pd.DataFrame({"stratum": ["F"], "shortfall": [1], "response_rate": [0.9],
                             "eligible": [4], "invitations": [1], "capped": [False]})
    monkeypatch.setattr(services, "topup_proposal", lambda *_args: proposal)
    login_as("researcher")
    page = client.get(f"/panels/{panel.id}").get_data(as_text=True)
    assert "is 1 uitnodiging nodig." in page and "1 uitnodigingen" not in page


def test_the_cli_summary_names_columns_in_dutch(runner, tmp_path):
    lines = sample_lines()
    broken = lines[1].split(";")
    broken[0] = "55110266028"  # a wrong check digit
    path = tmp_path / "export.csv"
    path.write_bytes(as_bytes([lines[0], ";".join(broken), *lines[2:]]))
    result = runner.invoke(args=["register", "import", str(path), "--reference-date",
                                 "2026-01-01", "--legal-basis", "Collegebesluit 2026/045",
                                 "--dry-run"])
    assert "regel 2 [rijksregisternummer]" in result.output, result.output
    assert "national_number" not in result.output


def test_a_rejection_states_the_threshold_exactly_with_a_comma(app):
    lines = sample_lines()
    rows = [line.split(";") for line in lines[1:] if line]
    for row in rows[:9]:  # 3 % of 300 rows: more than 2,5 %
        row[0] = "55110266028"
    record = do_import(as_bytes([lines[0], *[";".join(row) for row in rows]]),
                       max_error_share=0.025)
    assert record.status == "rejected"
    assert "(meer dan 2,5 %). Er werd niets ingelezen." in record.message, record.message
