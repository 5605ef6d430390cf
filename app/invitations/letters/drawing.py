"""Small drawing helpers for the letter PDFs: fonts, text wrapping, text blocks, QR codes.

Positions are given in points with y measured from the TOP of the page (as in the letter
layout and in pdfplumber); :func:`from_top` converts to reportlab's bottom-up y.
"""

import functools
from dataclasses import dataclass
from pathlib import Path

import segno
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas

PAGE_WIDTH, PAGE_HEIGHT = A4
FONT_DIRECTORIES = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
QR_MASK = 2
_TTF_FILES = {"StadspanelSans": "DejaVuSans.ttf", "StadspanelSans-Bold": "DejaVuSans-Bold.ttf",
              "StadspanelMono-Bold": "DejaVuSansMono-Bold.ttf"}


@dataclass(frozen=True)
class Fonts:
    """Font names registered with reportlab: body text, bold text and the access code."""

    regular: str
    bold: str
    code: str


@functools.cache
def letter_fonts() -> Fonts:
    """DejaVu Sans (wide Latin coverage) when installed, else the PDF base-14 fonts."""
    for directory in FONT_DIRECTORIES:
        paths = {name: directory / file for name, file in _TTF_FILES.items()}
        if all(path.is_file() for path in paths.values()):
            try:
                for name, path in paths.items():
                    pdfmetrics.registerFont(TTFont(name, str(path)))
            except (OSError, TTFError):
                continue
            return Fonts(*paths)
    return Fonts("Helvetica", "Helvetica-Bold", "Courier-Bold")


def from_top(y_from_top: float) -> float:
    """Reportlab's y for a distance in points from the top of an A4 page."""
    return PAGE_HEIGHT - y_from_top


def text_width(text: str, font: str, size: float) -> float:
    """Width of `text` in points."""
    return pdfmetrics.stringWidth(text, font, size)


@functools.lru_cache(maxsize=8192)
def wrap_text(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    """Lines of `text` no wider than `width`; single newlines are kept as line breaks."""
    lines: list[str] = []
    for source_line in text.split("\n"):
        current = ""
        for word in source_line.split():
            candidate = f"{current} {word}" if current else word
            if current and text_width(candidate, font, size) > width:
                lines.append(current)
                candidate = word
            current = _break_long_word(candidate, font, size, width, lines)
        lines.append(current)
    return tuple(lines)


def _break_long_word(text: str, font: str, size: float, width: float, lines: list[str]) -> str:
    while len(text) > 1 and text_width(text, font, size) > width:
        cut = len(text) - 1
        while cut > 1 and text_width(text[:cut], font, size) > width:
            cut -= 1
        lines.append(text[:cut])
        text = text[cut:]
    return text


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a template text, split at blank lines, surrounding blanks removed."""
    blocks = "\n".join(line.rstrip() for line in text.strip().splitlines()).split("\n\n")
    return [block.strip("\n") for block in blocks if block.strip()]


def draw_lines(pdf: Canvas, lines: tuple[str, ...] | list[str], x: float, baseline_top: float,
               font: str, size: float, leading: float, horizontal_scale: float = 100) -> None:
    """Draw `lines` left aligned; the first baseline lies `baseline_top` below the page top."""
    text = pdf.beginText(x, from_top(baseline_top))
    text.setFont(font, size, leading)
    if horizontal_scale != 100:
        text.setHorizScale(horizontal_scale)
    for line in lines:
        text.textLine(line)
    pdf.drawText(text)


def draw_qr(pdf: Canvas, data: str, x: float, top: float, size: float) -> None:
    """A QR code (error level M) of `data` in a `size` square, quiet zone included.

    The dark modules are merged into horizontal runs and written as ONE path in a coordinate
    system where a module is one unit: fast to draw and small in the file. The mask is fixed
    (:data:`QR_MASK`) because choosing the best of eight masks made segno five times slower;
    every mask is valid QR and decodes the same.
    """
    matrix = segno.make(data, error="m", micro=False, mask=QR_MASK, boost_error=False).matrix
    count = len(matrix) + 8
    runs = [f"{start + 4} {count - 5 - row_index} {length} 1 re"
            for row_index, row in enumerate(matrix) for start, length in _dark_runs(row)]
    pdf.saveState()
    pdf.setFillColorRGB(1, 1, 1)
    pdf.rect(x, from_top(top + size), size, size, stroke=0, fill=1)
    pdf.translate(x, from_top(top + size))
    pdf.scale(size / count, size / count)
    pdf.setFillColorRGB(0, 0, 0)
    pdf.addLiteral(" ".join(runs) + " f")
    pdf.restoreState()


def _dark_runs(row: bytes) -> list[tuple[int, int]]:
    runs, start = [], None
    for index, dark in enumerate(row):
        if dark and start is None:
            start = index
        elif not dark and start is not None:
            runs.append((start, index - start))
            start = None
    if start is not None:
        runs.append((start, len(row) - start))
    return runs
