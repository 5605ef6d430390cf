import io
import re

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


def three_variable_table() -> pd.DataFrame:
    """168 strata: 8 age bands × 3 sexes × 7 districts (the size that ran to 5 pages)."""
    ages = ["16-17", *AGES]
    districts = ["Centrum", "Noord", "Oost", "Zuid", "West", "Haven", "Rand"]
    labels = [f"{a} | {s} | {d}" for a in ages for s in "FMX" for d in districts]
    population = [400 + 7 * index for index in range(len(labels))]
    selected = [size // 20 for size in population]
    return pd.DataFrame({
        "stratum": labels, "population": population,
        "eligible": [size - 3 for size in population], "selected": selected,
        "inclusion_probability": [n / (size - 3) for n, size in zip(selected, population,
                                                                      strict=True)],
        "reserve": [-(-n // 10) for n in selected]})


def pages_of(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [" ".join((page.extract_text() or "").split()) for page in document.pages]


def test_the_first_page_summarises_per_variable_and_the_annex_lists_every_stratum():
    table = three_variable_table()
    info = draw_info(strata=["age_band", "sex", "district"], reserve=0.1, minimum_age=16)
    pages = pages_of(render_protocol_pdf(info, table))
    assert len(pages) <= 3
    first, annex = pages[0], " ".join(pages[1:])
    assert "Verdeling per stratificatievariabele" in first
    # per variable: the sums of the table, computed here independently of the renderer
    women = table[table["stratum"].str.contains(r"\| F \|")]
    assert (f"vrouw {int(women['population'].sum()):,} {int(women['eligible'].sum()):,} "
            f"{int(women['selected'].sum()):,}".replace(",", ".")) in first
    centre = table[table["stratum"].str.endswith("Centrum")]
    assert f"Centrum {int(centre['population'].sum()):,}".replace(",", ".") in first
    assert "16-17 | vrouw | Centrum" not in first  # strata only in the annex
    assert "Bijlage: verdeling per stratum" in annex
    for label in table["stratum"]:
        dutch = label.replace("| F |", "| vrouw |").replace("| M |", "| man |").replace(
            "| X |", "| x |")
        assert dutch in annex, dutch
    assert "| F |" not in annex and "| M |" not in annex


def test_every_fact_is_filled_in_in_dutch_words_and_numbers():
    import datetime as dt

    info = draw_info(strata=["age_band", "sex", "district"], reserve=0.1, minimum_age=16,
                     reference_date=dt.date(2026, 1, 1), study="Stadspanel: CBS/2026/001")
    table = three_variable_table()
    text = pages_of(render_protocol_pdf(info, table))[0]
    reserves = f"{int(table['reserve'].sum()):,}".replace(",", ".")
    assert "Steekproefkader bevolkingsregister op 01-01-2026, 104.233 inwoners" in text
    assert (f"Reservelijst 10 % van het aantal getrokkenen per stratum, naar boven afgerond "
            f"({reserves} reserven in totaal)") in text
    assert "Strata leeftijdsgroep × geslacht × wijk (168 strata)" in text
    assert "Minimumleeftijd 16 jaar" in text and "Studie en besluit Stadspanel" in text
    assert "op ?" not in text and "0.1" not in text and "0,1 " not in text
    assert re.search(r"\d\.\d\d %", text) is None  # no decimal points in shares


def test_a_missing_fact_says_so_instead_of_a_blank_or_a_question_mark():
    table = strata_table(["Centrum"])
    text = pages_of(render_protocol_pdf({"seed": 5}, table))[0]
    assert "bevolkingsregister (peildatum niet opgegeven)" in text
    assert "Rechtsgrond niet opgegeven" in text and "Uitgevoerd door niet opgegeven" in text
    assert "Reservelijst geen" in text and "op ?" not in text
