"""Paper questionnaire PDF: texts in order, numbering, routing, barcodes, large print."""

import io
import json
import re
from pathlib import Path

import pdfplumber
import pypdf
import pypdfium2
import pytest
import zxingcpp
from hypothesis import given, settings

from app.surveys.definition import load_definition, numbering, text_in
from app.surveys.paper import render_paper, render_paper_batch
from tests.web.strategies import survey_definitions

EXAMPLE = Path(__file__).parents[2] / "data" / "surveys" / "leven_in_zennegem.json"
CODE = "ZNG-000123"


@pytest.fixture(scope="module")
def survey():
    return load_definition(EXAMPLE.read_bytes())


@pytest.fixture(scope="module")
def pdf(survey):
    return render_paper(survey, respondent_code=CODE,
                        return_address_lines=("Stad Zennegem", "Antwoordnummer 1234"))


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def content_text(data: bytes) -> str:
    """Page texts without the page furniture (page numbers, respondent code)."""
    furniture = re.compile(r"^(pagina \d+ van \d+|page \d+ (de|of) \d+|Code: .*)$")
    return "\n".join(line for text in page_texts(data) for line in text.splitlines()
                     if not furniture.match(line.strip()))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def find_in_order(haystack: str, needles: list[str]) -> None:
    position = 0
    for needle in needles:
        found = haystack.find(squash(needle), position)
        assert found >= 0, f"{needle!r} not found after position {position}"
        position = found + len(squash(needle))


def barcodes(data: bytes) -> list[list[str]]:
    document = pypdfium2.PdfDocument(data)
    try:
        return [[result.text for result in zxingcpp.read_barcodes(
            document[index].render(scale=200 / 72).to_pil())] for index in range(len(document))]
    finally:
        document.close()


def test_texts_and_options_in_order_with_numbers(survey, pdf):
    text = squash("".join(page_texts(pdf)))
    needles = [text_in(survey.title, "nl")]
    numbers = numbering(survey)
    for question in survey.questions:
        needles.append(f"{numbers[question.code]}.{question.text['nl']}")
        if question.type == "matrix":
            needles += [f"{numbers[question.item_variable(item)]}{item.text['nl']}"
                        for item in question.items]
        else:
            needles += [option.label["nl"] for option in question.options + question.missing]
    needles.append("Stuur deze vragenlijst terug in de bijgevoegde antwoordenvelop. "
                   "Een postzegel is niet nodig.")
    needles += ["Stad Zennegem", "Antwoordnummer 1234"]
    find_in_order(text, needles)


def test_matrix_scale_labels_head_the_grid(survey, pdf):
    words = set(" ".join(page_texts(pdf)).split())
    for option in survey.question("Q5").options + survey.question("Q5").missing:
        assert set(option.label["nl"].replace(",", "").split()) <= \
            {word.strip(",") for word in words}


def test_routing_and_instructions_are_printed(pdf):
    text = " ".join(" ".join(page.split()) for page in page_texts(pdf))
    assert ("Beantwoord deze vraag alleen als u bij vraag 3 'Soms', 'Vaak' of 'Altijd' "
            "antwoordde. Anders gaat u verder met vraag 5.") in text
    assert "Beantwoord deze vraag alleen als u bij vraag 6 'Ja' antwoordde." in text
    assert "(meerdere antwoorden mogelijk)" in text and "(maximaal 3 antwoorden)" in text
    assert "Zet een kruisje in het vakje van uw antwoord." in text
    assert "Vul een getal in van 1 tot en met 20." in text
    assert "dag" in text and "maand" in text and "jaar" in text


def test_pages_even_numbered_and_barcoded(pdf):
    texts = page_texts(pdf)
    assert len(texts) % 2 == 0
    for number, text in enumerate(texts, start=1):
        assert f"pagina {number} van {len(texts)}" in text
        assert f"Code: {CODE}" in text
    assert barcodes(pdf) == [[CODE]] * len(texts)


def test_odd_layout_gets_a_blank_last_page():
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    document["sections"] = document["sections"][:1]
    document["sections"][0]["questions"] = document["sections"][0]["questions"][:2]
    data = render_paper(load_definition(document), respondent_code="X1")
    texts = page_texts(data)
    assert len(texts) == 2
    assert "2. Ik voel me veilig in mijn buurt." in texts[0]
    assert "Deze pagina is bewust leeg gelaten." in texts[-1]
    assert "pagina 2 van 2" in texts[-1] and barcodes(data)[-1] == ["X1"]


def test_batch_keeps_each_questionnaire_on_its_own_sheets(survey):
    people = [("ZNG-000001", "nl"), ("ZNG-000002", "fr"), ("ZNG-000003", "nl")]
    data = render_paper_batch(survey, people)
    texts = page_texts(data)
    codes = barcodes(data)
    starts = [index for index, text in enumerate(texts) if re.search(r"(pagina|page) 1 (van|de) ",
                                                                     text)]
    assert len(starts) == 3
    for (code, language), start, end in zip(people, starts, [*starts[1:], len(texts)],
                                            strict=True):
        assert (end - start) % 2 == 0
        assert codes[start:end] == [[code]] * (end - start)
        title = "Vivre à Zennegem 2026" if language == "fr" else "Leven in Zennegem 2026"
        assert title in texts[start]
    assert "Êtes-vous satisfait(e) de votre quartier comme lieu de vie ?" in " ".join(
        " ".join(text.split()) for text in texts)


def test_batch_reuses_page_content(survey):
    one = render_paper_batch(survey, [("A-1", "nl")])
    many = render_paper_batch(survey, [(f"A-{index}", "nl") for index in range(40)])
    assert len(many) < len(one) + 40 * 8_000
    fonts = {str(font.get_object()["/BaseFont"]) for page in pypdf.PdfReader(io.BytesIO(many)).pages
             for font in page["/Resources"]["/Font"].values()}
    assert any("DejaVu" in name for name in fonts)


def test_metadata_title_and_language(pdf):
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == "Leven in Zennegem 2026"
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    french = pypdf.PdfReader(io.BytesIO(render_paper(load_definition(EXAMPLE.read_bytes()),
                                                      language="fr")))
    assert french.trailer["/Root"]["/Lang"] == "fr"


def test_large_print_sizes(survey):
    data = render_paper(survey, respondent_code=CODE, large_print=True)
    with pdfplumber.open(io.BytesIO(data)) as document:
        chars = [char for page in document.pages for char in page.chars]
        first_page = document.pages[0].extract_words(extra_attrs=["size"])
    assert min(round(char["size"], 6) for char in chars) >= 14
    question = [word for word in first_page if word["text"] == "Hoe"]
    assert question and question[0]["size"] >= 15


def test_normal_print_is_readable(pdf):
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        sizes = [char["size"] for page in document.pages for char in page.chars]
    assert min(sizes) >= 9


def test_user_text_prints_literally():
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    document["sections"][0]["questions"][0]["text"]["nl"] = "<b>hi</b> & <script> €"
    data = render_paper(load_definition(document))
    assert "1. <b>hi</b> & <script> €" in page_texts(data)[0]


def test_blank_copy_has_no_barcode(survey):
    data = render_paper(survey)
    assert barcodes(data)[0] == []
    assert "Code:" not in page_texts(data)[0]


@settings(max_examples=30, deadline=None)
@given(survey_definitions(max_questions=6))
def test_any_valid_definition_renders(document):
    definition = load_definition(document)
    language = definition.languages[-1]
    data = render_paper(definition, language=language, respondent_code="P-1",
                        large_print=len(definition.questions) % 2 == 0)
    assert len(page_texts(data)) % 2 == 0
    joined = squash(content_text(data))
    for question in definition.questions:
        assert squash(text_in(question.text, language)) in joined


def test_extreme_lengths_still_render():
    long_text = ("Dit is een heel lange zin over de buurt. " * 130)[:5000]
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    questions = document["sections"][0]["questions"]
    questions[0]["text"]["nl"] = long_text
    questions[0]["options"] = [{"value": str(value), "label": {"nl": f"Keuze {value} " * 20}}
                               for value in range(1, 101)]
    questions[0].pop("missing")
    matrix = document["sections"][1]["questions"][0]
    matrix["items"][0]["text"]["nl"] = long_text
    for large in (False, True):
        data = render_paper(load_definition(document), respondent_code="LANG-1",
                            large_print=large)
        joined = squash(content_text(data))
        assert squash(long_text) in joined and squash("Keuze 100 " * 20) in joined
        assert len(page_texts(data)) % 2 == 0
