"""Slides as a landscape A4 PDF: title, key findings, one finding per slide, method.

Each slide's content is shrunk to fit its page (``KeepInFrame``), so every slide is exactly
one page. Charts and numbers are those of the report (:class:`ReportData`).
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, PageBreak, Paragraph, SimpleDocTemplate, Spacer

from reports.content.method_text import chart_caption, interval_sentences, late_note, weighting_line
from reports.content.text import format_number, format_percent
from reports.render.charts import question_chart, register_fonts
from reports.render.pdf_parts import overall_table, styles, text, theme_flowables

__all__ = ["FINDINGS_TITLE", "METHOD_TITLE", "method_lines", "render_slides_pdf",
           "slide_questions"]

PAGE = landscape(A4)
MARGIN = 16 * mm
CHART_SCALE = 1.5
FINDINGS_TITLE = "Belangrijkste resultaten"
METHOD_TITLE = "Hoe werd dit onderzoek gedaan?"


def _footer(title: str):
    def draw(canvas, document):
        canvas.saveState()
        canvas.setFont(register_fonts()[0], 8)
        canvas.drawString(MARGIN, 8 * mm, title)
        canvas.drawRightString(PAGE[0] - MARGIN, 8 * mm, str(document.page))
        canvas.restoreState()
    return draw


def slide_questions(data) -> list:
    """The questions that get a slide of their own (all but dates)."""
    return [result for result in data.questions if result.kind != "none"]


def _title_slide(data, style) -> list:
    return [Spacer(1, 45 * mm), Paragraph(text(data.title), style["title"]),
            Paragraph(text(data.subtitle or data.city), style["subtitle"]),
            Paragraph(text(f"{data.city} — {data.survey_period}"), style["h2"])]


def _findings_slide(data, style) -> list:
    return [Paragraph(FINDINGS_TITLE, style["h1"])] + [
        Paragraph(text(finding), style["bullet"], bulletText="•")
        for finding in data.key_findings]


def method_lines(data) -> list[str]:
    """The method slide's sentences: sample, fieldwork, response, weighting, reading guide."""
    summary, response = data.weighting, data.method.response
    lines = [data.method.sampling, data.method.fieldwork,
             f"{format_number(summary.n, 0)} inwoners antwoordden."]
    if response is not None and not response.empty and response["invited"].sum():
        rate = response["responded"].sum() / response["invited"].sum()
        lines.append(f"Respons: {format_percent(rate)} van de uitgenodigden.")
    description = data.method.description
    lines += [weighting_line(description), late_note(description)]
    if summary.weighted:
        lines.append(f"Effectieve n ≈ {format_number(summary.effective_n, 0)}, design-effect "
                     f"{format_number(summary.design_effect, 2)}.")
    lines.append("Het 95 %-interval toont hoe nauwkeurig een resultaat is; resultaten van "
                 f"groepen met minder dan {data.min_cell} antwoorden tonen we niet.")
    lines += interval_sentences(description)
    return [line for line in lines if line]


def _method_slide(data, style) -> list:
    return [Paragraph(METHOD_TITLE, style["h1"])] + [
        Paragraph(text(line), style["bullet"], bulletText="•") for line in method_lines(data)]


def _question_slide(data, result, width, style) -> list:
    question = result.question
    flowables = [Paragraph(text(result.headline), style["h1"]),
                 Paragraph(text(f"Vraag {question.number}. {question.text}"), style["body"])]
    if result.kind == "text":
        return flowables + theme_flowables(result, style, data.min_cell,
                                           data.suppression_note)[:2]
    chart = question_chart(result, width / CHART_SCALE, font=register_fonts()[0])
    chart.scale(CHART_SCALE, CHART_SCALE)
    chart.width, chart.height = chart.width * CHART_SCALE, chart.height * CHART_SCALE
    caption = chart_caption(data.method.description, percent=result.kind != "mean")
    flowables += [Spacer(1, 4), chart, Paragraph(text(caption), style["small"]), Spacer(1, 8)]
    if result.kind != "items":
        flowables.append(overall_table(result, width, styles(1.4), font_size=10.5))
    return flowables


def render_slides_pdf(data) -> bytes:
    """Render a landscape slide deck as PDF bytes.

    References
    ----------
    ReportLab PLATYPUS User Guide (reportlab 4): ``KeepInFrame`` and page templates.
    """
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=f"{data.title} (presentatie)", author=data.author,
        subject=f"Resultaten {data.title}, {data.city}", creator="Stadspanel", lang="nl-BE")
    style = styles(1.35)
    width, height = document.width, document.height - 6
    slides = [_title_slide(data, style), _findings_slide(data, style)]
    slides += [_question_slide(data, result, width, style) for result in slide_questions(data)]
    slides.append(_method_slide(data, style))
    story = []
    for number, content in enumerate(slides):
        story.append(KeepInFrame(width, height, content, mode="shrink"))
        if number < len(slides) - 1:
            story.append(PageBreak())
    document.build(story, onFirstPage=lambda *_: None, onLaterPages=_footer(data.title))
    return buffer.getvalue()
