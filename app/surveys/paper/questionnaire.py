"""The paper questionnaire as a PDF (A4, reportlab): one questionnaire or a batch.

Pure module: a :class:`~app.surveys.definition.SurveyDefinition` and plain values in, PDF bytes
out. The layout of each language is drawn once into PDF form XObjects; every respondent's
pages reuse them and add only the respondent's barcode and the page numbers, so a batch of
hundreds of questionnaires stays small and fast.
"""

import io
from collections.abc import Sequence

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame

from app.surveys.definition.model import SurveyDefinition, text_in
from app.surveys.paper.blocks import BlockBuilder
from app.surveys.paper.style import PaperStyle, paper_style
from app.surveys.paper.text import phrase

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
HEADER_HEIGHT = 24 * mm
FOOTER_HEIGHT = 16 * mm
BAR_WIDTH = 0.42 * mm
BAR_HEIGHT = 11 * mm


def render_paper(definition: SurveyDefinition, *, language: str = "nl",
                 respondent_code: str | None = None, large_print: bool = False,
                 return_address_lines: Sequence[str] = (),
                 return_instruction: str | None = None) -> bytes:
    """One paper questionnaire as PDF bytes.

    Parameters
    ----------
    definition : SurveyDefinition
        The survey.
    language : str
        Language of the questionnaire (texts fall back to Dutch).
    respondent_code : str or None
        Printed, and as a Code128 barcode, on every page; None for a blank copy.
    large_print : bool
        14 pt body text, 16 pt questions and 6 mm tick boxes.
    return_address_lines : sequence of str
        Printed under the return instruction.
    return_instruction : str or None
        Replaces the default "send it back in the reply envelope" sentence.

    Returns
    -------
    bytes
        The PDF, with an even page count (duplex printing).

    References
    ----------
    .. [1] ISO/IEC 15417:2007, Code 128 bar code symbology specification.
    .. [2] Dillman, D. A., Smyth, J. D., & Christian, L. M. (2014). Internet, Phone, Mail, and
       Mixed-Mode Surveys: The Tailored Design Method (4th ed.), ch. 6. Wiley.
    """
    return render_paper_batch(definition, [(respondent_code, language)], large_print=large_print,
                              return_address_lines=return_address_lines,
                              return_instruction=return_instruction)


def render_paper_batch(definition: SurveyDefinition,
                       respondents: Sequence[tuple[str | None, str]], *,
                       large_print: bool = False, return_address_lines: Sequence[str] = (),
                       return_instruction: str | None = None) -> bytes:
    """Many questionnaires in one PDF, each starting on a fresh sheet with an even page count.

    `respondents` holds (respondent code, language) pairs; other parameters as in
    :func:`render_paper`.
    """
    style = paper_style(large_print)
    buffer = io.BytesIO()
    first_language = respondents[0][1] if respondents else "nl"
    canvas = Canvas(buffer, pagesize=A4, lang=first_language, pageCompression=1)
    canvas.setTitle(text_in(definition.title, first_language))
    canvas.setAuthor("Stadspanel")
    canvas.setSubject("Stadspanel")
    canvas.setCreator("Stadspanel")
    layouts: dict[str, list[str]] = {}
    for serial, (code, language) in enumerate(respondents):
        if language not in layouts:
            layouts[language] = _draw_layout(canvas, definition, language, style,
                                             tuple(return_address_lines), return_instruction)
        _draw_respondent(canvas, layouts[language], code, language, style, serial)
    if not respondents:
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_layout(canvas: Canvas, definition: SurveyDefinition, language: str,
                 style: PaperStyle, address: tuple[str, ...], instruction: str | None) -> list[str]:
    """Draw the pages of one language into forms; return the form names (blank page padded)."""
    builder = BlockBuilder(definition, language, style)
    blocks = builder.blocks(return_address_lines=address, return_instruction=instruction)
    paginator = _Paginator(canvas, f"{language}{'L' if style.large else 'N'}")
    for block in blocks:
        paginator.add_block(block)
    names = paginator.finish()
    if len(names) % 2:
        names.append(_draw_blank_page(canvas, f"{language}{'L' if style.large else 'N'}",
                                      language, style))
    return names


def _draw_blank_page(canvas: Canvas, prefix: str, language: str, style: PaperStyle) -> str:
    name = f"{prefix}-blank"
    canvas.beginForm(name)
    canvas.setFont(style.fonts.italic, style.body.fontSize)
    canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT / 2, phrase(language, "blank"))
    canvas.endForm()
    return name


def _draw_respondent(canvas: Canvas, pages: list[str], code: str | None, language: str,
                     style: PaperStyle, serial: int) -> None:
    """The respondent's pages: layout form, code form (drawn once), page number."""
    code_form = None
    if code is not None:
        code_form = f"code-{serial}"
        canvas.beginForm(code_form)
        _draw_code(canvas, code, language, style)
        canvas.endForm()
    for number, name in enumerate(pages, start=1):
        canvas.doForm(name)
        if code_form:
            canvas.doForm(code_form)
        canvas.setFont(style.fonts.regular, style.small_size)
        canvas.drawCentredString(PAGE_WIDTH / 2, 9 * mm,
                                 phrase(language, "page_of", page=number, pages=len(pages)))
        canvas.showPage()


def _draw_code(canvas: Canvas, code: str, language: str, style: PaperStyle) -> None:
    """Code128 barcode top right and the printed code top left."""
    top = PAGE_HEIGHT - 8 * mm
    barcode = Code128(code, barWidth=BAR_WIDTH, barHeight=BAR_HEIGHT, humanReadable=False,
                      quiet=True)
    barcode.drawOn(canvas, PAGE_WIDTH - MARGIN - barcode.width + barcode.rquiet,
                   top - BAR_HEIGHT)
    canvas.setFont(style.fonts.bold, style.small_size)
    canvas.drawString(MARGIN, top - style.small_size, f"{phrase(language, 'code')}: {code}")


class _Paginator:
    """Places blocks of flowables into page forms; a block that fits on a page is not split."""

    def __init__(self, canvas: Canvas, prefix: str) -> None:
        self.canvas, self.prefix = canvas, prefix
        self.names: list[str] = []
        self.frame = self._new_page()

    def _new_page(self) -> Frame:
        if self.names:
            self.canvas.endForm()
        self.names.append(f"{self.prefix}-p{len(self.names) + 1}")
        self.canvas.beginForm(self.names[-1])
        self.frame = Frame(MARGIN, FOOTER_HEIGHT, PAGE_WIDTH - 2 * MARGIN,
                           PAGE_HEIGHT - HEADER_HEIGHT - FOOTER_HEIGHT, leftPadding=0,
                           rightPadding=0, topPadding=0, bottomPadding=0)
        return self.frame

    def add_block(self, block: list) -> None:
        """Add a block, starting a new page first when it would not fit but fits a page.

        A block taller than a page is placed group by group (nested lists are groups; the
        flowables before the first group stay with it).
        """
        height = _block_height(block, self.frame._aW)
        if height > self._available() and height <= self.frame._aH and not self.frame._atTop:
            self._new_page()
        if height <= self.frame._aH or not any(isinstance(part, list) for part in block):
            for flowable in _flatten(block):
                self._add(flowable)
            return
        for group in _regroup(block):
            self.add_block(group)

    def _available(self) -> float:
        return self.frame._y - self.frame._y1p

    def _add(self, flowable: Flowable) -> None:
        if self.frame.add(flowable, self.canvas, trySplit=1):
            return
        parts = self.frame.split(flowable, self.canvas)
        if len(parts) > 1 or (parts and parts[0] is not flowable):
            for part in parts:
                self._add(part)
            return
        if self.frame._atTop:
            raise ValueError("an element of the questionnaire is larger than a page")
        self._new_page()
        self._add(flowable)

    def finish(self) -> list[str]:
        """Close the last page and return the form names."""
        self.canvas.endForm()
        return self.names


def _flatten(block: list) -> list[Flowable]:
    return [flowable for part in block
            for flowable in (_flatten(part) if isinstance(part, list) else [part])]


def _regroup(block: list) -> list[list]:
    groups: list[list] = [[]]
    for part in block:
        if isinstance(part, list):
            groups[-1].extend(part)
            groups.append([])
        elif groups[-1] or len(groups) == 1:
            groups[-1].append(part)
        else:
            groups.append([part])
    return [group for group in groups if group]


def _block_height(block: list, width: float) -> float:
    total = 0.0
    for flowable in _flatten(block):
        _, height = flowable.wrap(width, PAGE_HEIGHT)
        total += height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total
