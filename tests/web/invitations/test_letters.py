import csv
import dataclasses
import datetime as dt
import io

import pdfplumber
import pypdf
import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image

from app.invitations.letters import (
    Recipient,
    mailing_list_csv,
    render_calibration_sheet,
    render_letters,
)
from app.invitations.letters.addresses import AddressError, format_address
from app.invitations.letters.content import (
    LetterContent,
    LetterError,
    LetterTemplate,
    PrivacyNotice,
    TemplateError,
    fill_template,
    validate_privacy_notice,
)
from app.invitations.letters.envelopes import C5, DL_LEFT, DL_RIGHT, PROFILES, EnvelopeProfile

MM = 72 / 25.4
ROUNDING = 0.01  # pdfplumber rounds coordinates to 0.001 pt
NOTICE = PrivacyNotice(
    controller="Stad Halle, Grote Markt 1, 1500 Halle.",
    dpo_contact="privacy@halle.be",
    purpose="Een stadspanel vormen (gemeenteraadsbesluit 2026/123).",
    legal_basis="Taak van algemeen belang (artikel 6.1.e AVG).",
    data_categories="Naam, adres, geboortejaar, geslacht.",
    recipients="Alleen de dienst Strategie.",
    retention="Drie maanden als u niet meedoet.",
    rights="Inzage, verbetering, wissing.",
    objection="U wilt niet deelnemen of niet meer gecontacteerd worden? Bel 02 365 95 10.",
)
TEMPLATE = LetterTemplate(
    subject="Doe mee aan {panel}",
    body="Beste {voornaam} {naam},\n\nU werd toevallig gekozen. Reageer vóór {deadline}.",
    closing="Met vriendelijke groeten",
    reminder_subject="Herinnering: {panel}",
    reminder_body="Beste {voornaam},\n\nWe herinneren u aan onze brief.",
    privacy=NOTICE,
)


def make_content(**overrides) -> LetterContent:
    values = {"panel_name": "Stadspanel Halle", "sender_lines": ("Stad Halle", "Grote Markt 1"),
              "letter_date": dt.date(2026, 3, 2), "deadline": dt.date(2026, 3, 31),
              "templates": {"nl": TEMPLATE}, "phone": "02 365 00 00",
              "email": "panel@halle.be", "signature_lines": ("An Peeters", "Diensthoofd")}
    return LetterContent(**{**values, **overrides})


def make_recipient(index: int, **overrides) -> Recipient:
    values = {"first_name": "Maria", "last_name": "Van Roy", "street": "Stationsstraat",
              "house_number": "12", "box": "b3", "postcode": "B-1500", "municipality": "Halle",
              "code": f"K7QM-4TXP-{index}C", "link": f"https://panel.halle.be/j/token{index}xyz",
              "short_url": "panel.halle.be"}
    return Recipient(**{**values, **overrides})


# Given out of order; bulk-mail order is by postcode, street, then natural house number.
RECIPIENTS = [
    make_recipient(2, first_name="Jan", last_name="Peeters", street="Leide", house_number="7",
                   box=None, postcode="1502"),
    make_recipient(3, first_name="Fatima", last_name="El Idrissi", house_number="101",
                   box="/4"),
    make_recipient(4, first_name="Zoë", last_name="Ünal", street="Basiliekstraat",
                   house_number="3", box="bus 12", postcode="1501"),
    make_recipient(5),
]
EXPECTED = [  # hand-written bpost lines in the expected letter order
    ["Maria Van Roy", "Stationsstraat 12 bus 3", "1500 Halle"],
    ["Fatima El Idrissi", "Stationsstraat 101 bus 4", "1500 Halle"],
    ["Zoë Ünal", "Basiliekstraat 3 bus 12", "1501 Halle"],
    ["Jan Peeters", "Leide 7", "1502 Halle"],
]
EXPECTED_CODES = ["K7QM-4TXP-5C", "K7QM-4TXP-3C", "K7QM-4TXP-4C", "K7QM-4TXP-2C"]


@pytest.fixture(scope="module")
def letters_by_profile():
    return {name: render_letters(RECIPIENTS, make_content(), profile)
            for name, profile in PROFILES.items()}


def window_chars(page, profile: EnvelopeProfile, grow_mm: float = 0) -> list[dict]:
    left = (profile.window_x_mm - grow_mm) * MM
    top = (profile.window_y_mm_from_top - grow_mm) * MM
    right = left + (profile.window_w_mm + 2 * grow_mm) * MM
    bottom = top + (profile.window_h_mm + 2 * grow_mm) * MM
    return [char for char in page.chars if char["x1"] > left and char["x0"] < right
            and char["bottom"] > top and char["top"] < bottom]


def lines_of(chars: list[dict]) -> list[str]:
    rows: dict[float, list[dict]] = {}
    for char in chars:
        rows.setdefault(round(char["bottom"], 1), []).append(char)
    lines = []
    for key in sorted(rows):
        row, text = sorted(rows[key], key=lambda char: char["x0"]), ""
        for before, char in zip([None, *row], row, strict=False):
            gap = before is not None and char["x0"] - before["x1"] > 0.2 * char["size"]
            text += (" " if gap else "") + char["text"]
        lines.append(" ".join(text.split()))
    return lines


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_address_lies_inside_the_window_in_bpost_form(letters_by_profile, name):
    profile = PROFILES[name]
    margin = profile.safety_margin_mm * MM
    with pdfplumber.open(io.BytesIO(letters_by_profile[name])) as pdf:
        assert len(pdf.pages) == 2 * len(RECIPIENTS)
        for expected, page in zip(EXPECTED, pdf.pages[::2], strict=True):
            near = window_chars(page, profile, grow_mm=8)
            assert lines_of(near) == expected  # nothing else within 8 mm of the window
            right = (profile.window_x_mm + profile.window_w_mm) * MM - margin
            bottom = (profile.window_y_mm_from_top + profile.window_h_mm) * MM - margin
            for char in near:
                assert char["x0"] >= profile.window_x_mm * MM + margin - ROUNDING
                assert char["x1"] <= right + ROUNDING
                assert char["top"] >= profile.window_y_mm_from_top * MM + margin - ROUNDING
                assert char["bottom"] <= bottom + ROUNDING


def test_code_subject_objection_and_privacy_are_printed(letters_by_profile):
    with pdfplumber.open(io.BytesIO(letters_by_profile["DL_LEFT"])) as pdf:
        for index, code in enumerate(EXPECTED_CODES):
            front = pdf.pages[2 * index].extract_text()
            back = pdf.pages[2 * index + 1].extract_text()
            assert code in front
            assert "panel.halle.be" in front
            assert "Doe mee aan Stadspanel Halle" in front
            assert "Reageer vóór 31 maart 2026." in front
            assert "U wilt niet deelnemen of niet meer gecontacteerd worden?" in front
            assert "Gegevensbeschermingsautoriteit" in back
            assert "bevolkingsregister" in back
            assert "privacy@halle.be" in back
        code_chars = [char for char in pdf.pages[0].chars if char["text"] == "K"]
        assert max(char["size"] for char in code_chars) >= 16


def test_qr_code_decodes_to_the_personal_link(letters_by_profile):
    document = pdfium.PdfDocument(letters_by_profile["C5"])
    for page_index, person in ((0, RECIPIENTS[3]), (6, RECIPIENTS[0])):
        image = document[page_index].render(scale=200 / 72).to_pil()
        assert [result.text for result in zxingcpp.read_barcodes(image)] == [person.link]
    document.close()


def test_long_address_is_shortened_and_stays_in_the_window():
    person = make_recipient(1, first_name="Maria Josephina Clementine Augustina",
                            last_name="Van Roy-De Smet-Vandenbroucke",
                            street="Burgemeester Jozef Van Oudenhovestraat-Oostzijde",
                            house_number="124A", box="0012", municipality="Sint-Pieters-Leeuw")
    lines = person.address_lines()
    assert all(len(line) <= 50 for line in lines)
    assert lines[0] == "M. J. C. A. Van Roy-De Smet-Vandenbroucke"
    assert lines[1].endswith(". 124A bus 12")
    with pdfplumber.open(io.BytesIO(render_letters([person], make_content(), DL_LEFT))) as pdf:
        near = window_chars(pdf.pages[0], DL_LEFT, grow_mm=8)
        assert lines_of(near) == lines
        assert max(char["x1"] for char in near) <= (DL_LEFT.window_x_mm + 80) * MM + ROUNDING


@pytest.mark.parametrize(("house_number", "box", "expected"), [
    ("12", "b3", "Stationsstraat 12 bus 3"), ("12", "/3", "Stationsstraat 12 bus 3"),
    ("12", "bus 3", "Stationsstraat 12 bus 3"), ("12", "3", "Stationsstraat 12 bus 3"),
    ("12", "#3", "Stationsstraat 12 bus 3"), ("12/3", None, "Stationsstraat 12 bus 3"),
    ("12 b3", "", "Stationsstraat 12 bus 3"), ("12", "0003", "Stationsstraat 12 bus 3"),
    ("12B", None, "Stationsstraat 12B"), ("12 bis", None, "Stationsstraat 12 bis"),
    ("12", "B", "Stationsstraat 12 bus B"), ("12", "  ", "Stationsstraat 12"),
])
def test_box_is_written_bus(house_number, box, expected):
    lines = format_address("Maria", "Van Roy", "Stationsstraat", house_number, box, "1500",
                           "Halle")
    assert lines == ["Maria Van Roy", expected, "1500 Halle"]


@pytest.mark.parametrize("postcode", ["B-1500", "b 1500", "1500", " B1500 "])
def test_postcode_has_no_country_prefix_and_no_country_line(postcode):
    lines = format_address(" Maria ", "Van  Roy", "Stationsstraat", "1", None, postcode, "Halle")
    assert lines == ["Maria Van Roy", "Stationsstraat 1", "1500 Halle"]


@pytest.mark.parametrize("postcode", ["150", "NL-1500", "15000", ""])
def test_invalid_postcode_is_refused(postcode):
    with pytest.raises(AddressError, match="postcode"):
        format_address("Maria", "Van Roy", "Stationsstraat", "1", None, postcode, "Halle")


def test_missing_street_is_refused():
    with pytest.raises(AddressError):
        format_address("Maria", "Van Roy", " ", "1", None, "1500", "Halle")


def test_envelope_profiles():
    assert (DL_LEFT.window_x_mm, DL_LEFT.window_y_mm_from_top) == (20, 45)
    assert DL_RIGHT.window_x_mm == 210 - 20 - 85
    assert DL_LEFT.text_area_mm == (25, 50, 75, 35)
    assert C5.fold_lines_mm == (148.5,)
    with pytest.raises(ValueError, match="buiten"):
        EnvelopeProfile("X", "te breed", 150, 45, 85, 45)


@pytest.mark.parametrize("template", ["Dag {voornam}", "{code.__class__}", "{link[0]}",
                                      "{0}", "{}", "{code!r}", "{naam:>10}"])
def test_unknown_placeholders_are_rejected(template):
    with pytest.raises(TemplateError, match="Onbekende invulvelden") as raised:
        fill_template(template, {"naam": "X", "code": "Y", "link": "Z"})
    assert template[template.index("{"):] in str(raised.value)


def test_stray_braces_are_rejected_and_doubled_braces_are_literal():
    with pytest.raises(TemplateError, match="accolade"):
        fill_template("Dag {voornaam", {"voornaam": "Maria"})
    assert fill_template("{{naam}} = {naam}", {"naam": "Van Roy"}) == "{naam} = Van Roy"


def test_render_refuses_a_template_with_unknown_placeholder():
    bad = dataclasses.replace(TEMPLATE, body="Dag {code.__init__.__globals__}")
    with pytest.raises(TemplateError):
        render_letters(RECIPIENTS, make_content(templates={"nl": bad}), DL_LEFT)


def test_markup_and_ampersand_render_literally():
    body = "Let op: <b>vet</b> & {voornaam} &amp; <font size=40>groot</font>"
    content = make_content(templates={"nl": dataclasses.replace(TEMPLATE, body=body)})
    with pdfplumber.open(io.BytesIO(render_letters(RECIPIENTS[:1], content, DL_LEFT))) as pdf:
        text = pdf.pages[0].extract_text()
    assert "Let op: <b>vet</b> & Jan &amp; <font size=40>groot</font>" in text


def test_reminder_uses_reminder_text():
    pdf_bytes = render_letters(RECIPIENTS[:1], make_content(), DL_LEFT, reminder=True)
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        text = pdf.pages[0].extract_text()
    assert "Herinnering: Stadspanel Halle" in text
    assert "We herinneren u aan onze brief." in text
    assert "toevallig gekozen" not in text


def test_empty_privacy_fields_are_refused():
    incomplete = dataclasses.replace(NOTICE, dpo_contact=" ", retention="")
    with pytest.raises(LetterError, match="Functionaris voor gegevensbescherming") as raised:
        validate_privacy_notice(incomplete)
    assert "Hoe lang bewaren we ze?" in str(raised.value)
    content = make_content(templates={"nl": dataclasses.replace(TEMPLATE, privacy=incomplete)})
    with pytest.raises(LetterError, match="onvolledig"):
        render_letters(RECIPIENTS, content, DL_LEFT)


def test_text_too_long_for_page_one_is_refused():
    long_body = "\n\n".join(["Een lange alinea met veel woorden erin." * 6] * 12)
    content = make_content(templates={"nl": dataclasses.replace(TEMPLATE, body=long_body)})
    with pytest.raises(LetterError, match="te lang"):
        render_letters(RECIPIENTS[:1], content, DL_LEFT)


def test_unknown_language_falls_back_to_dutch_and_metadata_is_set():
    pdf_bytes = render_letters([make_recipient(1, language="fr")], make_content(), DL_LEFT)
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    assert "Doe mee aan Stadspanel Halle" in reader.pages[0].extract_text()
    assert reader.metadata.title == "Uitnodigingen Stadspanel Halle"
    assert reader.metadata.author == "Stad Halle"
    assert reader.trailer["/Root"]["/Lang"] == "nl"


def test_logo_is_embedded_once_and_shown_on_every_letter():
    buffer = io.BytesIO()
    Image.new("RGB", (60, 20), (0, 90, 160)).save(buffer, "PNG")
    pdf_bytes = render_letters(RECIPIENTS, make_content(logo=buffer.getvalue()), DL_LEFT)
    assert pdf_bytes.count(b"/Subtype /Image") == 1
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        assert [len(page.images) for page in pdf.pages[::2]] == [1] * len(RECIPIENTS)


def test_mailing_list_is_sorted_formula_safe_and_has_no_codes():
    people = [*RECIPIENTS, make_recipient(9, first_name="=HYPERLINK(\"x\")", postcode="1503",
                                          street="@straat")]
    data = mailing_list_csv(people)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["brief", "adresregel 1", "adresregel 2", "adresregel 3"]
    assert [row[1:4] for row in rows[1:5]] == EXPECTED
    assert rows[5][1].startswith("'=HYPERLINK")
    assert rows[5][2].startswith("'@straat")
    assert [row[4] for row in rows[1:]] == ["1500", "1500", "1501", "1502", "1503"]
    assert b"K7QM" not in data
    assert b"panel.halle.be/j/" not in data


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_calibration_sheet_draws_window_and_sample_address(name):
    profile = PROFILES[name]
    with pdfplumber.open(io.BytesIO(render_calibration_sheet(profile))) as pdf:
        page = pdf.pages[0]
        outlines = [rect for rect in page.rects
                    if abs(rect["x0"] - profile.window_x_mm * MM) < 0.5
                    and abs(rect["top"] - profile.window_y_mm_from_top * MM) < 0.5
                    and abs(rect["width"] - profile.window_w_mm * MM) < 0.5
                    and abs(rect["height"] - profile.window_h_mm * MM) < 0.5]
        assert len(outlines) == 1
        inside = window_chars(page, profile)
        assert lines_of(inside) == ["Maria Van Roy", "Stationsstraat 12 bus 3", "1500 Halle"]
        assert f"{profile.window_w_mm:g} × {profile.window_h_mm:g} mm" in page.extract_text()
