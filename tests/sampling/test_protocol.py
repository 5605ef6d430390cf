import io

import pandas as pd
import pdfplumber
import pytest
from pypdf import PdfReader

from sampling.draw import ALGORITHM
from sampling.protocol import render_protocol_pdf

AGES = ["18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]
FRAME_HASH = "3f" * 32


def strata_table(districts):
    labels = [
        f"{age} | {sex} | {district}" for age in AGES for sex in "FM" for district in districts
    ]
    population = [400 + 7 * index for index in range(len(labels))]
    selected = [size // 20 for size in population]
    return pd.DataFrame({
        "stratum": labels,
        "population": population,
        "eligible": [size - 3 for size in population],
        "selected": selected,
        "inclusion_probability": [n / (size - 3) for n, size in zip(selected, population,
                                                                      strict=True)],
        "reserve": [n // 2 for n in selected],
    })


def draw_info(**overrides):
    info = {
        "city": "Stad Leuven", "panel": "Stadspanel 2026–2030", "purpose": "recruitment",
        "date": "28 november 2026", "run_by": "Anaïs Vercruyssen",
        "legal_basis": "Art. 89 AVG & besluit <b>2026/17</b>", "reference_date": "1 november 2026",
        "population_size": 104_233, "frame_hash": FRAME_HASH,
        "exclusions": {"Jonger dan 18 jaar": 19_850, "Verzetlijst": 112},
        "allocation_method": "proportional", "seed": 987654321, "algorithm": ALGORITHM,
        "draw_id": 17,
    }
    return info | overrides


def read_back(pdf: bytes) -> tuple[str, int]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = " ".join(page.extract_text() or "" for page in document.pages)
        return " ".join(text.split()), len(document.pages)


@pytest.mark.parametrize("districts", [["Centrum", "Noord", "Zuid"], ["Kessel-Lo"]])
def test_protocol_holds_the_facts_needed_to_check_the_draw(districts):
    table = strata_table(districts)
    text, pages = read_back(render_protocol_pdf(draw_info(), table))
    assert pages <= 2
    assert "987654321" in text
    assert FRAME_HASH in text
    assert ALGORITHM in text
    assert "flask draws verify 17" in text
    assert "werving" in text
    total = f"{int(table['selected'].sum()):,}".replace(",", ".")
    assert f"Totaal {int(table['population'].sum()):,}".replace(",", ".") in text
    assert total in text
    for label in table["stratum"]:
        assert label in text
    assert "Jonger dan 18 jaar 19.850" in text


def test_protocol_escapes_user_text_and_keeps_accents():
    table = strata_table(["Sint-Jan <Oost> & Zuid"])
    text, _ = read_back(render_protocol_pdf(draw_info(), table))
    assert "Sint-Jan <Oost> & Zuid" in text
    assert "Art. 89 AVG & besluit <b>2026/17</b>" in text
    assert "Anaïs Vercruyssen" in text
    assert "Eén persoon per huishouden" in text


def test_protocol_metadata_names_the_title_and_language():
    reader = PdfReader(io.BytesIO(render_protocol_pdf(draw_info(), strata_table(["Centrum"]))))
    assert reader.metadata.title == "Protocol van de trekking – Stadspanel 2026–2030"
    assert reader.metadata.author == "Anaïs Vercruyssen"
    assert reader.trailer["/Root"]["/Lang"] == "nl-BE"
