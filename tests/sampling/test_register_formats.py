"""Real-world file variants: encodings, delimiters, XLSX, headers, line numbers, bad files."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sampling.errors import MissingColumnsError, RegisterFileError
from sampling.register import read_register
from tests.sampling.test_register_support import HEADERS, REFERENCE, csv_bytes, person

EXAMPLE = Path("/work/shared/data/example_register_antwerpen_3000.csv")
ROWS = [person(1), person(3, naam="Müller-Lüdenscheid", voornaam="Renée"), person(5)]


def _example_rows(count: int = 200, encoding: str = "utf-8") -> list[dict[str, str]]:
    lines = EXAMPLE.read_text(encoding="utf-8-sig").splitlines()[1:]
    fitting = [line for line in lines if line.encode(encoding, "ignore").decode(encoding) == line]
    return [dict(zip(HEADERS, line.split(";"), strict=True)) for line in fitting[:count]]


def _same_people(result, rows) -> None:
    assert result.errors == []
    assert result.frame["national_number"].tolist() == [row[HEADERS[0]] for row in rows]
    assert result.frame["last_name"].tolist() == [row["naam"] for row in rows]


def test_cp1252_with_commas(tmp_path):
    rows = _example_rows(encoding="cp1252")
    path = tmp_path / "register.csv"
    path.write_bytes(csv_bytes(rows + ROWS, delimiter=",", encoding="cp1252"))
    _same_people(read_register(path, reference_date=REFERENCE), rows + ROWS)


def test_tab_delimited_latin1_without_bom():
    rows = _example_rows(encoding="latin-1") + ROWS
    data = csv_bytes(rows, delimiter="\t", encoding="latin-1", line_end="\n")
    _same_people(read_register(data, reference_date=REFERENCE), rows)


def test_french_and_mixed_case_headers():
    french = ["NISS", "Nom", "Prénom", "Sexe", "Date de naissance", "Rue", "Numéro", "Boîte",
              "Code postal", "Commune", "Nationalité", "État civil", "Numéro de ménage",
              "Quartier"]
    data = csv_bytes([dict(zip(french, row.values(), strict=True)) for row in ROWS],
                     headers=french)
    result = read_register(data, reference_date=REFERENCE)
    _same_people(result, ROWS)
    assert result.column_mapping["Quartier"] == "district"
    shouted = [header.upper().replace("_", " ") for header in HEADERS]
    upper = [dict(zip(shouted, row.values(), strict=True)) for row in ROWS]
    _same_people(read_register(csv_bytes(upper, headers=shouted), reference_date=REFERENCE), ROWS)


def test_user_mapping_for_unknown_headers():
    renamed = ["id_burger" if header == "rijksregisternummer" else header for header in HEADERS]
    data = csv_bytes([dict(zip(renamed, row.values(), strict=True)) for row in ROWS],
                     headers=renamed)
    with pytest.raises(MissingColumnsError) as caught:
        read_register(data, reference_date=REFERENCE)
    assert caught.value.missing == ["national_number"]
    assert "rijksregisternummer" in str(caught.value) and "id_burger" in str(caught.value)
    result = read_register(data, reference_date=REFERENCE,
                           column_mapping={"id_burger": "national_number"})
    _same_people(result, ROWS)


def test_blank_lines_title_rows_and_count_line_keep_editor_line_numbers():
    lines = ["Bevolkingsregister Antwerpen", "Export 01/01/2026", "", ";".join(HEADERS)]
    lines += [";".join(ROWS[0].values()), "", "", ";".join(ROWS[1].values()),
              "\"x\";;;;;;;;;;;;;",
              ";".join(ROWS[2].values()).replace("Kerkstraat", '"Kerk\nstraat"'),
              ";".join(person(7, geboortedatum="31/02/1980").values()), "", "Totaal: 5"]
    data = "\r\n".join(lines).encode("utf-8")
    result = read_register(data, reference_date=REFERENCE)
    # Editor lines: header 4, rows on 5, 8, (9 is a one-cell row), 10-11 (quoted break), 12.
    assert result.frame["line"].tolist() == [5, 8, 10]
    assert [(problem.line, problem.column) for problem in result.errors] == [(12, "birth_date")]
    assert result.total_rows == 4


def test_decomposed_unicode_becomes_nfc():
    data = csv_bytes([person(1, naam="Mu\u0308ller", voornaam="Rene\u0301e")])
    frame = read_register(data, reference_date=REFERENCE).frame
    assert frame["last_name"].tolist() == ["Müller"]
    assert frame["first_name"].tolist() == ["Renée"]


def test_xlsx_with_title_rows_real_dates_and_float_numbers():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Bevolkingsregister"])
    sheet.append(["Peildatum", dt.datetime(2026, 1, 1)])
    sheet.append(HEADERS)
    for number, row in enumerate(ROWS):
        cells = list(row.values())
        cells[0] = float(cells[0])
        cells[4] = dt.datetime.strptime(cells[4], "%d/%m/%Y") if number else 31258  # serial
        cells[8] = int(cells[8])
        sheet.append(cells)
    sheet.append([])
    sheet.append([float(person(9, dt.date(2003, 4, 5))["rijksregisternummer"]), "Jacobs", "An",
                  "M", dt.datetime(2003, 4, 5), "Kerkstraat", 9, None, 2000, "Antwerpen",
                  "België", "ongehuwd", "H9", "Deurne"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = read_register(buffer.getvalue(), reference_date=REFERENCE)
    assert result.frame["line"].tolist() == [4, 5, 6, 8]
    assert result.frame["birth_date"].dt.date.tolist() == [
        dt.date(1985, 7, 30), dt.date(1985, 7, 30), dt.date(1985, 7, 30), dt.date(2003, 4, 5)]
    assert result.frame["national_number"].tolist()[:3] == [row["rijksregisternummer"]
                                                              for row in ROWS]
    assert result.frame["national_number"].iloc[3] == person(9, dt.date(2003, 4, 5))[HEADERS[0]]
    assert [(problem.line, problem.severity) for problem in result.errors] == [(8, "warning")]
    assert result.frame["postcode"].tolist() == ["2000"] * 4


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "leeg"),
        (b"   \r\n\r\n", "leeg"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (bytes(range(256)) * 40, "geen tekstbestand"),
        (b"PK\x03\x04garbage that is not a workbook", "Excel"),
        (b"Beste collega,\r\nhierbij de lijst.\r\nGroeten\r\n", "geen tabel"),
        (";".join(HEADERS).encode() + b"\r\n", "geen gegevens"),
        (b"Totaal: 0\r\n" + ";".join(HEADERS).encode() + b"\r\n;;;;\r\n", "geen gegevens"),
        (b"a;b;c\r\n1;2;3\r\n", "verplichte kolommen"),
    ],
)
def test_whole_file_problems_raise_register_file_error(data, words):
    with pytest.raises(RegisterFileError, match=words):
        read_register(data, reference_date=REFERENCE)


def test_random_bytes_are_refused():
    import numpy as np

    data = np.random.default_rng(3).integers(0, 256, 50_000, dtype=np.uint8).tobytes()
    with pytest.raises(RegisterFileError):
        read_register(data, reference_date=REFERENCE)


def test_row_limit():
    with pytest.raises(RegisterFileError, match="meer dan 2 rijen"):
        read_register(csv_bytes(ROWS), reference_date=REFERENCE, max_rows=2)


_CELL = st.text(alphabet=st.sampled_from(list("ab1;,\t\"\r\n /-.é0Ü") + ["\x00"]), max_size=12)


@settings(max_examples=200, deadline=None)
@given(
    header=st.lists(st.sampled_from(HEADERS + ["x", "", "Naam"]), max_size=16),
    cells=st.lists(st.lists(_CELL, max_size=16), max_size=8),
    delimiter=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_arbitrary_csvish_text_gives_a_result_or_a_register_file_error(
        header, cells, delimiter, encoding):
    text = "\r\n".join(delimiter.join(row) for row in [header, *cells])
    data = text.encode(encoding, errors="replace")
    try:
        result = read_register(data, reference_date=REFERENCE)
    except RegisterFileError:
        return
    assert len(result.frame) <= result.total_rows
    assert all(problem.severity in {"error", "warning"} for problem in result.errors)
