"""Calibration sheet: the window outline of an envelope profile, drawn to scale on A4.

Staff print it at 100 %, fold it like a letter and hold it in an envelope: the outline must
match the window and the sample address must be fully visible.
"""

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.invitations.letters.addresses import format_address
from app.invitations.letters.drawing import Fonts, draw_lines, from_top, wrap_text
from app.invitations.letters.envelopes import A4_HEIGHT_MM, A4_WIDTH_MM, EnvelopeProfile
from app.invitations.letters.layout import LEFT, draw_address

SAMPLE_ADDRESS = ("Maria", "Van Roy", "Stationsstraat", "12", "3", "1500", "Halle")


MISSING = "ONTBREEKT: zonder dit worden geen brieven gemaakt"


def draw_calibration(pdf: Canvas, profile: EnvelopeProfile, fonts: Fonts,
                     contacts: Sequence[tuple[str, str]] = ()) -> None:
    """Draw one calibration page for `profile` and finish the page.

    ``contacts``: (label, value) rows of what every letter prints as sender, phone, e-mail and
    signature; an empty value is shown as missing.
    """
    _draw_rulers(pdf, fonts)
    _draw_window(pdf, profile, fonts)
    draw_address(pdf, tuple(format_address(*SAMPLE_ADDRESS)), profile, fonts)
    bottom = _draw_instructions(pdf, profile, fonts)
    if contacts:
        _draw_contacts(pdf, contacts, fonts, bottom + 12 * mm)
    pdf.showPage()


def _draw_contacts(pdf: Canvas, contacts, fonts: Fonts, top: float) -> None:
    draw_lines(pdf, ["Afzender en contact op de brieven"], LEFT, top, fonts.bold, 11, 14)
    y = top + 16
    for label, value in contacts:
        lines = wrap_text(f"{label}: {value or MISSING}", fonts.regular, 10, 170 * mm)
        draw_lines(pdf, lines, LEFT, y, fonts.regular, 10, 13)
        y += 13 * len(lines)


def _draw_rulers(pdf: Canvas, fonts: Fonts) -> None:
    pdf.setLineWidth(0.3)
    for position in range(0, int(A4_WIDTH_MM) + 1, 5):
        length = 4 if position % 10 == 0 else 2
        pdf.line(position * mm, from_top(0), position * mm, from_top(length * mm))
        if position % 20 == 0 and 0 < position < A4_WIDTH_MM:
            draw_lines(pdf, [str(position)], position * mm + 0.7 * mm, 6.5 * mm,
                       fonts.regular, 6, 7)
    for position in range(0, int(A4_HEIGHT_MM) + 1, 5):
        length = 4 if position % 10 == 0 else 2
        pdf.line(0, from_top(position * mm), length * mm, from_top(position * mm))
        if position % 20 == 0 and 0 < position < A4_HEIGHT_MM:
            draw_lines(pdf, [str(position)], 4.5 * mm, position * mm + 2, fonts.regular, 6, 7)


def _draw_window(pdf: Canvas, profile: EnvelopeProfile, fonts: Fonts) -> None:
    x, top = profile.window_x_mm * mm, profile.window_y_mm_from_top * mm
    width, height = profile.window_w_mm * mm, profile.window_h_mm * mm
    pdf.setLineWidth(1)
    pdf.rect(x, from_top(top + height), width, height, stroke=1, fill=0)
    inner_x, inner_top, inner_width, inner_height = (v * mm for v in profile.text_area_mm)
    pdf.setDash(2, 2)
    pdf.setLineWidth(0.4)
    pdf.rect(inner_x, from_top(inner_top + inner_height), inner_width, inner_height, stroke=1)
    pdf.line(0, from_top(top + height / 2), x, from_top(top + height / 2))
    pdf.line(x + width / 2, from_top(0), x + width / 2, from_top(top))
    for fold in profile.fold_lines_mm:
        pdf.line(0, from_top(fold * mm), A4_WIDTH_MM * mm, from_top(fold * mm))
        draw_lines(pdf, ["vouwlijn"], 150 * mm, fold * mm - 2, fonts.regular, 7, 8)
    pdf.setDash()
    draw_lines(pdf, [f"{profile.window_w_mm:g} × {profile.window_h_mm:g} mm"], x,
               top - 2 * mm, fonts.bold, 8, 9)
    draw_lines(pdf, [f"{profile.window_x_mm:g} mm"], 9 * mm, top + height / 2 - 2,
               fonts.regular, 7, 8)
    draw_lines(pdf, [f"{profile.window_y_mm_from_top:g} mm"], x + width / 2 + 2, 20 * mm,
               fonts.regular, 7, 8)


def _draw_instructions(pdf: Canvas, profile: EnvelopeProfile, fonts: Fonts) -> float:
    top = (profile.window_y_mm_from_top + profile.window_h_mm) * mm + 20 * mm
    draw_lines(pdf, [f"Kalibratieblad: {profile.label}"], LEFT, top, fonts.bold, 13, 16)
    lines = [
        "1. Druk dit blad af op ware grootte (100 %, niet 'aanpassen aan pagina').",
        "2. Controleer: de lijn hieronder is precies 100 mm lang.",
        "3. Vouw het blad langs de vouwlijnen en steek het in de envelop.",
        "4. Het kader moet samenvallen met het venster. Het voorbeeldadres moet volledig",
        "    zichtbaar zijn, ook als u het blad een beetje verschuift.",
        f"Venster: {profile.window_x_mm:g} mm van links, {profile.window_y_mm_from_top:g} mm "
        f"van boven, {profile.window_w_mm:g} × {profile.window_h_mm:g} mm. Het adres blijft "
        f"{profile.safety_margin_mm:g} mm binnen de rand (stippellijn).",
    ]
    lines = [part for line in lines for part in wrap_text(line, fonts.regular, 10.5, 170 * mm)]
    draw_lines(pdf, lines, LEFT, top + 10 * mm, fonts.regular, 10.5, 16)
    ruler_top = top + 10 * mm + 16 * len(lines) + 6 * mm
    pdf.setLineWidth(1)
    pdf.line(LEFT, from_top(ruler_top), LEFT + 100 * mm, from_top(ruler_top))
    for end in (LEFT, LEFT + 100 * mm):
        pdf.line(end, from_top(ruler_top - 2 * mm), end, from_top(ruler_top + 2 * mm))
    draw_lines(pdf, ["100 mm"], LEFT + 45 * mm, ruler_top + 5 * mm, fonts.regular, 9, 11)
    return ruler_top + 5 * mm
