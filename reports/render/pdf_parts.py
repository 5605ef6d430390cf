"""Flowables shared by the PDF report and the slides: styles, tables and question blocks.

All user text (titles, question texts, labels, answers) is escaped before it enters
Paragraph markup. Numbers are formatted by :mod:`reports.content.text`.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from reports.content.text import (
    SUPPRESSED,
    format_estimate,
    format_interval,
    format_number,
    format_percent,
)
from reports.render.charts import register_fonts

UP, DOWN = "▲", "▼"
HEADER_FILL = colors.HexColor("#e8eef4")
LINE = colors.HexColor("#b0b0b0")


def text(value: object) -> str:
    """Escape any value for Paragraph markup."""
    return escape(str(value))


def styles(scale: float = 1.0) -> dict[str, ParagraphStyle]:
    regular, bold = register_fonts()

    def style(name, font=regular, size=9.5, leading=None, **extra):
        size *= scale
        return ParagraphStyle(name, fontName=font, fontSize=size,
                              leading=leading or size * 1.3, **extra)

    return {
        "title": style("title", bold, 24, spaceAfter=10),
        "subtitle": style("subtitle", regular, 14, spaceAfter=6),
        "h1": style("h1", bold, 15, spaceBefore=4, spaceAfter=8),
        "h2": style("h2", bold, 11, spaceBefore=10, spaceAfter=4, keepWithNext=1),
        "h3": style("h3", bold, 9.5, spaceBefore=6, spaceAfter=3, keepWithNext=1),
        "body": style("body", spaceAfter=5),
        "headline": style("headline", bold, 10, spaceAfter=6,
                          textColor=colors.HexColor("#1f4e79")),
        "small": style("small", regular, 7.5, textColor=colors.HexColor("#444444")),
        "cell": style("cell", regular, 7.5),
        "cell_bold": style("cell_bold", bold, 7.5),
        "cell_head": style("cell_head", bold, 7.5, alignment=TA_RIGHT),
        "bullet": style("bullet", spaceAfter=4, leftIndent=12, bulletIndent=2),
        "quote": style("quote", regular, 8.5, leftIndent=12, spaceAfter=3,
                       textColor=colors.HexColor("#333333")),
    }


def grid_table(rows: list[list], widths: list[float], *, header_rows: int = 1,
               numeric_from: int = 1, font_size: float = 7.5) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
    font, bold = register_fonts()
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), font, font_size),
        ("FONT", (0, 0), (-1, header_rows - 1), bold, font_size),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, LINE),
        ("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]))
    return table


def _n(row) -> str:
    return SUPPRESSED if row.suppressed else format_number(row.n, 0)


def overall_table(result, width: float, style, *, font_size: float = 7.5) -> Table:
    """Answer, estimate, 95 % interval and unweighted n of a question's overall table."""
    percent = result.kind != "mean"
    header = ["Antwoord", "%" if percent else "Gemiddelde", "95 %-interval", "n"]
    rows = [[Paragraph(text(header[0]), style["cell_bold"]), *header[1:]]]
    for row in result.table.itertuples():
        label = f"{row.item}: {row.label}" if row.item else row.label
        rows.append([Paragraph(text(label), style["cell"]),
                     format_estimate(row.estimate, result.kind),
                     format_interval(row.ci_low, row.ci_high, percent=percent), _n(row)])
    return grid_table(rows, [width * 0.5, width * 0.15, width * 0.23, width * 0.12],
                      font_size=font_size)


def _marked(row, kind: str) -> str:
    value = format_estimate(row.estimate, kind)
    return value + {1: f" {UP}", -1: f" {DOWN}"}.get(int(row.mark), "")


def breakdown_table(result, table: pd.DataFrame, group_label: str, width: float, style):
    """Groups × answers (or means) with ▲/▼ marks; matrices get a sub-header per item."""
    labels = list(dict.fromkeys(result.table["label"]))
    header = [Paragraph(text(group_label), style["cell_bold"])] + [
        Paragraph(text(label), style["cell_head"]) for label in labels] + ["n"]
    rows, spans = [header], []
    for item, rows_of_item in table.groupby("item", sort=False):
        if item:
            spans.append(len(rows))
            rows.append([Paragraph(text(item), style["cell_bold"])] + [""] * (len(labels) + 1))
        for group, cells in rows_of_item.groupby("group", sort=False):
            values = {row.label: _marked(row, result.kind) for row in cells.itertuples()}
            rows.append([Paragraph(text(group), style["cell"])]
                        + [values.get(label, SUPPRESSED) for label in labels]
                        + [_n(next(cells.itertuples()))])
    first, last = width * 0.22, width * 0.09
    middle = (width - first - last) / max(len(labels), 1)
    grid = grid_table(rows, [first] + [middle] * len(labels) + [last])
    for position in spans:
        grid.setStyle(TableStyle([("SPAN", (0, position), (-1, position)),
                                  ("BACKGROUND", (0, position), (-1, position),
                                   colors.HexColor("#f5f5f5"))]))
    return grid


def theme_flowables(result, style, min_cell: int, note: str) -> list:
    """Themes of an open question with counts, shares and masked example quotes."""
    if not result.themes:
        return [Paragraph(text(f"{result.n_texts} open antwoorden: te weinig antwoorden om "
                               "thema's te tonen."), style["body"])]
    rows = [["Thema (typische woorden)", "Aantal", "Aandeel"]]
    for theme in result.themes:
        small = theme.count < min_cell
        rows.append([Paragraph(text(theme.label), style["cell"]),
                     SUPPRESSED if small else str(theme.count),
                     SUPPRESSED if small else format_percent(theme.share)])
    flowables = [grid_table(rows, [270, 60, 70]), Spacer(1, 4)]
    if any(theme.count < min_cell for theme in result.themes):
        flowables.append(Paragraph(text(f"{SUPPRESSED} {note}"), style["small"]))
    for theme in result.themes:
        if theme.count >= min_cell and theme.examples:
            flowables.append(Paragraph(text(f"Voorbeelden bij ‘{theme.label}’:"), style["h3"]))
            flowables += [Paragraph(f"“{text(example)}”", style["quote"])
                          for example in theme.examples]
    return flowables


def legend(style) -> Paragraph:
    return Paragraph(text(f"{UP} / {DOWN}: significant hoger / lager dan de andere "
                          "respondenten samen (p < 0,05)."), style["small"])
