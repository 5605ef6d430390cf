"""Fonts, sizes and paragraph styles of the paper questionnaire (normal and large print)."""

import functools
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

FONT_DIRECTORIES = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
_FONT_FILES = {"PaperSans": "DejaVuSans.ttf", "PaperSans-Bold": "DejaVuSans-Bold.ttf",
               "PaperSans-Oblique": "DejaVuSans-Oblique.ttf",
               "PaperSans-BoldOblique": "DejaVuSans-BoldOblique.ttf"}
_BASE14 = ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique")


@dataclass(frozen=True)
class Fonts:
    """Registered font names."""

    regular: str
    bold: str
    italic: str
    bold_italic: str


@functools.cache
def paper_fonts() -> Fonts:
    """DejaVu Sans (accents, €) registered as a family when installed, else Helvetica."""
    for directory in FONT_DIRECTORIES:
        paths = {name: directory / file for name, file in _FONT_FILES.items()}
        if not all(path.is_file() for path in paths.values()):
            continue
        try:
            for name, path in paths.items():
                pdfmetrics.registerFont(TTFont(name, str(path)))
        except (OSError, TTFError):
            continue
        fonts = Fonts(*paths)
        pdfmetrics.registerFontFamily(fonts.regular, normal=fonts.regular, bold=fonts.bold,
                                      italic=fonts.italic, boldItalic=fonts.bold_italic)
        return fonts
    return Fonts(*_BASE14)


@dataclass(frozen=True)
class PaperStyle:
    """Every size and paragraph style used on the questionnaire."""

    large: bool
    fonts: Fonts
    body: ParagraphStyle
    question: ParagraphStyle
    help: ParagraphStyle
    routing: ParagraphStyle
    title: ParagraphStyle
    section: ParagraphStyle
    column_header: ParagraphStyle
    small_size: float
    box: float
    digit_box: float
    line_spacing: float
    column: float
    min_item_column: float
    indent: float


@functools.cache
def paper_style(large: bool) -> PaperStyle:
    """Normal print (11 pt body, 5 mm boxes) or large print (14 pt body, 6 mm boxes)."""
    fonts = paper_fonts()
    body_size, question_size = (14.0, 16.0) if large else (11.0, 12.0)
    small = 14.0 if large else 9.0
    indent = (13 if large else 10) * mm
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=body_size,
                          leading=body_size * 1.3)
    return PaperStyle(
        large=large, fonts=fonts, body=body,
        question=ParagraphStyle("question", parent=body, fontName=fonts.bold,
                                fontSize=question_size, leading=question_size * 1.3,
                                leftIndent=indent, bulletIndent=0, bulletFontName=fonts.bold,
                                bulletFontSize=question_size, spaceBefore=4 * mm,
                                spaceAfter=1.5 * mm),
        help=ParagraphStyle("help", parent=body, fontSize=small if large else 10,
                            leading=(small if large else 10) * 1.3, leftIndent=indent,
                            textColor=(0.2, 0.2, 0.2), spaceAfter=1.5 * mm),
        routing=ParagraphStyle("routing", parent=body, fontName=fonts.bold_italic,
                               leftIndent=indent, backColor=(0.9, 0.9, 0.9),
                               borderPadding=(1.5 * mm, 2 * mm), spaceBefore=4 * mm,
                               spaceAfter=2 * mm),
        title=ParagraphStyle("title", parent=body, fontName=fonts.bold,
                             fontSize=26 if large else 20, leading=(26 if large else 20) * 1.25,
                             spaceAfter=4 * mm),
        section=ParagraphStyle("section", parent=body, fontName=fonts.bold,
                               fontSize=18 if large else 14, leading=(18 if large else 14) * 1.3,
                               spaceBefore=2 * mm, spaceAfter=1 * mm),
        column_header=ParagraphStyle("column", parent=body, fontSize=small,
                                     leading=small * 1.2, alignment=TA_CENTER),
        small_size=small, box=(6 if large else 5) * mm, digit_box=(9 if large else 7) * mm,
        line_spacing=(12 if large else 9) * mm, column=(26 if large else 20) * mm,
        min_item_column=(60 if large else 45) * mm, indent=indent,
    )


def markup(text: str) -> str:
    """User text made safe for Paragraph markup; line breaks kept."""
    return escape(text).replace("\n", "<br/>")
