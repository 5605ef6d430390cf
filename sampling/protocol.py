"""The draw protocol: a one-to-two page A4 PDF in Dutch that documents a draw for the record.

``draw_info`` keys (all optional except ``seed``): ``city``, ``panel``, ``purpose``
(``"recruitment"``, ``"topup"``, ``"survey_sample"``, ``"jury"`` or free text), ``date``,
``run_by``, ``legal_basis``, ``reference_date``, ``population_size``, ``frame_hash``,
``exclusions`` (mapping reason to count), ``allocation_method``, ``reserve``,
``one_per_household``, ``seed``, ``algorithm`` and ``draw_id``. ``table`` is
``DrawResult.table`` (stratum, population, eligible, selected, inclusion_probability, reserve).
All text is escaped before it enters Paragraph markup.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from sampling.draw import ALGORITHM, describe_algorithm

FONT_DIRECTORY = Path("/usr/share/fonts/truetype/dejavu")
PURPOSES = {
    "recruitment": "werving",
    "topup": "aanvulling",
    "survey_sample": "steekproef voor bevraging",
    "jury": "loting voor een burgerjury",
}
METHODS = {
    "proportional": "proportioneel (grootste rest)",
    "equal": "gelijk per stratum",
    "neyman": "Neyman (optimaal)",
    "fixed": "vaste aantallen per stratum",
    "target_completes": "doelaantal leden, opgehoogd met de verwachte respons",
}
COMPACT_FROM = 25


def _fonts() -> tuple[str, str, str]:
    """Register DejaVu (full accents) when present; fall back to Helvetica/Courier."""
    files = {"DejaVuSans": "DejaVuSans.ttf", "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
             "DejaVuSansMono": "DejaVuSansMono.ttf"}
    if not all((FONT_DIRECTORY / name).exists() for name in files.values()):
        return "Helvetica", "Helvetica-Bold", "Courier"
    for font_name, file_name in files.items():
        if font_name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(font_name, str(FONT_DIRECTORY / file_name)))
    pdfmetrics.registerFontFamily("DejaVuSans", normal="DejaVuSans", bold="DejaVuSans-Bold",
                                  italic="DejaVuSans", boldItalic="DejaVuSans-Bold")
    return "DejaVuSans", "DejaVuSans-Bold", "DejaVuSansMono"


def _styles(compact: bool) -> dict[str, ParagraphStyle]:
    regular, bold, mono = _fonts()
    size = 7.5 if compact else 9
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=15, leading=19, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", fontName=regular, fontSize=10.5, leading=14,
                                   textColor=colors.HexColor("#333333"), spaceAfter=6),
        "heading": ParagraphStyle("heading", fontName=bold, fontSize=10.5, leading=14,
                                  spaceBefore=7, spaceAfter=3),
        "body": ParagraphStyle("body", fontName=regular, fontSize=9, leading=12),
        "small": ParagraphStyle("small", fontName=regular, fontSize=8, leading=10.5),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=size, leading=size * 1.2),
        "cell_bold": ParagraphStyle("cell_bold", fontName=bold, fontSize=size,
                                    leading=size * 1.2),
        "mono": ParagraphStyle("mono", fontName=mono, fontSize=8, leading=10),
    }


def _text(value: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape("" if value is None else str(value)), style)


def _number(value: object) -> str:
    return f"{int(value):,}".replace(",", ".")


def _facts(draw_info: Mapping, table: pd.DataFrame, styles) -> Table:
    purpose = str(draw_info.get("purpose", ""))
    method = str(draw_info.get("allocation_method", ""))
    population = draw_info.get("population_size", int(table["population"].sum()))
    rows = [
        ("Doel", PURPOSES.get(purpose, purpose)),
        ("Datum van de trekking", draw_info.get("date", "")),
        ("Uitgevoerd door", draw_info.get("run_by", "")),
        ("Rechtsgrond", draw_info.get("legal_basis", "")),
        ("Steekproefkader", f"bevolkingsregister op {draw_info.get('reference_date', '?')}, "
                            f"{_number(population)} inwoners"),
        ("Allocatiemethode", METHODS.get(method, method)),
        ("Eén persoon per huishouden", "ja" if draw_info.get("one_per_household") else "nee"),
    ]
    if draw_info.get("reserve"):
        rows.append(("Reservelijst", str(draw_info["reserve"])))
    cells = [[_text(label, styles["cell_bold"]), _text(value, styles["body"])]
             for label, value in rows]
    return _grid(cells, [57 * mm, 117 * mm], header=False)


def _grid(cells: list, widths: list, *, header: bool, total: bool = False) -> Table:
    grid = Table(cells, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    if header:
        commands += [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
                     ("ALIGN", (1, 0), (-1, -1), "RIGHT")]
    if total:
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black))
    grid.setStyle(TableStyle(commands))
    return grid


def _right(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}_right", parent=style, alignment=2)


def _strata_table(table: pd.DataFrame, styles) -> Table:
    cell, bold = styles["cell"], styles["cell_bold"]
    right, right_bold = _right(cell), _right(bold)
    header = [_text("Stratum", bold)] + [
        _text(name, right_bold) for name in
        ("Bevolking N_h", "In aanmerking", "Getrokken n_h", "Trekkingskans", "Reserve")
    ]
    cells = [header]
    for row in table.itertuples(index=False):
        cells.append([_text(row.stratum, cell)] + [
            _text(value, right) for value in (
                _number(row.population), _number(row.eligible), _number(row.selected),
                f"{100 * row.inclusion_probability:.2f} %".replace(".", ","),
                _number(row.reserve),
            )
        ])
    eligible, selected = int(table["eligible"].sum()), int(table["selected"].sum())
    share = f"{100 * selected / eligible:.2f} %".replace(".", ",") if eligible else "–"
    cells.append([_text("Totaal", bold)] + [
        _text(value, right_bold) for value in (
            _number(table["population"].sum()), _number(eligible), _number(selected), share,
            _number(table["reserve"].sum()),
        )
    ])
    widths = [57 * mm, 24 * mm, 24 * mm, 22 * mm, 28 * mm, 19 * mm]
    return _grid(cells, widths, header=True, total=True)


def _exclusions(draw_info: Mapping, styles) -> list:
    exclusions = dict(draw_info.get("exclusions") or {})
    if not exclusions:
        return [_text("Geen uitsluitingen toegepast.", styles["body"])]
    cells = [[_text(reason, styles["body"]), _text(_number(count), _right(styles["body"]))]
             for reason, count in exclusions.items()]
    return [_grid(cells, [130 * mm, 30 * mm], header=False)]


def _verification(draw_info: Mapping, styles) -> list:
    draw_id = escape(str(draw_info.get("draw_id", "<id>")))
    algorithm = escape(str(draw_info.get("algorithm", ALGORITHM)))
    dutch = describe_algorithm().split("\n")[0]
    return [
        Paragraph(
            f"<b>Zaad (seed):</b> <font name='{styles['mono'].fontName}'>"
            f"{escape(str(draw_info['seed']))}</font> &nbsp; <b>Algoritme:</b> {algorithm}",
            styles["body"],
        ),
        Paragraph("<b>Kaderhash (SHA-256):</b>", styles["body"]),
        _text(draw_info.get("frame_hash", ""), styles["mono"]),
        Paragraph("Hoe controleren?", styles["heading"]),
        Paragraph(
            "Iedereen met toegang tot hetzelfde kader kan de trekking herhalen met het commando "
            f"<font name='{styles['mono'].fontName}'>flask draws verify {draw_id}</font>. Dat "
            "berekent de kaderhash opnieuw, trekt opnieuw met hetzelfde zaad en vergelijkt de "
            "uitkomst persoon per persoon met de bewaarde trekking.",
            styles["body"],
        ),
        Spacer(1, 2 * mm),
        _text(dutch, styles["small"]),
    ]


def render_protocol_pdf(draw_info: Mapping, table: pd.DataFrame) -> bytes:
    """Render the Dutch draw protocol as PDF bytes.

    Parameters
    ----------
    draw_info : mapping
        Facts about the draw; see the module docstring for the keys (``seed`` is required).
    table : pandas.DataFrame
        The per-stratum table of the draw (``DrawResult.table``).

    Returns
    -------
    bytes
        An A4 PDF with title and language (``nl-BE``) metadata.

    References
    ----------
    .. [1] ReportLab PDF Library User Guide, ch. 5 (PLATYPUS).
    .. [2] OECD (2020). *Innovative Citizen Participation and New Democratic Institutions*,
       ch. 7 (good practice: a transparent, documented random selection).
    """
    styles = _styles(compact=len(table) >= COMPACT_FROM)
    title = f"Protocol van de trekking – {draw_info.get('panel', 'panel')}"
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=title, author=str(draw_info.get("run_by", "")),
        subject="Gestratificeerde aselecte trekking", lang="nl-BE", creator="Stadspanel",
        leftMargin=18 * mm, rightMargin=18 * mm, topMargin=15 * mm, bottomMargin=15 * mm,
    )
    story = [
        _text("Protocol van de trekking", styles["title"]),
        _text(f"{draw_info.get('city', '')} – {draw_info.get('panel', '')}", styles["subtitle"]),
        _facts(draw_info, table, styles),
        _text("Uitsluitingen vóór de trekking", styles["heading"]),
        *_exclusions(draw_info, styles),
        _text("Verdeling over de strata", styles["heading"]),
        _strata_table(table, styles),
        _text("Reproduceerbaarheid", styles["heading"]),
        *_verification(draw_info, styles),
    ]
    document.build(story, onFirstPage=_footer(draw_info), onLaterPages=_footer(draw_info))
    return buffer.getvalue()


def _footer(draw_info: Mapping):
    regular = _fonts()[0]
    label = f"Trekking {draw_info.get('draw_id', '')} · zaad {draw_info.get('seed', '')}"

    def draw(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(regular, 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(document.leftMargin, 9 * mm, label)
        canvas.drawRightString(A4[0] - document.rightMargin, 9 * mm, f"pagina {document.page}")
        canvas.restoreState()

    return draw
