"""Selection lists (with addresses, for letters) and the protocol's inputs."""

import pandas as pd
import sqlalchemy as sa
from flask import current_app
from flask_babel import format_datetime

from app.extensions import db
from app.models import Draw, RegisterImport, Resident, Selection, Study, User
from app.register.exports import XLSX, xlsx_table
from app.templating import stratum_label
from reports.safe import write_csv

SELECTION_HEADERS = {
    "order": "Volgnummer", "is_reserve": "Reserve", "stratum": "Stratum",
    "first_name": "Voornaam", "last_name": "Naam", "street": "Straat",
    "house_number": "Huisnummer", "box": "Bus", "postcode": "Postcode",
    "municipality": "Gemeente",
}


def selection_frame(draw: Draw) -> pd.DataFrame:
    columns = [Selection.order, Selection.is_reserve, Selection.stratum, Resident.first_name,
               Resident.last_name, Resident.street, Resident.house_number, Resident.box,
               Resident.postcode, Resident.municipality]
    rows = db.session.execute(
        sa.select(*columns).join(Resident, Resident.id == Selection.resident_id)
        .where(Selection.draw_id == draw.id)
        .order_by(Selection.is_reserve, Selection.stratum, Selection.order)).all()
    frame = pd.DataFrame(rows, columns=list(SELECTION_HEADERS))
    frame["is_reserve"] = frame["is_reserve"].map({True: "ja", False: "nee"})
    frame["stratum"] = frame["stratum"].map(lambda label: stratum_label(label, draw.strata))
    return frame.rename(columns=SELECTION_HEADERS)


def selection_file(draw: Draw, extension: str) -> tuple[bytes, str]:
    frame = selection_frame(draw)
    if extension == "csv":
        return write_csv(frame), "text/csv"
    return xlsx_table(frame, sheet="Selectie"), XLSX


def stratum_frame(draw: Draw) -> pd.DataFrame:
    return pd.DataFrame(draw.stratum_table)


def protocol_info(draw: Draw) -> dict:
    """Every fact the protocol prints, with the register's reference date and the study."""
    user = db.session.get(User, draw.created_by_id) if draw.created_by_id else None
    source = db.session.get(RegisterImport, draw.frame_import_id) if draw.frame_import_id \
        else None
    study = db.session.get(Study, draw.study_id) if draw.study_id else None
    table = stratum_frame(draw)
    return {
        "city": current_app.config["CITY_NAME"],
        "panel": draw.panel.name if draw.panel else "geen panel",
        "purpose": draw.purpose, "date": format_datetime(draw.created_at, "dd-MM-yyyy HH:mm"),
        "run_by": user.name if user else "via de opdrachtregel (geen gebruiker)",
        "legal_basis": draw.legal_basis or (study.legal_basis_text if study else ""),
        "study": f"{study.name}: {study.decision_text}" if study else "",
        "reference_date": source.reference_date if source else None,
        "strata": list(draw.strata),
        "minimum_age": (draw.parameters.get("rules") or {}).get("minimum_age"),
        "population_size": int(table["population"].sum()) if len(table) else 0,
        "frame_hash": draw.frame_hash, "exclusions": draw.exclusions,
        "allocation_method": draw.allocation_method,
        "reserve": draw.parameters.get("reserve", 0),
        "one_per_household": draw.parameters.get("one_per_household", False),
        "seed": draw.seed, "algorithm": draw.algorithm, "draw_id": draw.id,
    }
