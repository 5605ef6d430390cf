"""The Dutch PDF report for the city council (reportlab platypus, A4).

Cover, key findings, a method page in plain language, one section per question (chart, table
of weighted percentages with 95 % interval and unweighted n, tables per breakdown with
significant differences marked ▲/▼), open answers as themes, and the questionnaire.
Text stays text and charts are vector drawings; the metadata carry title, author, subject
and language ``nl-BE``. Every number comes from :class:`reports.content.data.ReportData`.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer

from reports.content.method_text import chart_caption, percent_note
from reports.content.text import format_interval, format_percent
from reports.render.charts import question_chart, register_fonts
from reports.render.pdf_method import method_flowables, questionnaire_flowables
from reports.render.pdf_parts import (
    SUPPRESSED,
    breakdown_table,
    grid_table,
    legend,
    overall_table,
    styles,
    text,
    theme_flowables,
)

__all__ = ["render_report_pdf"]

MARGIN = 18 * mm
LANGUAGE = "nl-BE"


def _footer(title: str):
    def draw(canvas, document):
        font, _ = register_fonts()
        canvas.saveState()
        canvas.setFont(font, 7.5)
        canvas.drawString(MARGIN, 10 * mm, title)
        canvas.drawRightString(A4[0] - MARGIN, 10 * mm, f"pagina {document.page}")
        canvas.restoreState()
    return draw


def _cover(data, style) -> list:
    return [
        Spacer(1, 60 * mm), Paragraph(text(data.title), style["title"]),
        Paragraph(text(data.subtitle), style["subtitle"]) if data.subtitle else Spacer(1, 1),
        Spacer(1, 8 * mm), Paragraph(text(f"{data.city} — {data.survey_period}"), style["h2"]),
        Paragraph("Rapport voor de gemeenteraad", style["body"]),
        Spacer(1, 40 * mm),
        Paragraph(text(f"Gepubliceerd op {data.published_at:%d-%m-%Y}"), style["small"]),
        PageBreak(),
    ]


def _summary(data, style) -> list:
    flowables = [Paragraph("Belangrijkste resultaten", style["h1"])]
    flowables += [Paragraph(text(finding), style["bullet"], bulletText="•")
                  for finding in data.key_findings]
    flowables.append(Spacer(1, 6))
    flowables.append(Paragraph(text(
        f"{percent_note(data.method.description)}; tussen haakjes in de tabellen staat het "
        f"95 %-interval. "
        f"Resultaten van groepen met minder dan {data.min_cell} antwoorden tonen we niet "
        f"({SUPPRESSED})."), style["small"]))
    return flowables + [PageBreak()]


def _trend(data, result, width, style) -> list:
    waves = data.trend.get(result.question.code)
    if not waves:
        return []
    rows = [["Meting", "%", "95 %-interval", "n"]]
    for wave, estimate, low, high, n in waves:
        small = n < data.min_cell
        rows.append([text(wave), SUPPRESSED if small else format_percent(estimate),
                     SUPPRESSED if small else format_interval(low, high),
                     SUPPRESSED if small else str(n)])
    return [Paragraph("Vergelijking met eerdere metingen", style["h3"]),
            grid_table(rows, [width * 0.4, width * 0.18, width * 0.27, width * 0.15])]


def _breakdowns(data, result, width, style) -> list:
    flowables = []
    for column, label in data.breakdowns:
        table = result.breakdowns.get(column)
        if table is None or table.empty:
            continue
        flowables.append(Paragraph(text(f"Naar {label.lower()}"), style["h3"]))
        flowables.append(breakdown_table(result, table, label, width, style))
    if flowables:
        flowables.append(Spacer(1, 3))
        flowables.append(legend(style))
    return flowables


def _notes(data, result, style) -> list:
    tables = [result.table, *result.breakdowns.values()]
    if any(table["suppressed"].astype(bool).any() for table in tables if not table.empty):
        return [Paragraph(text(f"{SUPPRESSED} {data.suppression_note}"), style["small"])]
    return []


def question_flowables(data, result, width: float, style) -> list:
    """Heading, headline, chart, overall table, breakdowns, themes and notes of a question."""
    question = result.question
    heading = Paragraph(text(f"Vraag {question.number}. {question.text}"), style["h2"])
    top = [heading, Paragraph(text(result.headline), style["headline"])]
    if result.kind == "text":
        return [KeepTogether(top), *theme_flowables(result, style, data.min_cell,
                                                    data.suppression_note), Spacer(1, 8)]
    if result.kind == "none":
        return [heading, Paragraph("Deze vraag wordt niet in tabellen samengevat.",
                                   style["body"])]
    chart = question_chart(result, width, font=register_fonts()[0])
    caption = chart_caption(data.method.description, percent=result.kind != "mean")
    block = [*top, chart, Paragraph(text(caption), style["small"]), Spacer(1, 6),
             overall_table(result, width, style)]
    return [KeepTogether(block), *_trend(data, result, width, style),
            *_breakdowns(data, result, width, style), *_notes(data, result, style),
            Spacer(1, 10)]


def render_report_pdf(data) -> bytes:
    """Render the council report as PDF bytes (A4, Dutch, selectable text, vector charts).

    References
    ----------
    ReportLab PLATYPUS User Guide (reportlab 4), chapters 5–7.
    """
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm, title=data.title, author=data.author,
        subject=f"Resultaten {data.title}, {data.city}, {data.survey_period}",
        creator="Stadspanel", lang=LANGUAGE)
    style = styles()
    width = document.width
    story = _cover(data, style) + _summary(data, style) + method_flowables(data, width, style)
    story.append(Paragraph("Resultaten per vraag", style["h1"]))
    for result in data.questions:
        story += question_flowables(data, result, width, style)
    story += questionnaire_flowables(data, style)
    document.build(story, onLaterPages=_footer(data.title))
    return buffer.getvalue()
