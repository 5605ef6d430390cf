"""The Dutch protocol of a jury lottery (PDF), in the style of the draw protocol.

:func:`render_protocol` turns plain facts into PDF bytes (no database); :func:`protocol_info`
collects those facts from a stored lottery. A missing fact is printed as "niet opgegeven".
"""

import io
from collections.abc import Mapping
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

from app.juries.services import feature_labels
from sampling.protocol.pdf import UNKNOWN, _footer, _styles
from sampling.protocol.tables import grid, number, percent, right, text

KINDS = {"main": "Hoofdloting", "replacement": "Vervangingsronde"}


def protocol_info(record) -> dict:
    jury, study = record.jury, record.jury.study
    labels = feature_labels(jury)
    probabilities = [row[1] for row in record.probabilities]
    return {
        "draw_id": f"jury {jury.id}, loting {record.id}", "seed": record.seed,
        "jury": jury.name, "purpose": jury.purpose, "kind": KINDS[record.kind],
        "study": f"{study.name}; {study.decision_text}" if study else "",
        "legal_basis": study.legal_basis if study else "",
        "published": f"{record.created_at:%d-%m-%Y %H:%M} UTC",
        "drawn": f"{record.drawn_at:%d-%m-%Y %H:%M} UTC" if record.drawn_at else "",
        "panel_size": record.panel_size, "seats": record.seats,
        "pool": len(record.probabilities), "fixed": record.fixed, "excluded": record.excluded,
        "quotas": [(labels.get(q["feature"], q["feature"]), q["value"], q["min"], q["max"])
                   for q in record.quotas],
        "algorithm": record.algorithm, "software": record.software_version,
        "pool_hash": record.pool_hash, "portfolio_hash": record.portfolio_hash,
        "portfolio_size": record.portfolio_size, "maximin_bound": record.maximin_bound,
        "lowest": min(probabilities) if probabilities else None,
        "chosen_number": record.chosen_number, "chosen": record.chosen,
        "jury_id": jury.id, "lottery_id": record.id,
        "probabilities": [(row[0], row[1], row[2]) for row in record.probabilities],
    }


def _facts(info: Mapping, styles):
    lowest = info.get("lowest")
    rows = [
        ("Jury", info.get("jury")), ("Doel", info.get("purpose")),
        ("Soort loting", info.get("kind")), ("Studie en besluit", info.get("study")),
        ("Rechtsgrond", info.get("legal_basis")), ("Fase 1 gepubliceerd", info.get("published")),
        ("Fase 2 (zaad ingevoerd)", info.get("drawn")),
        ("Zetels", f"{info['panel_size']} in totaal, {info['seats']} getrokken in deze loting"),
        ("Kandidaten in de loting", number(info.get("pool") or 0)),
        ("Vaste leden", ", ".join(info.get("fixed") or []) or "geen"),
        ("Uitgesloten (teruggetrokken)", ", ".join(info.get("excluded") or []) or "geen"),
        ("Laagste selectiekans", percent(lowest, 3) if lowest is not None else ""),
        ("Bovengrens maximin", percent(info.get("maximin_bound") or 0, 3)),
    ]
    cells = [[text(label, styles["cell_bold"]), text(value or UNKNOWN, styles["body"])]
             for label, value in rows]
    return grid(cells, [57 * mm, 117 * mm], header=False)


def _quotas(info: Mapping, styles):
    cells = [[text(h, styles["cell_bold"]) for h in ("Kenmerk", "Waarde", "Min.", "Max.")]]
    cells += [[text(feature, styles["cell"]), text(value, styles["cell"]),
               text(low, right(styles["cell"])), text(high, right(styles["cell"]))]
              for feature, value, low, high in info.get("quotas") or []]
    return grid(cells, [55 * mm, 65 * mm, 20 * mm, 20 * mm], header=True)


def _result(info: Mapping, styles) -> list:
    mono = styles["mono"].fontName
    seed = escape(str(info.get("seed"))) if info.get("seed") is not None else UNKNOWN
    chosen = ", ".join(info.get("chosen") or []) or UNKNOWN
    return [
        Paragraph(f"<b>Publiek zaad:</b> <font name='{mono}'>{seed}</font> &nbsp; "
                  f"<b>Gekozen panel:</b> nr. {info.get('chosen_number') or UNKNOWN} van "
                  f"{number(info['portfolio_size'])}", styles["body"]),
        Paragraph(f"<b>Getrokken (pseudoniemen):</b> {escape(chosen)}", styles["body"]),
        Paragraph(f"<b>Algoritme:</b> {escape(str(info.get('algorithm')))} &nbsp; "
                  f"<b>Software:</b> {escape(str(info.get('software')))}", styles["body"]),
        Paragraph("<b>Poolhash (SHA-256):</b>", styles["body"]),
        text(info.get("pool_hash"), styles["mono"]),
        Paragraph("<b>Portefeuillehash (SHA-256):</b>", styles["body"]),
        text(info.get("portfolio_hash"), styles["mono"]),
    ]


def _how(info: Mapping, styles) -> list:
    mono = styles["mono"].fontName
    return [Paragraph(
        "Fase 1 berekende de LEXIMIN-verdeling over alle panels die de quota halen (de "
        "laagste selectiekans zo hoog mogelijk, dan de volgende, …) en rondde die af tot "
        f"{number(info['portfolio_size'])} even waarschijnlijke panels; pool, quota, "
        "portefeuille en kansen vóór en na afronding werden gepubliceerd vóór het zaad "
        "bekend was. Fase 2 kiest panel nummer PCG64(zaad).integers(m) + 1. Het commando "
        f"<font name='{mono}'>flask juries verify {info.get('jury_id')}</font> herhaalt beide "
        "fasen van elke loting van deze jury en vergelijkt hashes, portefeuille en gekozen "
        "panel.", styles["body"])]


def _annex(info: Mapping, styles) -> list:
    rows = info.get("probabilities") or []
    if not rows:
        return []
    cells = [[text(h, styles["cell_bold"]) for h in ("Pseudoniem", "Kans vóór afronding",
                                                      "Kans na afronding")]]
    cells += [[text(person, styles["cell"]), text(f"{before:.6f}", right(styles["cell"])),
               text(f"{after:.6f}", right(styles["cell"]))] for person, before, after in rows]
    return [PageBreak(), text("Bijlage: selectiekans per kandidaat in deze loting",
                              styles["heading"]),
            grid(cells, [50 * mm, 45 * mm, 45 * mm], header=True)]


def render_protocol(info: Mapping) -> bytes:
    """The protocol of one lottery as A4 PDF bytes (Dutch, ``nl-BE`` metadata)."""
    styles = _styles(compact=False)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=f"Protocol van de loting – {info.get('jury', '')}",
        subject="Loting van een jury uit een pool", lang="nl-BE", creator="Stadspanel",
        leftMargin=18 * mm, rightMargin=18 * mm, topMargin=15 * mm, bottomMargin=15 * mm)
    story = [text("Protocol van de loting", styles["title"]),
             text(f"{info.get('jury', '')} – {info.get('kind', '')}", styles["subtitle"]),
             _facts(info, styles), text("Quota (aantal zetels)", styles["heading"]),
             _quotas(info, styles), text("Uitkomst en reproduceerbaarheid", styles["heading"]),
             *_result(info, styles), text("Hoe controleren?", styles["heading"]),
             *_how(info, styles), *_annex(info, styles)]
    document.build(story, onFirstPage=_footer(info), onLaterPages=_footer(info))
    return buffer.getvalue()


def render_jury_protocol(record) -> bytes:
    return render_protocol(protocol_info(record))
