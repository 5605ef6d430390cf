"""Vector charts (reportlab Drawings) for reports: labels are text, never pixels.

* :func:`share_chart`: horizontal bars with 95 % interval whiskers (single choice, multiple
  choice);
* :func:`stacked_chart`: one 100 %-stacked bar per item (Likert questions, matrices);
* :func:`mean_chart`: a dot with interval whiskers per row (means).

Suppressed rows get no bar and the text "–"; colours are always paired with printed numbers
or a legend, so the charts are readable without colour.
"""

from __future__ import annotations

import math
from pathlib import Path

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from reports.content.text import SUPPRESSED, format_number, format_percent

FONT_DIRECTORY = Path("/usr/share/fonts/truetype/dejavu")
BAR_COLOUR = colors.HexColor("#2f6f9f")
INK = colors.HexColor("#222222")
GRID = colors.HexColor("#cccccc")
DIVERGING = ["#b2182b", "#ef8a62", "#fddbc7", "#d9d9d9", "#d1e5f0", "#67a9cf", "#2166ac"]
SIZE = 7.5
ROW = 17


def register_fonts() -> tuple[str, str]:
    """Register DejaVu Sans (accents, €, ▲▼) when installed; otherwise Helvetica."""
    files = {"DejaVuSans": "DejaVuSans.ttf", "DejaVuSans-Bold": "DejaVuSans-Bold.ttf"}
    if not all((FONT_DIRECTORY / name).exists() for name in files.values()):
        return "Helvetica", "Helvetica-Bold"
    for name, file_name in files.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIRECTORY / file_name)))
    pdfmetrics.registerFontFamily("DejaVuSans", normal="DejaVuSans", bold="DejaVuSans-Bold",
                                  italic="DejaVuSans", boldItalic="DejaVuSans-Bold")
    return "DejaVuSans", "DejaVuSans-Bold"


def _lines(text: str, width: float, font: str, size: float = SIZE, limit: int = 2) -> list[str]:
    lines = simpleSplit(str(text), font, size, width) or [""]
    if len(lines) > limit:
        lines = lines[:limit]
        while lines[-1] and pdfmetrics.stringWidth(lines[-1] + "…", font, size) > width:
            lines[-1] = lines[-1][:-1]
        lines[-1] += "…"
    return lines


def _label(drawing: Drawing, text: str, x: float, y: float, width: float, font: str) -> None:
    """Right-aligned label of up to two lines, vertically centred on ``y``."""
    lines = _lines(text, width, font)
    top = y + (len(lines) - 1) * (SIZE + 1) / 2 - SIZE / 3
    for number, line in enumerate(lines):
        drawing.add(String(x, top - number * (SIZE + 1), line, fontName=font, fontSize=SIZE,
                           textAnchor="end", fillColor=INK))


def _nice_top(value: float) -> float:
    return min(1.0, max(0.1, math.ceil(value * 10 + 1e-9) / 10))


def _whisker(drawing, x_low, x_high, y, height=5) -> None:
    for x in (x_low, x_high):
        drawing.add(Line(x, y - height / 2, x, y + height / 2, strokeColor=INK, strokeWidth=0.7))
    drawing.add(Line(x_low, y, x_high, y, strokeColor=INK, strokeWidth=0.7))


def share_chart(rows, width: float, *, font: str = "Helvetica") -> Drawing:
    """Horizontal bars of shares with interval whiskers and printed percentages.

    ``rows``: sequence of ``(label, share, ci_low, ci_high)`` with NaN for suppressed rows.
    """
    label_width, value_width = width * 0.36, 40
    plot = width - label_width - value_width - 8
    highs = [high for _, _, _, high in rows if not math.isnan(high)]
    top = _nice_top(max(highs, default=1.0))
    height = ROW * len(rows) + 14
    drawing = Drawing(width, height)
    x0 = label_width + 6
    _axis(drawing, x0, plot, top, height, font, percent=True)
    for number, (label, share, low, high) in enumerate(rows):
        y = height - ROW * (number + 0.5)
        _label(drawing, label, label_width, y, label_width - 2, font)
        if math.isnan(share):
            drawing.add(String(x0 + 2, y - SIZE / 3, SUPPRESSED, fontName=font, fontSize=SIZE))
            continue
        drawing.add(Rect(x0, y - 5, plot * share / top, 10, fillColor=BAR_COLOUR,
                         strokeColor=None))
        _whisker(drawing, x0 + plot * low / top, x0 + plot * high / top, y)
        drawing.add(String(x0 + plot * max(high, share) / top + 4, y - SIZE / 3,
                           format_percent(share), fontName=font, fontSize=SIZE, fillColor=INK))
    return drawing


def _axis(drawing, x0, plot, top, height, font, *, percent, bottom=0.0) -> None:
    if percent:
        steps = round(top * 10) if top <= 0.6 else round(top * 5)
    else:
        steps = int(round(top - bottom))
    steps = steps if 1 <= steps <= 10 else 5
    for step in range(steps + 1):
        value = bottom + (top - bottom) * step / steps
        x = x0 + plot * step / steps
        drawing.add(Line(x, 12, x, height, strokeColor=GRID, strokeWidth=0.4))
        text = f"{round(100 * value)} %" if percent else format_number(value, 0)
        drawing.add(String(x, 3, text, fontName=font, fontSize=6.5, textAnchor="middle",
                           fillColor=INK))


def _palette(count: int) -> list:
    if count <= 1:
        return [BAR_COLOUR]
    positions = [round(index * (len(DIVERGING) - 1) / (count - 1)) for index in range(count)]
    return [colors.HexColor(DIVERGING[position]) for position in positions]


def _dark(colour) -> bool:
    return 0.299 * colour.red + 0.587 * colour.green + 0.114 * colour.blue < 0.55


def _segments(drawing, x0, y, plot, shares, palette, font) -> None:
    position = x0
    for share, colour in zip(shares, palette, strict=True):
        size = plot * (0 if math.isnan(share) else share)
        drawing.add(Rect(position, y - 6, size, 12, fillColor=colour, strokeColor=colors.white,
                         strokeWidth=0.5))
        if size >= 17:
            drawing.add(String(position + size / 2, y - SIZE / 3, format_number(100 * share, 0),
                               fontName=font, fontSize=SIZE - 0.5, textAnchor="middle",
                               fillColor=colors.white if _dark(colour) else INK))
        position += size


def stacked_chart(items, categories, width: float, *, font: str = "Helvetica") -> Drawing:
    """One 100 %-stacked bar per item, segment percentages printed, legend below.

    ``items``: sequence of ``(item_label, shares)`` with one share per category (NaN when
    suppressed); ``categories``: the category labels, in scale order.
    """
    label_width = width * 0.30 if len(items) > 1 or items[0][0] else 0
    plot = width - label_width - 10
    palette = _palette(len(categories))
    legend = _legend_rows(categories, width, font)
    height = ROW * len(items) + 14 * len(legend) + 6
    drawing = Drawing(width, height)
    x0 = label_width + 6
    for number, (label, shares) in enumerate(items):
        y = height - ROW * (number + 0.5)
        if label_width:
            _label(drawing, label, label_width, y, label_width - 2, font)
        if all(math.isnan(share) for share in shares):
            drawing.add(String(x0 + 2, y - SIZE / 3, f"{SUPPRESSED} te weinig antwoorden",
                               fontName=font, fontSize=SIZE))
            continue
        _segments(drawing, x0, y, plot, shares, palette, font)
    _draw_legend(drawing, legend, palette, height - ROW * len(items) - 14, font)
    return drawing


def _legend_rows(categories, width: float, font: str) -> list[list[tuple[int, str]]]:
    rows, current, used = [], [], 0.0
    for index, label in enumerate(categories):
        size = pdfmetrics.stringWidth(str(label), font, SIZE) + 22
        if current and used + size > width:
            rows.append(current)
            current, used = [], 0.0
        current.append((index, str(label)))
        used += size
    return rows + [current] if current else rows


def _draw_legend(drawing, rows, palette, y, font) -> None:
    for row in rows:
        x = 6
        for index, label in row:
            drawing.add(Rect(x, y, 9, 9, fillColor=palette[index], strokeColor=INK,
                             strokeWidth=0.3))
            drawing.add(String(x + 12, y + 1.5, label, fontName=font, fontSize=SIZE,
                               fillColor=INK))
            x += pdfmetrics.stringWidth(label, font, SIZE) + 22
        y -= 14


def mean_chart(rows, width: float, *, bottom: float, top: float,
               font: str = "Helvetica") -> Drawing:
    """A dot per row at the mean with its interval, on an axis from ``bottom`` to ``top``.

    ``rows``: sequence of ``(label, mean, ci_low, ci_high)`` with NaN for suppressed rows.
    """
    label_width, value_width = width * 0.36, 34
    plot = width - label_width - value_width - 8
    height = ROW * len(rows) + 14
    drawing = Drawing(width, height)
    x0 = label_width + 6
    _axis(drawing, x0, plot, top, height, font, percent=False, bottom=bottom)

    def place(value: float) -> float:
        return x0 + plot * (min(max(value, bottom), top) - bottom) / (top - bottom)

    for number, (label, mean, low, high) in enumerate(rows):
        y = height - ROW * (number + 0.5)
        _label(drawing, label, label_width, y, label_width - 2, font)
        if math.isnan(mean):
            drawing.add(String(x0 + 2, y - SIZE / 3, SUPPRESSED, fontName=font, fontSize=SIZE))
            continue
        _whisker(drawing, place(low), place(high), y)
        drawing.add(Rect(place(mean) - 3, y - 3, 6, 6, fillColor=BAR_COLOUR, strokeColor=None))
        drawing.add(String(x0 + plot + 6, y - SIZE / 3, format_number(mean), fontName=font,
                           fontSize=SIZE, fillColor=INK))
    return drawing


def _share_rows(table) -> list[tuple]:
    return [(row.label, row.estimate, row.ci_low, row.ci_high) for row in table.itertuples()]


def _items(table, categories) -> list[tuple]:
    items = []
    for _, rows in table.groupby("variable", sort=False):
        shares = dict(zip(rows["label"], rows["estimate"].astype(float), strict=True))
        items.append((rows["item"].iloc[0], [shares.get(label, math.nan)
                                             for label in categories]))
    return items


def _mean_rows(result) -> list[tuple]:
    rows = [("Totaal", *result.table[["estimate", "ci_low", "ci_high"]].iloc[0])]
    for table in list(result.breakdowns.values())[:1]:
        rows += [(row.group, row.estimate, row.ci_low, row.ci_high)
                 for row in table.itertuples()]
    return rows


def question_chart(result, width: float, *, font: str = "Helvetica") -> Drawing | None:
    """The chart that suits a question's kind, or None (open and date questions)."""
    if result.kind in ("text", "none") or result.table.empty:
        return None
    if result.kind in ("shares", "choices"):
        if result.question.type == "likert":
            labels = [label for _, label in result.question.options]
            return stacked_chart(_items(result.table, labels), labels, width, font=font)
        return share_chart(_share_rows(result.table), width, font=font)
    if result.kind == "items":
        labels = [label for _, label in result.question.options]
        return stacked_chart(_items(result.table, labels), labels, width, font=font)
    rows = _mean_rows(result)
    lows = [row[2] for row in rows if not math.isnan(row[2])] or [0.0]
    highs = [row[3] for row in rows if not math.isnan(row[3])] or [1.0]
    bottom = max(0.0, math.floor(min(lows)) - 1)
    return mean_chart(rows, width, bottom=bottom, top=max(math.ceil(max(highs)) + 1, bottom + 2),
                      font=font)
