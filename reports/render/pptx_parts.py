"""Building blocks of the PowerPoint slides: Dutch text, tables and native, editable charts.

Charts are python-pptx chart objects with their data inside (PowerPoint's "Edit data" opens
it). A bar's 95 % interval is the text of its data label, because python-pptx cannot write
custom error bars; the text does not follow later edits of the data.
"""

from __future__ import annotations

import math

from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_MARK
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Pt

from reports.content.text import format_interval, format_number, format_percent
from reports.render.charts import DIVERGING

INK, MUTED = RGBColor(0x22, 0x22, 0x22), RGBColor(0x50, 0x50, 0x50)
BAR, WHITE = RGBColor(0x2F, 0x6F, 0x9F), RGBColor(0xFF, 0xFF, 0xFF)
LANGUAGE = MSO_LANGUAGE_ID.BELGIAN_DUTCH
LABEL_ROOM = 0.62  # the longest bar as a share of the value axis: room for its label
SMALL_SEGMENT = 5  # stacked segments below this percentage get no label


def fill(frame, lines, size: float, *, bold=False, colour=INK, align=None, wrap=True) -> None:
    """Replace a text frame's text by ``lines``, one paragraph each, marked as Dutch."""
    frame.clear()
    frame.word_wrap = wrap
    for number, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        run = paragraph.add_run()
        run.text = str(line)
        run.font.size, run.font.bold, run.font.language_id = Pt(size), bold, LANGUAGE
        run.font.color.rgb = colour


def place(shape, left, top, width, height) -> None:
    shape.left, shape.top = int(left), int(top)
    shape.width, shape.height = int(width), int(height)


def textbox(slide, box, lines, size: float, **style):
    shape = slide.shapes.add_textbox(*(int(value) for value in box))
    fill(shape.text_frame, lines, size, **style)
    return shape


def lines_needed(text: str, size: float, width) -> int:
    """A generous estimate of the wrapped lines of ``text`` (average glyph ≈ 0,55 em)."""
    per_line = max(int(width / Pt(size * 0.55)), 1)
    return max(math.ceil(len(text) / per_line), 1)


def value_text(estimate, low, high, percent: bool) -> str:
    """``"50,3 % (44,1–56,4 %)"`` for a share, ``"6,8 (6,5–7,1)"`` for a mean."""
    if percent:
        return f"{format_percent(estimate)} ({format_interval(low, high)})"
    return f"{format_number(estimate)} ({format_interval(low, high, percent=False)})"


def describe(frame, text: str) -> None:
    """Alternative text of a chart: ``descr`` of the graphic frame's ``cNvPr``."""
    frame._element.nvGraphicFramePr.cNvPr.set("descr", text)


def table(slide, rows: list[list], box, widths, size: float):
    """A native table with a header row; a cell holds a string or a tuple of lines."""
    shape = slide.shapes.add_table(len(rows), len(rows[0]), *(int(value) for value in box))
    for column, width in enumerate(widths):
        shape.table.columns[column].width = int(width)
    for row_number, values in enumerate(rows):
        shape.table.rows[row_number].height = int(box[3] / len(rows))
        for column, value in enumerate(values):
            cell = shape.table.cell(row_number, column)
            cell.margin_top = cell.margin_bottom = Pt(2)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            fill(cell.text_frame, value if isinstance(value, tuple) else [value], size,
                 bold=row_number == 0, colour=WHITE if row_number == 0 else INK,
                 align=PP_ALIGN.LEFT if column == 0 else PP_ALIGN.RIGHT)
    return shape


def _label_every_category(axis) -> None:
    """``c:tickLblSkip`` 1: never let the viewer drop category labels to save room."""
    element = axis._element
    skip = element.find(qn("c:tickLblSkip"))
    if skip is None:
        skip = OxmlElement("c:tickLblSkip")
        later = [child for child in element if child.tag in
                 (qn("c:tickMarkSkip"), qn("c:noMultiLvlLbl"), qn("c:extLst"))]
        if later:
            later[0].addprevious(skip)
        else:
            element.append(skip)
    skip.set("val", "1")


def _axes(chart, low: float, high: float, size: float) -> None:
    category, value = chart.category_axis, chart.value_axis
    _label_every_category(category)
    category.reverse_order = True  # first answer on top, as in the questionnaire
    category.major_tick_mark = XL_TICK_MARK.NONE
    category.tick_labels.font.size = Pt(size)
    category.format.line.color.rgb = MUTED
    value.minimum_scale, value.maximum_scale = low, high
    value.has_major_gridlines = False
    value.visible = False  # every bar has its number


def bar_chart(slide, rows, box, *, percent: bool, description: str):
    """Horizontal bars; ``rows``: ``(label, estimate, low, high)``, shares as 0–1."""
    scale = 100 if percent else 1
    values = [scale * float(row[1]) for row in rows]
    data = CategoryChartData(number_format="0.0")
    data.categories = [row[0] for row in rows]
    data.add_series("Aandeel (%)" if percent else "Gemiddelde", values)
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, *(int(v) for v in box), data)
    chart, size = frame.chart, 16 if len(rows) <= 6 else 13
    top, bottom = max(values + [0.0]), min(values + [0.0])
    _axes(chart, bottom, top + (top - bottom or 1) * (1 / LABEL_ROOM - 1), size)
    chart.has_legend = chart.has_title = False
    chart.plots[0].gap_width = 45
    series = chart.plots[0].series[0]
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = BAR
    for point, row in zip(series.points, rows, strict=True):
        point.data_label.position = XL_LABEL_POSITION.OUTSIDE_END
        fill(point.data_label.text_frame, [value_text(*row[1:4], percent)], size, wrap=False)
    describe(frame, description)
    return frame


def _palette(count: int) -> list[RGBColor]:
    positions = [round(index * (len(DIVERGING) - 1) / max(count - 1, 1))
                 for index in range(count)]
    return [RGBColor.from_string(DIVERGING[position].lstrip("#")) for position in positions]


def _dark(colour: RGBColor) -> bool:
    return 0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2] < 0.55 * 255


def stacked_chart(slide, items, options, box, description: str):
    """One 100 %-stacked bar per item; ``items``: ``(label, [share per option])``."""
    data = CategoryChartData(number_format="0.0")
    data.categories = [label for label, _ in items]
    for index, option in enumerate(options):
        data.add_series(option, [100 * float(shares[index]) for _, shares in items])
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_STACKED_100, *(int(v) for v in box), data)
    chart, size = frame.chart, 14 if len(items) <= 5 else 10
    _axes(chart, 0, 1, size)
    chart.has_title, chart.has_legend = False, True
    chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
    chart.legend.font.size = Pt(size)
    chart.plots[0].gap_width = 40
    for series, colour in zip(chart.plots[0].series, _palette(len(options)), strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = colour
        for point, value in zip(series.points, series.values, strict=True):
            text = format_number(value, 0) if value >= SMALL_SEGMENT else ""
            fill(point.data_label.text_frame, [text], size - 1, wrap=False,
                 colour=WHITE if _dark(colour) else INK)
    describe(frame, description)
    return frame
