"""Row-level problem reports as CSV or XLSX, safe against formula injection."""

from io import BytesIO

import pandas as pd
from openpyxl import Workbook

from app.templating import COLUMN_LABELS
from reports.safe import neutralise_cell, write_csv

HEADERS = {"line": "Regel", "column": "Kolom", "value": "Waarde", "message": "Probleem",
           "severity": "Ernst"}
SEVERITY = {"error": "fout (rij afgewezen)", "warning": "waarschuwing (rij ingelezen)"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def problems_frame(problems: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(problems, columns=list(HEADERS))
    frame["column"] = frame["column"].map(  # "Rijksregisternummer", never "national_number"
        lambda name: str(COLUMN_LABELS.get(name, name)) if isinstance(name, str) else name)
    frame["severity"] = frame["severity"].map(SEVERITY)
    return frame.rename(columns=HEADERS)


def xlsx_table(frame: pd.DataFrame, *, sheet: str) -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append([neutralise_cell(str(column)) for column in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        worksheet.append([neutralise_cell(None if pd.isna(value) else value) for value in row])
    worksheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def problems_file(problems: list[dict], extension: str) -> tuple[BytesIO, str]:
    frame = problems_frame(problems)
    if extension == "csv":
        return BytesIO(write_csv(frame)), "text/csv"
    return BytesIO(xlsx_table(frame, sheet="Fouten")), XLSX
