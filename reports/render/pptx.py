"""Slides as an editable 16:9 PowerPoint deck, with native charts that hold their data.

The same slides and texts as :mod:`reports.render.slides`: title, key findings, one slide per
question, method. Bars carry their 95 % interval in their data label
(``"50,3 % (44,1–56,4 %)"``); matrix questions get a 100 %-stacked chart with the intervals in
a table below it; open questions a table of themes. Suppressed cells (fewer than ``min_cell``
answers) are left out of charts and tables and only named in a note. Every slide has a filled
title placeholder and charts have alternative text; shapes are added in reading order.
"""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches

from reports.content.method_text import chart_caption, estimate_words
from reports.content.text import SUPPRESSED, format_interval, format_number, format_percent
from reports.render.pptx_parts import (
    MUTED,
    bar_chart,
    fill,
    lines_needed,
    place,
    stacked_chart,
    table,
    textbox,
    value_text,
)
from reports.render.slides import FINDINGS_TITLE, METHOD_TITLE, method_lines, slide_questions

__all__ = ["render_slides_pptx"]

WIDTH, HEIGHT = Emu(12192000), Emu(6858000)  # 13,33 × 7,5 inch
MARGIN = Inches(0.6)
CONTENT = WIDTH - 2 * MARGIN
BOTTOM = HEIGHT - Inches(0.7)  # content ends here; the footer sits below
NOTE = Inches(0.5)  # room above BOTTOM for the n and suppression note
TITLE_LAYOUT, CONTENT_LAYOUT, TITLE_ONLY_LAYOUT = 0, 1, 5
COMPACT_ITEMS = 5  # matrices with more items get one-line interval cells


def _slide(presentation, layout: int, title: str, *, size: float = 28):
    slide = presentation.slides.add_slide(presentation.slide_layouts[layout])
    height = Inches(0.5) * min(lines_needed(title, size, CONTENT), 3) + Inches(0.2)
    place(slide.shapes.title, MARGIN, Inches(0.3), CONTENT, height)
    fill(slide.shapes.title.text_frame, [title], size, bold=True, align=PP_ALIGN.LEFT)
    return slide


def _footer(slide, data, number: int) -> None:
    top, height = HEIGHT - Inches(0.55), Inches(0.4)
    text = f"{data.title} · {data.published_at:%d-%m-%Y} · Bron: Stadspanel"
    textbox(slide, (MARGIN, top, CONTENT - Inches(1), height), [text], 11, colour=MUTED)
    textbox(slide, (WIDTH - MARGIN - Inches(1), top, Inches(1), height), [str(number)], 11,
            colour=MUTED, align=PP_ALIGN.RIGHT)


def _bullets(presentation, title: str, lines: list[str]):
    slide = _slide(presentation, CONTENT_LAYOUT, title)
    body = slide.placeholders[1]
    place(body, MARGIN, Inches(1.45), CONTENT, BOTTOM - Inches(1.5))
    if not lines:  # an empty placeholder would show "Click to add text"
        body._element.getparent().remove(body._element)
        return slide
    long = sum(len(line) for line in lines) > 600 or len(lines) > 7
    fill(body.text_frame, lines, 16 if long else 20)
    return slide


def _title_slide(presentation, data) -> None:
    slide = presentation.slides.add_slide(presentation.slide_layouts[TITLE_LAYOUT])
    title, subtitle = slide.shapes.title, slide.placeholders[1]
    place(title, MARGIN, Inches(2.0), CONTENT, Inches(1.6))
    place(subtitle, MARGIN, Inches(3.8), CONTENT, Inches(1.5))
    fill(title.text_frame, [data.title], 40, bold=True)
    fill(subtitle.text_frame, [data.subtitle or data.city,
                               f"{data.city} — {data.survey_period}"], 22, colour=MUTED)


def _shown(rows, label_column: str):
    """Rows that may be shown and the labels of the suppressed ones."""
    hidden = rows["suppressed"].astype(bool) | rows["estimate"].isna()
    return rows[~hidden], list(dict.fromkeys(rows.loc[hidden, label_column].astype(str)))


def _bar_rows(result):
    """``(rows, hidden)``; rows ``(label, estimate, low, high, n)`` as on the PDF slides."""
    if result.kind != "mean":
        tables, column = [result.table], "label"
    else:  # the overall mean and the groups of the first breakdown
        tables, column = [result.table, *list(result.breakdowns.values())[:1]], "group"
    rows, hidden = [], []
    for frame in tables:
        shown, small = _shown(frame, column)
        rows += [(str(getattr(row, column)), row.estimate, row.ci_low, row.ci_high, int(row.n))
                 for row in shown.itertuples()]
        hidden += small
    return rows, hidden


def _bars_content(slide, result, top, description) -> tuple[list[str], list[str]]:
    rows, hidden = _bar_rows(result)
    if not rows:
        return hidden, []
    percent, counts = result.kind != "mean", {row[4] for row in rows}
    if len(counts) > 1:
        rows = [(f"{row[0]} (n = {format_number(row[4], 0)})", *row[1:]) for row in rows]
    summary = "; ".join(f"{row[0]}: {value_text(*row[1:4], percent)}" for row in rows)
    what = estimate_words(description, percent=percent)
    bar_chart(slide, rows, (MARGIN, top, CONTENT, BOTTOM - NOTE - top), percent=percent,
              description=f"Staafdiagram bij vraag {result.question.number} ({what} met "
                          f"95 %-interval): {summary}.")
    caption = chart_caption(description, percent=percent)
    if len(counts) > 1:
        return hidden, [caption]
    return hidden, [f"{caption} n = {format_number(rows[0][4], 0)} (ongewogen aantal "
                    "antwoorden)."]


def _matrix(result):
    """``(items, options, hidden)``; items ``(label, rows in option order, n)``."""
    shown, hidden = _shown(result.table, "item")
    items = []
    for _, rows in shown.groupby("variable", sort=False):
        by_value = {row.value: row for row in rows.itertuples()}
        items.append((str(rows["item"].iloc[0]),
                      [by_value[value] for value, _ in result.question.options],
                      int(rows["n"].iloc[0])))
    return items, [str(label) for _, label in result.question.options], hidden


def _matrix_table(slide, items, options, box, compact: bool) -> None:
    """Share and interval per item and option: two lines a cell, one when ``compact``."""
    def cell(row):
        if compact:  # "25,9 (21,1–31,4)": the header names the unit
            low, high = (format_number(100 * value) for value in (row.ci_low, row.ci_high))
            return f"{format_number(100 * row.estimate)} ({low}–{high})"
        return format_percent(row.estimate), format_interval(row.ci_low, row.ci_high)

    rows = [["% (95 %-interval)", *options, "n"]] + [
        [label, *(cell(row) for row in cells), format_number(n, 0)] for label, cells, n in items]
    first, last = CONTENT * (0.3 if compact else 0.2), CONTENT * 0.07
    widths = [first, *[(CONTENT - first - last) / len(options)] * len(options), last]
    table(slide, rows, box, widths, 9 if compact or len(options) > 5 else 12)


def _matrix_content(slide, result, top, description) -> tuple[list[str], list[str]]:
    items, options, hidden = _matrix(result)
    if not items:
        return hidden, []
    compact = len(items) > COMPACT_ITEMS
    table_height = (Inches(0.26) if compact else Inches(0.5)) * (len(items) + 1)
    chart_height = min(BOTTOM - NOTE - top - table_height, Inches(0.5) * len(items) + Inches(0.6))
    text = "; ".join(f"{label}: " + ", ".join(
        f"{option} {value_text(row.estimate, row.ci_low, row.ci_high, True)}"
        for option, row in zip(options, cells, strict=True)) for label, cells, _ in items)
    stacked_chart(slide, [(label, [row.estimate for row in cells]) for label, cells, _ in items],
                  options, (MARGIN, top, CONTENT, chart_height),
                  f"Gestapeld staafdiagram bij vraag {result.question.number}, "
                  f"{estimate_words(description, percent=True)} met 95 %-interval: {text}.")
    _matrix_table(slide, items, options, (MARGIN, top + chart_height, CONTENT, table_height),
                  compact)
    return hidden, [chart_caption(description, percent=True)]


def _themes_content(slide, result, top, data) -> tuple[list[str], list[str]]:
    if not result.themes:
        textbox(slide, (MARGIN, top, CONTENT, Inches(0.6)), [
            f"{result.n_texts} open antwoorden: te weinig antwoorden om thema's te tonen."], 18)
        return [], []
    small = [theme.count < data.min_cell for theme in result.themes]
    rows = [["Thema (typische woorden)", "Aantal", "Aandeel"]] + [
        [theme.label, *((SUPPRESSED, SUPPRESSED) if too_small else
                        (str(theme.count), format_percent(theme.share)))]
        for theme, too_small in zip(result.themes, small, strict=True)]
    height = min(Inches(0.45) * len(rows), BOTTOM - NOTE - top)
    table(slide, rows, (MARGIN, top, CONTENT, height),
          [CONTENT * 0.7, CONTENT * 0.12, CONTENT * 0.18], 16)
    return [], [f"{SUPPRESSED} {data.suppression_note}."] if any(small) else []


def _question_slide(presentation, data, result):
    question = result.question
    slide = _slide(presentation, TITLE_ONLY_LAYOUT, result.headline or question.text)
    top = slide.shapes.title.top + slide.shapes.title.height
    text = f"Vraag {question.number}. {question.text}"
    height = Inches(0.32) * min(lines_needed(text, 18, CONTENT), 3) + Inches(0.15)
    textbox(slide, (MARGIN, top, CONTENT, height), [text], 18, colour=MUTED)
    top += height + Inches(0.1)
    if result.kind == "text":
        hidden, notes = _themes_content(slide, result, top, data)
    elif result.kind == "items":
        hidden, notes = _matrix_content(slide, result, top, data.method.description)
    else:
        hidden, notes = _bars_content(slide, result, top, data.method.description)
    if hidden:
        notes.insert(0, f"Niet getoond: {', '.join(hidden)} — {data.suppression_note}.")
    if notes:
        textbox(slide, (MARGIN, BOTTOM - NOTE, CONTENT, NOTE), notes, 13, colour=MUTED)
    return slide


def _presentation(data):
    presentation = Presentation()
    scale = WIDTH / presentation.slide_width
    presentation.slide_width, presentation.slide_height = WIDTH, HEIGHT
    for owner in (presentation.slide_master, *presentation.slide_layouts):
        for shape in owner.shapes:  # widen the 4:3 template's placeholders to 16:9
            shape.left, shape.width = int(shape.left * scale), int(shape.width * scale)
    properties = presentation.core_properties
    properties.title, properties.author = f"{data.title} (presentatie)", data.author
    properties.subject = f"Resultaten {data.title}, {data.city}"
    properties.language, properties.last_modified_by = "nl-BE", "Stadspanel"
    return presentation


def render_slides_pptx(data) -> bytes:
    """Render the council slides as an editable 16:9 PowerPoint deck.

    Parameters
    ----------
    data : ReportData
        The computed report (:func:`reports.content.data.build_report_data`).

    Returns
    -------
    bytes
        The ``.pptx`` file: title, key findings, one slide per question (as
        :func:`reports.render.slides.slide_questions`), method.

    References
    ----------
    python-pptx 1.0 documentation, "Working with charts" (``CategoryChartData``, data labels).
    ECMA-376 Part 1, 19.3.1.12 (``cNvPr/@descr``: alternative text of a graphic frame).
    """
    presentation = _presentation(data)
    _title_slide(presentation, data)
    slides = [_bullets(presentation, FINDINGS_TITLE, list(data.key_findings))]
    slides += [_question_slide(presentation, data, result) for result in slide_questions(data)]
    slides.append(_bullets(presentation, METHOD_TITLE, method_lines(data)))
    for number, slide in enumerate(slides, start=2):
        _footer(slide, data, number)
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()
