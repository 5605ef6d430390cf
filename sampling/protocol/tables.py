"""Tables of the draw protocol: the per-variable summary (first page) and the annex with one
row per stratum (two columns of strata per page when there are many). Dutch number formats:
``1.234`` for counts, ``4,95 %`` for chances."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from sampling.summary import SEPARATOR, per_variable

VARIABLES = {"age_band": "leeftijdsgroep", "sex": "geslacht", "district": "wijk",
             "nationality_group": "nationaliteitsgroep",
             "household_size_class": "grootte van het huishouden"}
SEXES = {"M": "man", "F": "vrouw", "X": "x", "U": "onbekend"}
TWO_COLUMNS_FROM = 40  # strata; fewer fit in one column
ROWS_PER_COLUMN = 70
COLUMNS = ["population", "eligible", "selected", "reserve"]


def text(value: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape("" if value is None else str(value)), style)


def number(value: object) -> str:
    """``12345`` → ``"12.345"``."""
    return f"{int(value):,}".replace(",", ".")


def percent(share: float, decimals: int = 2, *, strip: bool = False) -> str:
    """``0.0495`` → ``"4,95 %"``; with ``strip``, ``0.1`` → ``"10 %"`` (no trailing zeros)."""
    figure = f"{100 * share:.{decimals}f}"
    if strip and "." in figure:
        figure = figure.rstrip("0").rstrip(".")
    return f"{figure.replace('.', ',')} %"


def right(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}_right", parent=style, alignment=2)


def grid(cells: list, widths: list, *, header: bool, total: bool = False,
         padding: float = 1.5) -> Table:
    table = Table(cells, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
        ("TOPPADDING", (0, 0), (-1, -1), padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
    ]
    if padding < 1:  # the two-column annex: narrow columns need their width
        commands += [("LEFTPADDING", (0, 0), (-1, -1), 1.5),
                     ("RIGHTPADDING", (0, 0), (-1, -1), 1.5)]
    if header:
        commands += [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
                     ("ALIGN", (1, 0), (-1, -1), "RIGHT")]
    if total:
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black))
    table.setStyle(TableStyle(commands))
    return table


def stratum_label(label: str, strata: Sequence[str]) -> str:
    """``"25-34 | F | Centrum"`` → ``"25-34 | vrouw | Centrum"`` (Dutch words for codes)."""
    parts = str(label).split(SEPARATOR)
    if len(parts) != len(strata):
        return str(label)
    return SEPARATOR.join(SEXES.get(part, part) if name == "sex" else part
                          for name, part in zip(strata, parts, strict=True))


def _chance(selected: float, eligible: float) -> str:
    return percent(selected / eligible) if eligible else "–"


def summary_tables(draw_info: Mapping, table: pd.DataFrame, styles) -> list:
    """One small table per strata variable: population, eligible, drawn, reserve, chance."""
    strata = list(draw_info.get("strata") or [])
    if not strata or table.empty:
        return [text("Geen strata opgegeven; zie de bijlage.", styles["body"])]
    bold, cell = styles["cell_bold"], styles["cell"]
    flowables = []
    for name, view in per_variable(table, strata, COLUMNS).items():
        header = [text(VARIABLES.get(name, name).capitalize(), bold)] + [
            text(label, right(bold)) for label in
            ("Bevolking", "In aanmerking", "Getrokken", "Reserve", "Trekkingskans")]
        cells = [header] + [[text(SEXES.get(row.group, row.group) if name == "sex"
                                  else row.group, cell)] + [
            text(value, right(cell)) for value in (
                number(row.population), number(row.eligible), number(row.selected),
                number(row.reserve), _chance(row.selected, row.eligible))]
            for row in view.itertuples(index=False)]
        widths = [50 * mm, 25 * mm, 25 * mm, 22 * mm, 20 * mm, 26 * mm]
        flowables += [grid(cells, widths, header=True, padding=1), Spacer(1, 2 * mm)]
    return flowables


def _annex_rows(table: pd.DataFrame, strata: Sequence[str], styles) -> list[list]:
    cell, bold = styles["cell"], styles["cell_bold"]
    rows = [[text(stratum_label(row.stratum, strata), cell)] + [
        text(value, right(cell)) for value in (
            number(row.population), number(row.eligible), number(row.selected),
            percent(row.inclusion_probability), number(row.reserve))]
        for row in table.itertuples(index=False)]
    eligible, selected = int(table["eligible"].sum()), int(table["selected"].sum())
    rows.append([text("Totaal", bold)] + [text(value, right(bold)) for value in (
        number(table["population"].sum()), number(eligible), number(selected),
        _chance(selected, eligible), number(table["reserve"].sum()))])
    return rows


def strata_annex(draw_info: Mapping, table: pd.DataFrame, styles) -> list:
    """Every stratum on one row: N_h, eligible, n_h, chance, reserve (two columns if many)."""
    strata = list(draw_info.get("strata") or [])
    bold = styles["cell_bold"]
    header = [text("Stratum", bold)] + [text(name, right(bold)) for name in
                                        ("N_h", "Trekbaar", "n_h", "Kans", "Reserve")]
    rows = _annex_rows(table, strata, styles)
    legend = text("N_h: inwoners in het stratum; trekbaar: na de uitsluitingen; n_h: getrokken; "
                  "kans: n_h gedeeld door trekbaar; reserve (r_h): plaatsen op de reservelijst.",
                  styles["small"])
    if len(table) < TWO_COLUMNS_FROM:
        widths = [57 * mm, 24 * mm, 24 * mm, 22 * mm, 28 * mm, 19 * mm]
        return [legend, Spacer(1, 2 * mm), grid([header, *rows], widths, header=True,
                                                total=True)]
    small = {name: ParagraphStyle(f"{name}_annex", parent=styles[name], fontSize=6.2,
                                  leading=7.2) for name in ("cell", "cell_bold")}
    header = [text("Stratum", small["cell_bold"])] + [
        text(name, right(small["cell_bold"])) for name in ("N_h", "Trekbaar", "n_h", "Kans",
                                                            "r_h")]
    rows = _annex_rows(table, strata, small)
    widths = [30 * mm, 12 * mm, 13 * mm, 9 * mm, 10 * mm, 6 * mm]
    flowables = [legend, Spacer(1, 2 * mm)]
    page = 2 * ROWS_PER_COLUMN
    for start in range(0, len(rows), page):
        left, rest = rows[start:start + ROWS_PER_COLUMN], rows[start + ROWS_PER_COLUMN:start + page]
        columns = [grid([header, *part], widths, header=True, padding=0.6,
                        total=part[-1] is rows[-1]) for part in (left, rest) if part]
        outer = Table([columns], colWidths=[sum(widths) + 3 * mm] * len(columns), hAlign="LEFT")
        outer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        flowables.append(outer)
    return flowables
