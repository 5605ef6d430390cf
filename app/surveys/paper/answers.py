"""Answer areas of the paper questionnaire, per question type."""

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from app.surveys.definition.model import Question, text_in
from app.surveys.definition.variables import item_letter
from app.surveys.paper.flowables import BoxRow, TickBox, WritingLines
from app.surveys.paper.style import markup
from app.surveys.paper.text import phrase, show_number

FRAME_WIDTH = 170 * mm
MAX_GRID_ITEM_TEXT = 300
CELL_PADDING = 1.0


def answer_flowables(question: Question, builder, number: str) -> list:
    """The answer area of `question`; a nested list is a group kept on one page if possible."""
    return _RENDERERS[question.type](question, builder, number)


def _instruction(builder, text: str) -> Paragraph:
    style = builder.style.help.clone("instruction", fontName=builder.style.fonts.italic)
    return Paragraph(markup(text), style)


def _choices(question: Question, builder, number: str) -> list[Flowable]:
    flowables: list[Flowable] = []
    if question.type == "multiple":
        limit = question.settings.get("max_choices")
        text = phrase(builder.language, "multiple_max", count=limit) \
            if limit and limit < len(question.options) else phrase(builder.language, "multiple")
        flowables.append(_instruction(builder, text))
    flowables += builder.tick_options(question.options)
    flowables += builder.tick_options(question.missing, gap_before=True)
    return flowables


def _matrix(question: Question, builder, number: str) -> list[Flowable]:
    if _grid_fits(question, builder):
        return [Spacer(1, 1 * mm), _grid(question, builder, number)]
    flowables: list[Flowable] = [_instruction(builder, phrase(builder.language, "one"))]
    item_style = builder.style.body.clone("item", fontName=builder.style.fonts.bold,
                                          leftIndent=builder.style.indent, spaceBefore=2 * mm)
    for position, item in enumerate(question.items):
        label = f"{number}{item_letter(position)}. {builder.text(item.text)}"
        indent = builder.style.indent * 1.6
        flowables.append([Paragraph(label, item_style),
                          *builder.tick_options(question.options, indent=indent),
                          *builder.tick_options(question.missing, gap_before=True,
                                                indent=indent)])
    return flowables


def _grid_fits(question: Question, builder) -> bool:
    style = builder.style
    columns = len(question.options) + len(question.missing)
    if FRAME_WIDTH - columns * style.column < style.min_item_column:
        return False
    if any(len(text_in(item.text, builder.language)) > MAX_GRID_ITEM_TEXT
           for item in question.items):
        return False
    header, room = style.column_header, style.column - 2 * CELL_PADDING - 0.5
    for option in question.options + question.missing:
        for word in text_in(option.label, builder.language).split():
            if stringWidth(word, header.fontName, header.fontSize) > room:
                return False
    return True


def _grid(question: Question, builder, number: str) -> Table:
    style = builder.style
    options = question.options + question.missing
    header = [""] + [Paragraph(builder.text(option.label), style.column_header)
                     for option in options]
    rows = [header]
    for position, item in enumerate(question.items):
        label = f"<b>{number}{item_letter(position)}</b>&nbsp; {builder.text(item.text)}"
        rows.append([Paragraph(label, style.body)] + [TickBox(style.box) for _ in options])
    item_width = FRAME_WIDTH - len(options) * style.column
    table = Table(rows, colWidths=[item_width] + [style.column] * len(options), repeatRows=1)
    commands = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, (0.55, 0.55, 0.55)),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [(1, 1, 1), (0.92, 0.92, 0.92)]),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5 * mm),
                ("LEFTPADDING", (1, 0), (-1, -1), CELL_PADDING),
                ("RIGHTPADDING", (1, 0), (-1, -1), CELL_PADDING)]
    if question.missing:
        first_missing = len(question.options) + 1
        commands.append(("LINEBEFORE", (first_missing, 0), (first_missing, -1), 1.2,
                         (0, 0, 0)))
    table.setStyle(TableStyle(commands))
    return table


def _number(question: Question, builder, number: str) -> list[Flowable]:
    settings, language = question.settings, builder.language
    low, high = settings.get("min"), settings.get("max")
    digits = max(len(str(int(abs(value)))) for value in (low or 0, high)) \
        if high is not None else 5
    groups = [(digits, "")]
    if settings.get("decimals", 0):
        groups.append((settings["decimals"], ""))
    if low is not None and high is not None:
        hint = phrase(language, "number_range", low=show_number(low, language),
                      high=show_number(high, language))
    elif low is not None or high is not None:
        key = "number_min" if low is not None else "number_max"
        hint = phrase(language, key, low=show_number(low or 0, language),
                      high=show_number(high or 0, language))
    else:
        hint = phrase(language, "number_any")
    row = BoxRow(groups, box=builder.style.digit_box, font=builder.style.fonts.regular,
                 caption_size=builder.style.small_size, separator=",",
                 indent=builder.style.indent)
    return [_instruction(builder, hint), row, *builder.tick_options(question.missing,
                                                                     gap_before=True)]


def _text(question: Question, builder, number: str) -> list[Flowable]:
    length = question.settings.get("max_length", 2000)
    count = 1 if length <= 100 else 2 if length <= 300 else 4 if length <= 1000 else 6
    lines = WritingLines(count, builder.style.line_spacing, indent=builder.style.indent)
    return [lines, Spacer(1, 2 * mm), *builder.tick_options(question.missing, gap_before=True)]


def _date(question: Question, builder, number: str) -> list[Flowable]:
    language = builder.language
    groups = [(2, phrase(language, "day")), (2, phrase(language, "month")),
              (4, phrase(language, "year"))]
    row = BoxRow(groups, box=builder.style.digit_box, font=builder.style.fonts.regular,
                 caption_size=builder.style.small_size, separator="/",
                 indent=builder.style.indent)
    return [Spacer(1, 1 * mm), row, *builder.tick_options(question.missing, gap_before=True)]


_RENDERERS = {"single": _choices, "multiple": _choices, "likert": _choices, "matrix": _matrix,
              "number": _number, "text": _text, "date": _date}
