"""The draw protocol: an A4 PDF in Dutch that documents a draw for the record.

The first page holds the facts (purpose, date, who, legal basis, frame with its register
reference date, strata, minimum age, allocation, sample size, reserve list), the exclusions and
the allocation summarised per strata variable; then how to verify the draw. An annex lists
every stratum (one row each).

``draw_info`` keys (all optional except ``seed``): ``city``, ``panel``, ``purpose``
(``"recruitment"``, ``"topup"``, ``"survey_sample"``, ``"jury"`` or free text), ``date``,
``run_by``, ``legal_basis``, ``study``, ``reference_date`` (a ``date`` or text),
``population_size``, ``frame_hash``, ``exclusions`` (mapping reason to count), ``strata``
(the strata variables), ``minimum_age``, ``allocation_method``, ``reserve`` (a share of each
stratum's seats, e.g. ``0.1``, or a whole number per stratum), ``one_per_household``, ``seed``,
``algorithm`` and ``draw_id``. A missing fact is printed as "niet opgegeven", never left
blank. ``table`` is ``DrawResult.table`` (stratum, population, eligible, selected,
inclusion_probability, reserve). All text is escaped before it enters Paragraph markup.
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
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

from sampling.draw import ALGORITHM, describe_algorithm
from sampling.protocol.tables import (
    VARIABLES,
    grid,
    number,
    percent,
    right,
    strata_annex,
    summary_tables,
    text,
)

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
UNKNOWN = "niet opgegeven"


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


def _date(value: object) -> str:
    if value is None or value == "":
        return ""
    return value.strftime("%d-%m-%Y") if hasattr(value, "strftime") else str(value)


def _reserve(draw_info: Mapping, table: pd.DataFrame) -> str:
    reserve = draw_info.get("reserve") or 0
    if not reserve:
        return "geen"
    count = number(table["reserve"].sum()) if "reserve" in table else "?"
    if isinstance(reserve, int):
        return f"{reserve} per stratum ({count} reserven in totaal)"
    share = percent(float(reserve), strip=True)
    return (f"{share} van het aantal getrokkenen per stratum, naar boven afgerond "
            f"({count} reserven in totaal)")


def _stratatext(draw_info: Mapping, table: pd.DataFrame) -> str:
    names = [VARIABLES.get(name, name) for name in draw_info.get("strata") or []]
    if not names:
        return UNKNOWN
    return f"{' × '.join(names)} ({number(len(table))} strata)"


def _frametext(draw_info: Mapping, population: int) -> str:
    reference = _date(draw_info.get("reference_date"))
    source = (f"bevolkingsregister op {reference}" if reference
              else "bevolkingsregister (peildatum niet opgegeven)")
    return f"{source}, {number(population)} inwoners"


def _facts(draw_info: Mapping, table: pd.DataFrame, styles) -> Table:
    purpose = str(draw_info.get("purpose", ""))
    method = str(draw_info.get("allocation_method", ""))
    population = draw_info.get("population_size", int(table["population"].sum()))
    minimum_age = draw_info.get("minimum_age")
    rows = [
        ("Trekking", f"nr. {draw_info['draw_id']}" if draw_info.get("draw_id") else ""),
        ("Doel", PURPOSES.get(purpose, purpose)),
        ("Datum van de trekking", draw_info.get("date", "")),
        ("Uitgevoerd door", draw_info.get("run_by", "")),
        ("Rechtsgrond", draw_info.get("legal_basis", "")),
        ("Studie en besluit", draw_info.get("study", "")),
        ("Steekproefkader", _frametext(draw_info, population)),
        ("Strata", _stratatext(draw_info, table)),
        ("Minimumleeftijd", f"{minimum_age} jaar" if minimum_age is not None else ""),
        ("Allocatiemethode", METHODS.get(method, method)),
        ("Getrokken", f"{number(table['selected'].sum())} personen" if len(table) else ""),
        ("Reservelijst", _reserve(draw_info, table)),
        ("Eén persoon per huishouden", "ja" if draw_info.get("one_per_household") else "nee"),
    ]
    cells = [[text(label, styles["cell_bold"]), text(value or UNKNOWN, styles["body"])]
             for label, value in rows]
    return grid(cells, [57 * mm, 117 * mm], header=False)


def _exclusions(draw_info: Mapping, styles) -> list:
    exclusions = dict(draw_info.get("exclusions") or {})
    if not exclusions:
        return [text("Geen uitsluitingen toegepast.", styles["body"])]
    cells = [[text(reason, styles["body"]), text(number(count), right(styles["body"]))]
             for reason, count in exclusions.items()]
    return [grid(cells, [130 * mm, 30 * mm], header=False)]


def _verification(draw_info: Mapping, styles) -> list:
    draw_id = escape(str(draw_info.get("draw_id", "<id>")))
    algorithm = escape(str(draw_info.get("algorithm", ALGORITHM)))
    return [
        Paragraph(
            f"<b>Zaad (seed):</b> <font name='{styles['mono'].fontName}'>"
            f"{escape(str(draw_info['seed']))}</font> &nbsp; <b>Algoritme:</b> {algorithm}",
            styles["body"],
        ),
        Paragraph("<b>Kaderhash (SHA-256):</b>", styles["body"]),
        text(draw_info.get("frame_hash", ""), styles["mono"]),
        Paragraph("Hoe controleren?", styles["heading"]),
        Paragraph(
            "Iedereen met toegang tot hetzelfde kader kan de trekking herhalen met het commando "
            f"<font name='{styles['mono'].fontName}'>flask draws verify {draw_id}</font>. Dat "
            "berekent de kaderhash opnieuw, trekt opnieuw met hetzelfde zaad en vergelijkt de "
            "uitkomst persoon per persoon met de bewaarde trekking.",
            styles["body"],
        ),
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
    summary = _styles(compact=True)
    title = f"Protocol van de trekking – {draw_info.get('panel', 'panel')}"
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=title, author=str(draw_info.get("run_by", "")),
        subject="Gestratificeerde aselecte trekking", lang="nl-BE", creator="Stadspanel",
        leftMargin=18 * mm, rightMargin=18 * mm, topMargin=15 * mm, bottomMargin=15 * mm,
    )
    story = [
        text("Protocol van de trekking", styles["title"]),
        text(f"{draw_info.get('city', '')} – {draw_info.get('panel', '')}", styles["subtitle"]),
        _facts(draw_info, table, styles),
        text("Uitsluitingen vóór de trekking", styles["heading"]),
        *_exclusions(draw_info, styles),
        text("Verdeling per stratificatievariabele", styles["heading"]),
        *summary_tables(draw_info, table, summary),
        text("Reproduceerbaarheid", styles["heading"]),
        *_verification(draw_info, styles),
    ]
    if len(draw_info.get("strata") or []) != 1:  # one variable: the summary is the table
        story += [PageBreak(), text("Bijlage: verdeling per stratum", styles["heading"]),
                  *strata_annex(draw_info, table, _styles(compact=True))]
    story += [Spacer(1, 3 * mm), text(describe_algorithm().split("\n")[0], styles["small"])]
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
