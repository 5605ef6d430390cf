"""Method page (plain language) and questionnaire appendix of the PDF report."""

from __future__ import annotations

from reportlab.platypus import PageBreak, Paragraph, Spacer

from reports.content.method_text import interval_sentences, weighting_paragraph
from reports.content.text import format_number, format_percent
from reports.render.pdf_parts import grid_table, text

TYPE_NAMES = {"single": "één antwoord", "multiple": "meerdere antwoorden mogelijk",
              "likert": "schaal", "matrix": "matrix (schaal per stelling)", "number": "getal",
              "text": "open vraag", "date": "datum"}

MARGIN_TEXT = (
    "Wat betekent een foutenmarge? We vroegen het niet aan alle inwoners, maar aan een "
    "toevallig gekozen groep. Een andere toevallige groep had licht andere antwoorden gegeven. "
    "Het 95 %-interval (bijvoorbeeld 40,1–46,3 %) geeft aan waar het resultaat voor alle "
    "inwoners met grote zekerheid ligt: in 95 van de 100 steekproeven bevat zo'n interval de "
    "echte waarde. Hoe meer antwoorden, hoe smaller het interval. Verschillen tussen groepen "
    "die binnen de foutenmarge vallen, kunnen toeval zijn; een ▲ of ▼ duidt een verschil aan "
    "dat waarschijnlijk geen toeval is (p < 0,05).")


def _response_table(method, width) -> list:
    response = method.response
    if response is None or response.empty:
        return []
    rows = [["Groep (stratum)", "Uitgenodigd", "Geantwoord", "Respons"]]
    for row in response.itertuples():
        rows.append([text(row.stratum), format_number(row.invited, 0),
                     format_number(row.responded, 0), format_percent(row.rate)])
    invited, responded = response["invited"].sum(), response["responded"].sum()
    rows.append(["Totaal", format_number(invited, 0), format_number(responded, 0),
                 format_percent(responded / invited if invited else float("nan"))])
    return [grid_table(rows, [width * 0.4, width * 0.2, width * 0.2, width * 0.2]),
            Spacer(1, 6)]


def _weighting_text(data) -> str:
    return weighting_paragraph(data.method.description, data.weighting)


def method_flowables(data, width: float, style) -> list:
    method = data.method
    flowables = [Paragraph("Hoe werd dit onderzoek gedaan?", style["h1"])]
    for paragraph in (method.sampling, method.fieldwork):
        if paragraph:
            flowables.append(Paragraph(text(paragraph), style["body"]))
    flowables += _response_table(method, width)
    flowables.append(Paragraph("Weging", style["h2"]))
    flowables.append(Paragraph(_weighting_text(data), style["body"]))
    flowables.append(Paragraph("Foutenmarge", style["h2"]))
    flowables.append(Paragraph(text(MARGIN_TEXT), style["body"]))
    flowables += [Paragraph(text(sentence), style["body"])
                  for sentence in interval_sentences(method.description)]
    flowables.append(Paragraph(text(
        f"Percentages tellen enkel wie een inhoudelijk antwoord gaf ('weet niet' en "
        f"'geen antwoord' niet). n is het aantal respondenten dat antwoordde (ongewogen). "
        f"Resultaten van groepen met minder dan {data.min_cell} antwoorden tonen we niet "
        f"(–), om de privacy te beschermen en omdat ze te onzeker zijn."), style["body"]))
    return flowables + [PageBreak()]


def _question_lines(question) -> list[str]:
    lines = [f"{value} = {label}" for value, label in question.options]
    lines += [f"{value} = {label} (ontbrekend)" for value, label in question.missing]
    lines = [f"Stellingen: {'; '.join(text for _, text in question.items)}"] * bool(
        question.items) + lines
    return lines


def questionnaire_flowables(data, style) -> list:
    flowables = [PageBreak(), Paragraph("Bijlage: vragenlijst", style["h1"])]
    for result in data.questions:
        question = result.question
        flowables.append(Paragraph(
            text(f"{question.number}. {question.text} ({TYPE_NAMES[question.type]})"),
            style["h3"]))
        flowables += [Paragraph(text(line), style["quote"]) for line in _question_lines(
            question)]
    return flowables
