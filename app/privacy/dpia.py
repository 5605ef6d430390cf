"""The DPIA annex: generated from the study, the settings and the data the database holds."""

import io
from datetime import date

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.models import (
    Assignment,
    DataSubjectRequest,
    Member,
    Resident,
    Response,
    Study,
    Suppression,
)
from app.privacy.studies import latest_study

STORES = (
    ("residents", "Bevolkingsregister (kader)", "naam, adres, geboortedatum, geslacht, wijk, "
     "leeftijdsgroep, nationaliteit(sgroep), huishouden; rijksregisternummer alleen als "
     "sleutel-hash (HMAC)", "beheerder, onderzoeker"),
    ("margins", "Marges (tellingen per cel)", "aantallen per leeftijdsgroep × geslacht × wijk × "
     "nationaliteitsgroep; geen personen", "beheerder, onderzoeker"),
    ("draws / selections", "Trekkingen", "seed, parameters, pseudonieme kaderkopie "
     "(sleutel-hash + strata), wie getrokken werd", "beheerder, onderzoeker"),
    ("invitations", "Uitnodigingen", "kanaal, status, e-mailadres (indien gekend), code en "
     "link alleen als hash", "beheerder, onderzoeker"),
    ("members", "Panelleden", "toestemming (versie, tijdstip), contactvoorkeur, e-mail, taal, "
     "profielantwoorden", "beheerder, onderzoeker"),
    ("assignments / responses / answers", "Antwoorden", "antwoorden per pseudoniem; de "
     "koppeling pseudoniem → persoon kan na het veldwerk verbroken worden",
     "beheerder, onderzoeker; invoerders alleen papieren vragenlijsten"),
    ("reports / weight_sets", "Resultaten", "gewichten per pseudoniem, gepubliceerde "
     "rapporten (geaggregeerd, kleine cellen onderdrukt)", "raadsleden: alleen gepubliceerde "
     "rapporten"),
    ("jury_candidates / jury_lotteries", "Jury's (pool en loting)", "pseudoniem, kenmerken "
     "(uit het register en zelf opgegeven), beschikbaarheid, koppeling met inwoner/panellid; "
     "de loting zelf alleen met pseudoniemen", "beheerder, onderzoeker; raadsleden alleen "
     "totalen en pseudoniemen; de openbare lotingpagina alleen pseudoniemen"),
    ("audit_events", "Auditlog", "wie wat deed, met ids; nooit namen of adressen",
     "beheerder"),
)


def _count(model, *conditions) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)
                             .where(*conditions)) or 0


def _study_section(study: Study | None) -> list[str]:
    if study is None:
        return ["**Er is nog geen studie vastgelegd.** Leg eerst een studie vast (Privacy → "
                "Studies): zonder besluit en doel mag het register niet gebruikt worden.", ""]
    return [f"- Studie: {study.name}", f"- Besluit: {study.decision_text}",
            f"- Doel: {study.purpose}", f"- Rechtsgrond: {study.legal_basis}",
            f"- Verwerkingsverantwoordelijke: {study.controller}",
            f"- Functionaris voor gegevensbescherming: {study.dpo_contact}",
            f"- Einde veldwerk: {study.fieldwork_end or 'nog niet vastgelegd'}", ""]


def _retention_section(study: Study | None) -> list[str]:
    days = (study.unselected_retention_days, study.contact_retention_days) if study else ("?",
                                                                                       "?")
    return [
        f"- Niet-getrokken inwoners: verwijderd {days[0]} dagen na de import "
        "(`flask retention run`); de marges blijven voor de weging.",
        f"- Contactgegevens van getrokken niet-leden en e-mailadressen: gewist {days[1]} dagen "
        "na het einde van het veldwerk; van uitgestapte leden {days[1]} dagen na het uitstappen.",
        "- Antwoorden: bewaard per pseudoniem; na het veldwerk kan de koppeling met de persoon "
        "per bevraging onomkeerbaar verbroken worden (anonimiseren).",
        "- Bezwaarlijst: alleen de sleutel-hash, zolang de studie loopt.", ""]


def _figures() -> list[str]:
    return [
        f"- Inwoners in het kader: {_count(Resident, Resident.in_frame)}",
        f"- Inwoners met een beperking van de verwerking: "
        f"{_count(Resident, Resident.restricted_at.is_not(None))}",
        f"- Gewiste inwoners: {_count(Resident, Resident.erased_at.is_not(None))}",
        f"- Bezwaarlijst: {_count(Suppression)}",
        f"- Actieve panelleden: {_count(Member, Member.status == 'active')}",
        f"- Toewijzingen nog gekoppeld aan een persoon: "
        f"{_count(Assignment, sa.or_(Assignment.member_id.is_not(None), Assignment.selection_id.is_not(None)))}",  # noqa: E501
        f"- Ingediende antwoorden: {_count(Response, Response.status == 'complete')}",
        f"- Verzoeken van betrokkenen (open): "
        f"{_count(DataSubjectRequest, DataSubjectRequest.status == 'open')}", ""]


def _settings() -> list[str]:
    config = current_app.config
    production = config["ENV_NAME"] == "production"
    return [
        f"- Omgeving: {config['ENV_NAME']}; HSTS {'aan' if production else 'uit (alleen in productie)'}",  # noqa: E501
        f"- Sessiecookie Secure: {config['SESSION_COOKIE_SECURE']}, HttpOnly, SameSite=Lax",
        f"- Aanmeldlimiet: {config['LOGIN_RATE_LIMIT']}; codelimiet per IP: "
        f"{config['CODE_RATE_LIMIT']}; globaal: {config['CODE_GLOBAL_RATE_LIMIT']}",
        f"- Maximale upload: {(config.get('MAX_CONTENT_LENGTH') or 0) // 2**20} MB",
        f"- Database: {db.engine.dialect.name}; e-mail via {config['SMTP_HOST']}:"
        f"{config['SMTP_PORT']} (STARTTLS: {config['SMTP_STARTTLS']})",
        "- Doorgifte buiten de EER: geen. Verwerkers: alleen de hosting en de mailserver die de "
        "stad zelf kiest.", ""]


def dpia_markdown(*, today: date | None = None) -> str:
    """The DPIA annex as Markdown (Dutch), from the latest study and the live settings."""
    study = latest_study()
    city = current_app.config["CITY_NAME"]
    lines = [f"# DPIA-bijlage Stadspanel — {city}", "",
             f"Gegenereerd op {(today or date.today()).isoformat()} uit de instellingen en de "
             "gegevens van deze installatie.", "", "## 1. Studie en rechtsgrond", "",
             *_study_section(study), "## 2. Wat wordt waar bewaard, en wie ziet het", "",
             "| Tabel | Inhoud | Gegevens | Wie ziet het |", "|---|---|---|---|"]
    lines += [f"| {table} | {title} | {data} | {who} |" for table, title, data, who in STORES]
    lines += ["", "## 3. Gegevensstromen", "",
              "Registerbestand → import (rijksregisternummer alleen in het geheugen, daarna "
              "HMAC) → kader → trekking (bezwaarlijst en beperkingen uitgesloten) → brief of "
              "e-mail met Art. 14-kennisgeving → deelname (toestemming) → vragenlijst per "
              "pseudoniem → weging en rapporten zonder namen.", "",
              "## 4. Bewaartermijnen", "", *_retention_section(study),
              "## 5. Beveiliging en instellingen", "", *_settings(),
              "## 6. Huidige omvang", "", *_figures(),
              "## 7. Rechten van betrokkenen", "",
              "Inzage, wissen, beperking en bezwaar via Privacy → Verzoeken; antwoord binnen één "
              "maand; elke stap staat in het auditlog.", ""]
    return "\n".join(lines)


def dpia_pdf(markdown: str) -> bytes:
    """A plain A4 PDF of the annex (headings, bullets and table rows as paragraphs)."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    story = []
    for line in markdown.splitlines():
        if line.startswith("|---"):
            continue
        style = (styles["Title"] if line.startswith("# ") else styles["Heading2"]
                 if line.startswith("## ") else styles["BodyText"])
        text = escape(line.lstrip("#- ").replace("`", "").replace("**", ""))
        text = " · ".join(part.strip() for part in text.strip("|").split("|"))
        story.append(Paragraph(text, style) if text else Spacer(1, 4))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title="DPIA-bijlage Stadspanel").build(story)
    return buffer.getvalue()
