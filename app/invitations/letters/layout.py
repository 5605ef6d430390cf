"""Page layout of an invitation letter (A4): letterhead, address window, text, code box.

All y positions are points from the top of the page. Body text is 11 pt on 15 pt leading,
left aligned (ragged right reads more easily than justified text); the access code is
20 pt bold monospace.
"""

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from app.invitations.letters.content import (
    PRIVACY_LABELS,
    LetterContent,
    LetterError,
    PrivacyNotice,
)
from app.invitations.letters.drawing import (
    PAGE_WIDTH,
    Fonts,
    draw_lines,
    draw_qr,
    from_top,
    paragraphs,
    text_width,
    wrap_text,
)
from app.invitations.letters.envelopes import EnvelopeProfile

LEFT = 20 * mm
TEXT_WIDTH = PAGE_WIDTH - 40 * mm
BODY_SIZE, BODY_LEADING, PARAGRAPH_GAP = 11, 15, 6
PRIVACY_SIZE, PRIVACY_LEADING = 10.5, 14
CODE_BOX_HEIGHT = 40 * mm
OBJECTION_BOTTOM = 276 * mm
CLEAR_BELOW_WINDOW_MM = 9  # a letter shifting in its envelope must not show other text
ADDRESS_SIZES = (11, 10.5, 10, 9.5, 9, 8.5, 8)
PRIVACY_FIELDS = ("controller", "dpo_contact", "purpose", "legal_basis", "source",
                  "data_categories", "recipients", "retention", "rights", "complaint")


@dataclass(frozen=True)
class LetterPlan:
    """The filled-in texts of one letter."""

    language: str
    address: tuple[str, ...]
    date_line: str
    subject: str
    body: str
    closing: str
    signature: tuple[str, ...]
    code: str
    link: str
    short_url: str
    labels: dict
    objection: str


def privacy_form_name(language: str) -> str:
    """Name of the form XObject holding the privacy notice of `language`."""
    return f"privacy_{language}"


def define_letterhead(pdf: Canvas, content: LetterContent, profile: EnvelopeProfile,
                      fonts: Fonts, logo: ImageReader | None) -> float:
    """Define the form "letterhead" (logo, sender block, fold marks); return the date's y.

    The sender block stands beside the window, at least 15 mm from it.
    """
    pdf.beginForm("letterhead")
    if logo is not None:
        width, height = logo.getSize()
        scale = min(70 * mm / width, 22 * mm / height)
        pdf.drawImage(logo, LEFT, from_top(12 * mm + height * scale), width * scale,
                      height * scale, mask="auto")
    x, width = _side_column(profile)
    y = profile.window_y_mm_from_top * mm + 9
    for index, line in enumerate(content.letterhead_lines):
        font, size = (fonts.bold, 10) if index == 0 else (fonts.regular, 9.5)
        wrapped = wrap_text(line, font, size, width)
        draw_lines(pdf, wrapped, x, y, font, size, 12.5)
        y += 12.5 * len(wrapped) + (1.5 if index == 0 else 0)
    pdf.setLineWidth(0.5)
    for fold in profile.fold_lines_mm:
        pdf.line(3 * mm, from_top(fold * mm), 8 * mm, from_top(fold * mm))
    pdf.endForm()
    return y + 12.5


def _side_column(profile: EnvelopeProfile) -> tuple[float, float]:
    """x and width of the sender column: 20 mm right of a left window, or left of the window."""
    if profile.window_on_left:
        x = (profile.window_x_mm + profile.window_w_mm + 20) * mm
        return x, PAGE_WIDTH - LEFT - x
    return LEFT, (profile.window_x_mm - 15) * mm - LEFT


def define_privacy_form(pdf: Canvas, content: LetterContent, language: str, fonts: Fonts,
                        *, on_front: bool) -> None:
    """Define the privacy notice form; on its own page (top 25 mm) or to be shifted down."""
    notice = content.template_for(language).privacy
    labels = PRIVACY_LABELS.get(language, PRIVACY_LABELS["nl"])
    pdf.beginForm(privacy_form_name(language))
    top = 0 if on_front else 25 * mm
    bottom = _draw_privacy(pdf, notice, labels, fonts, top)
    pdf.endForm()
    if bottom > OBJECTION_BOTTOM:
        raise LetterError("De privacyverklaring is te lang voor één bladzijde.")


def privacy_height(notice: PrivacyNotice, language: str, fonts: Fonts) -> float:
    """Height in points of the privacy block."""
    labels = PRIVACY_LABELS.get(language, PRIVACY_LABELS["nl"])
    return _draw_privacy(None, notice, labels, fonts, 0)


def _draw_privacy(pdf: Canvas | None, notice: PrivacyNotice, labels: dict, fonts: Fonts,
                  top: float) -> float:
    y = top + 14
    if pdf is not None:
        draw_lines(pdf, [labels["title"]], LEFT, y, fonts.bold, 13, 16)
    y += 10
    for name in PRIVACY_FIELDS:
        lines = wrap_text(getattr(notice, name), fonts.regular, PRIVACY_SIZE, TEXT_WIDTH)
        y += PRIVACY_LEADING
        if pdf is not None:
            draw_lines(pdf, [labels[name]], LEFT, y, fonts.bold, PRIVACY_SIZE, PRIVACY_LEADING)
            draw_lines(pdf, lines, LEFT, y + PRIVACY_LEADING, fonts.regular, PRIVACY_SIZE,
                       PRIVACY_LEADING)
        y += PRIVACY_LEADING * len(lines) + 4
    return y


def fits_privacy_on_front(plan: LetterPlan, content: LetterContent, profile: EnvelopeProfile,
                          fonts: Fonts) -> bool:
    """True when the privacy block fits between the letter text and the objection box."""
    notice = content.template_for(plan.language).privacy
    end = _text_bottom(plan, fonts, None, profile) + 6 * mm
    return end + privacy_height(notice, plan.language, fonts) <= _objection_top(plan, fonts)


def draw_first_page(pdf: Canvas, plan: LetterPlan, profile: EnvelopeProfile, fonts: Fonts,
                    *, date_top: float, privacy_on_front: bool) -> None:
    """Draw page 1 of a letter and, when `privacy_on_front`, end the letter's page."""
    pdf.doForm("letterhead")
    draw_lines(pdf, [plan.date_line], _side_column(profile)[0], date_top, fonts.regular, 9.5, 12.5)
    draw_address(pdf, plan.address, profile, fonts)
    end = _text_bottom(plan, fonts, pdf, profile)
    if end > _objection_top(plan, fonts) - 4 * mm:
        raise LetterError("De brieftekst is te lang voor de eerste bladzijde. Kort de tekst in.")
    _draw_objection(pdf, plan, fonts)
    if privacy_on_front:
        pdf.saveState()
        pdf.translate(0, -(end + 6 * mm))
        pdf.doForm(privacy_form_name(plan.language))
        pdf.restoreState()
    else:
        footer = plan.labels["over"]
        draw_lines(pdf, [footer], PAGE_WIDTH - LEFT - text_width(footer, fonts.regular, 9),
                   OBJECTION_BOTTOM + 7 * mm, fonts.regular, 9, 11)
    pdf.showPage()


def draw_address(pdf: Canvas, lines: tuple[str, ...], profile: EnvelopeProfile,
                 fonts: Fonts) -> None:
    """Draw the address lines left aligned and vertically centred in the window's text area."""
    x, y, width, height = (value * mm for value in profile.text_area_mm)
    size = next((size for size in ADDRESS_SIZES
                 if max(text_width(line, fonts.regular, size) for line in lines) <= width),
                ADDRESS_SIZES[-1])
    widest = max(text_width(line, fonts.regular, size) for line in lines)
    scale = min(100.0, 100.0 * width / widest) if widest else 100.0
    leading = size * 1.3
    block = leading * (len(lines) - 1) + size
    if block > height or scale < 60:
        raise LetterError("Het adres past niet in het venster van de envelop.")
    first_baseline = y + (height - block) / 2 + size * 0.8
    draw_lines(pdf, lines, x, first_baseline, fonts.regular, size, leading, scale)


def _text_bottom(plan: LetterPlan, fonts: Fonts, pdf: Canvas | None,
                 profile: EnvelopeProfile) -> float:
    """Lay out date, subject, body, code box and closing; return the bottom y."""
    y = (profile.window_y_mm_from_top + profile.window_h_mm + CLEAR_BELOW_WINDOW_MM) * mm
    subject = wrap_text(plan.subject, fonts.bold, 12.5, TEXT_WIDTH)
    if pdf is not None:
        draw_lines(pdf, subject, LEFT, y + 9.5, fonts.bold, 12.5, 16)
    y += 16 * len(subject) + 4
    y = _paragraph_block(pdf, plan.body, y, fonts)
    if pdf is not None:
        _draw_code_box(pdf, plan, fonts, y)
    y = _paragraph_block(pdf, plan.closing, y + CODE_BOX_HEIGHT + 5 * mm, fonts)
    if plan.signature and pdf is not None:
        draw_lines(pdf, plan.signature, LEFT, y + BODY_LEADING, fonts.regular, BODY_SIZE,
                   BODY_LEADING)
    return y + BODY_LEADING * len(plan.signature)


def _paragraph_block(pdf: Canvas | None, text: str, top: float, fonts: Fonts) -> float:
    y = top
    for paragraph in paragraphs(text):
        lines = wrap_text(paragraph, fonts.regular, BODY_SIZE, TEXT_WIDTH)
        if pdf is not None:
            draw_lines(pdf, lines, LEFT, y + BODY_LEADING, fonts.regular, BODY_SIZE,
                       BODY_LEADING)
        y += BODY_LEADING * len(lines) + PARAGRAPH_GAP
    return y


def _draw_code_box(pdf: Canvas, plan: LetterPlan, fonts: Fonts, top: float) -> None:
    pdf.setFillColorRGB(0.94, 0.94, 0.94)
    pdf.setStrokeColorRGB(0.55, 0.55, 0.55)
    pdf.roundRect(LEFT, from_top(top + CODE_BOX_HEIGHT), TEXT_WIDTH, CODE_BOX_HEIGHT, 3 * mm,
                  stroke=1, fill=1)
    pdf.setFillColorRGB(0, 0, 0)
    x = LEFT + 6 * mm
    draw_lines(pdf, [plan.labels["code"] + ":"], x, top + 9 * mm, fonts.bold, 11, 14)
    draw_lines(pdf, [plan.code], x, top + 19 * mm, fonts.code, 20, 24)
    surf = f"{plan.labels['surf']} "
    draw_lines(pdf, [surf], x, top + 28 * mm, fonts.regular, 11, 14)
    url_x = x + text_width(surf, fonts.regular, 11)
    draw_lines(pdf, [plan.short_url], url_x, top + 28 * mm, fonts.bold, 11, 14)
    draw_lines(pdf, [" " + plan.labels["type"]], url_x + text_width(plan.short_url, fonts.bold,
               11), top + 28 * mm, fonts.regular, 11, 14)
    draw_lines(pdf, [plan.labels["scan"]], x, top + 34.5 * mm, fonts.regular, 11, 14)
    qr_size = CODE_BOX_HEIGHT - 6 * mm
    draw_qr(pdf, plan.link, LEFT + TEXT_WIDTH - qr_size - 3 * mm, top + 3 * mm, qr_size)


def _objection_lines(plan: LetterPlan, fonts: Fonts) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The objection text wrapped: its opening question (bold) and the rest (regular)."""
    question, mark, rest = plan.objection.partition("?")
    if not mark:
        question, rest = "", plan.objection
    width = TEXT_WIDTH - 10 * mm
    bold = wrap_text(question + mark, fonts.bold, 10.5, width) if mark else ()
    return bold, wrap_text(rest.strip(), fonts.regular, 10.5, width) if rest.strip() else ()


def _objection_top(plan: LetterPlan, fonts: Fonts) -> float:
    bold, regular = _objection_lines(plan, fonts)
    return OBJECTION_BOTTOM - 14 * (len(bold) + len(regular)) - 7 * mm


def _draw_objection(pdf: Canvas, plan: LetterPlan, fonts: Fonts) -> None:
    top = _objection_top(plan, fonts)
    bold, regular = _objection_lines(plan, fonts)
    pdf.setLineWidth(1)
    pdf.setStrokeColorRGB(0, 0, 0)
    pdf.rect(LEFT, from_top(OBJECTION_BOTTOM), TEXT_WIDTH, OBJECTION_BOTTOM - top, stroke=1)
    first_baseline = top + 3.5 * mm + 10.5
    draw_lines(pdf, bold, LEFT + 5 * mm, first_baseline, fonts.bold, 10.5, 14)
    draw_lines(pdf, regular, LEFT + 5 * mm, first_baseline + 14 * len(bold), fonts.regular,
               10.5, 14)
