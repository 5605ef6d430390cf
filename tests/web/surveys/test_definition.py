"""Survey definition format: round trips, validation messages, conditions, answers, variables."""

import copy
import json
from pathlib import Path

import pytest
from hypothesis import given, settings

from app.surveys.definition import (
    Condition,
    ConditionGroup,
    DefinitionError,
    default_likert_options,
    dump_definition,
    evaluate_condition,
    load_definition,
    numbering,
    text_in,
    to_json,
    untranslated,
    validate_answer,
    variables,
    visible_questions,
    visible_sections,
)
from tests.web.strategies import survey_definitions

SURVEYS = Path(__file__).parents[2] / "data" / "surveys"
EXAMPLE_FILES = sorted(SURVEYS.glob("*.json"))


def example() -> dict:
    return json.loads((SURVEYS / "leven_in_zennegem.json").read_text(encoding="utf-8"))


def base() -> dict:
    """Two sections (4 + 3 questions); Q7 is the first question of section 2."""
    def option(value, label):
        return {"value": value, "label": {"nl": label}}

    return {
        "format": "stadspanel-survey", "version": 1, "languages": ["nl", "fr"],
        "title": {"nl": "Proef"},
        "sections": [
            {"code": "S1", "title": {"nl": "Een"}, "questions": [
                {"code": "Q1", "type": "single", "text": {"nl": "Woont u graag hier?"},
                 "options": [option("1", "Ja"), option("2", "Nee")],
                 "missing": [option("98", "Weet niet")]},
                {"code": "Q2", "type": "likert", "text": {"nl": "Ik voel me veilig."},
                 "settings": {"points": 5}},
                {"code": "Q3", "type": "number", "text": {"nl": "Hoeveel kinderen?"},
                 "settings": {"min": 0, "max": 15}},
                {"code": "Q4", "type": "multiple", "text": {"nl": "Hoe verplaatst u zich?"},
                 "options": [option("1", "Te voet"), option("2", "Fiets"), option("3", "Bus")],
                 "settings": {"max_choices": 2}},
            ]},
            {"code": "S2", "title": {"nl": "Twee"}, "questions": [
                {"code": "Q7", "type": "text", "text": {"nl": "Wat wilt u nog kwijt?"}},
                {"code": "Q5", "type": "matrix", "text": {"nl": "Hoe tevreden bent u?"},
                 "settings": {"points": 5},
                 "items": [{"code": "a", "text": {"nl": "Parken"}},
                           {"code": "b", "text": {"nl": "Straten"}}]},
                {"code": "Q8", "type": "date", "text": {"nl": "Sinds wanneer?"},
                 "settings": {"min": "1950-01-01", "max": "2026-12-31"}},
            ]},
        ]}


def messages(document) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        load_definition(document)
    return caught.value.messages


# ---------------------------------------------------------------- round trips

@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: path.name)
def test_example_files_round_trip(path):
    definition = load_definition(path.read_bytes())
    assert load_definition(dump_definition(definition)) == definition
    assert load_definition(to_json(definition)) == definition
    assert dump_definition(load_definition(dump_definition(definition))) == \
        dump_definition(definition)


@settings(max_examples=80, deadline=None)
@given(survey_definitions())
def test_generated_definitions_round_trip(document):
    definition = load_definition(document)
    again = load_definition(json.loads(to_json(definition)))
    assert again == definition
    assert len(definition.questions) == sum(len(section["questions"])
                                            for section in document["sections"])


def test_to_json_sorts_keys_and_keeps_accents():
    text = to_json(load_definition(example()))
    assert "Vivre à Zennegem" in text
    top_keys = [line.split('"')[1] for line in text.splitlines() if line.startswith('  "')]
    assert top_keys == sorted(top_keys)


def test_bytes_with_byte_order_mark_are_accepted():
    raw = b"\xef\xbb\xbf" + json.dumps(base()).encode("utf-8")
    assert load_definition(raw).question("Q1").text["nl"] == "Woont u graag hier?"


def test_likert_options_default_to_standard_labels_in_every_language():
    question = load_definition(base()).question("Q2")
    assert [option.value for option in question.options] == ["1", "2", "3", "4", "5"]
    assert question.options[0].label == {"nl": "Helemaal oneens",
                                         "fr": "Pas du tout d'accord"}
    assert question.options[-1].label["nl"] == "Helemaal eens"
    seven = default_likert_options(7, "en")
    assert len(seven) == 7 and seven[3].label["en"] == "Neither agree nor disagree"


def test_defaults_are_filled_in_settings():
    definition = load_definition(base())
    assert definition.question("Q7").settings["max_length"] == 2000
    assert definition.question("Q3").settings["decimals"] == 0


# ---------------------------------------------------------------- validation

def mutate(change):
    document = base()
    change(document)
    return document


def q(document, section, index):
    return document["sections"][section]["questions"][index]


CASES = {
    "unknown type": (lambda d: q(d, 1, 0).update(type="slider"),
                     "Sectie 2, vraag Q7: onbekend type 'slider'"),
    "condition forward": (lambda d: q(d, 0, 2).update(
        condition={"question": "Q7", "operator": "answered"}),
        "Sectie 1, vraag Q3: voorwaarde verwijst naar Q7, die later komt"),
    "condition on itself": (lambda d: q(d, 0, 2).update(
        condition={"question": "Q3", "operator": "answered"}),
        "Q3: voorwaarde verwijst naar Q3, die later komt"),
    "condition unknown": (lambda d: q(d, 0, 2).update(
        condition={"question": "Q99", "operator": "answered"}),
        "Q3: voorwaarde verwijst naar onbekende vraag Q99"),
    "section condition forward": (lambda d: d["sections"][1].update(
        condition={"question": "Q8", "operator": "answered"}),
        "Sectie 2: voorwaarde verwijst naar Q8, die later komt"),
    "duplicate code": (lambda d: q(d, 0, 2).update(code="Q2"), "dubbele vraagcode Q2"),
    "missing Dutch": (lambda d: q(d, 0, 0).update(text={"fr": "Habitez-vous ici ?"}),
                      "Sectie 1, vraag Q1: ontbrekende Nederlandse tekst"),
    "blank Dutch": (lambda d: q(d, 0, 0).update(text={"nl": "   "}),
                    "Q1: ontbrekende Nederlandse tekst"),
    "no nl language": (lambda d: d.update(languages=["fr"]), "moeten 'nl' bevatten"),
    "unknown language": (lambda d: d.update(languages=["nl", "de"]), "onbekende taal 'de'"),
    "undeclared language": (lambda d: q(d, 0, 0)["text"].update(en="Do you?"),
                            "Q1: tekst in een taal die niet bij 'languages' staat: 'en'"),
    "bad code": (lambda d: q(d, 0, 0).update(code="1abc"), "ongeldige code '1abc'"),
    "long code": (lambda d: q(d, 0, 0).update(code="Q" * 41), "ongeldige code"),
    "duplicate option": (lambda d: q(d, 0, 0)["options"].append(
        {"value": "1", "label": {"nl": "Ja weer"}}),
        "Sectie 1, vraag Q1: waarde '1' komt twee keer voor"),
    "missing collides": (lambda d: q(d, 0, 0)["missing"].append(
        {"value": "2", "label": {"nl": "Geen idee"}}), "waarde '2' komt twee keer voor"),
    "empty value": (lambda d: q(d, 0, 0)["options"].append({"value": "", "label": {"nl": "x"}}),
                    "Sectie 1, vraag Q1, antwoord 3: waarde '' moet niet-lege tekst zijn"),
    "numeric value": (lambda d: q(d, 0, 0)["options"].append({"value": 3, "label": {"nl": "x"}}),
                      "antwoord 3: waarde 3 moet niet-lege tekst zijn"),
    "points": (lambda d: q(d, 0, 1).update(settings={"points": 6}),
               "Sectie 1, vraag Q2: points moet 5 of 7 zijn, niet 6"),
    "likert count": (lambda d: q(d, 0, 1).update(options=[
        {"value": str(i), "label": {"nl": f"punt {i}"}} for i in range(1, 5)]),
        "Q2: een 5-puntenschaal heeft 5 antwoorden nodig, niet 4"),
    "min above max": (lambda d: q(d, 0, 2).update(settings={"min": 10, "max": 1}),
                      "Sectie 1, vraag Q3: min (10) is groter dan max (1)"),
    "too long text": (lambda d: q(d, 0, 0).update(text={"nl": "a" * 5001}),
                      "Q1: tekst (nl) is te lang (5001 tekens; maximaal 5000)"),
    "unknown key": (lambda d: q(d, 0, 0).update(requird=True),
                    "Sectie 1, vraag Q1: onbekend veld 'requird'"),
    "unknown top key": (lambda d: d.update(titel={"nl": "x"}), "onbekend veld 'titel'"),
    "unknown setting": (lambda d: q(d, 1, 0).update(settings={"maxlength": 5}),
                        "Q7: onbekende instelling 'maxlength' voor type 'text'"),
    "required not bool": (lambda d: q(d, 0, 0).update(required="ja"),
                          "Q1: 'required' moet true of false zijn"),
    "max choices": (lambda d: q(d, 0, 3).update(settings={"max_choices": 4}),
                    "Q4: max_choices moet een geheel getal van 1 tot 3 zijn"),
    "matrix without item": (lambda d: q(d, 1, 2).update(
        condition={"question": "Q5", "operator": "answered"}),
        "Q8: voorwaarde moet naar één item van matrix Q5 verwijzen, bv. Q5_a"),
    "unknown condition value": (lambda d: q(d, 0, 1).update(
        condition={"question": "Q1", "operator": "in", "values": ["7"]}),
        "Q2: voorwaarde op Q1: waarde '7' bestaat niet bij Q1"),
    "gt on text": (lambda d: q(d, 1, 1).update(
        condition={"question": "Q7", "operator": "gt", "values": ["3"]}),
        "Q5: voorwaarde op Q7: 'gt' kan niet bij een vraag van type 'text'"),
    "gt not a number": (lambda d: q(d, 0, 3).update(
        condition={"question": "Q3", "operator": "gt", "values": ["veel"]}),
        "Q4: voorwaarde op Q3: 'veel' is geen getal"),
    "unknown operator": (lambda d: q(d, 0, 3).update(
        condition={"question": "Q3", "operator": "=="}), "onbekende operator '=='"),
    "duplicate item": (lambda d: q(d, 1, 1)["items"].append(
        {"code": "a", "text": {"nl": "Nog eens"}}), "Q5: dubbele itemcode a"),
    "items on single": (lambda d: q(d, 0, 0).update(items=[{"code": "a", "text": {"nl": "x"}}]),
                        "Q1: 'items' horen alleen bij type 'matrix'"),
    "options on number": (lambda d: q(d, 0, 2).update(
        options=[{"value": "1", "label": {"nl": "x"}}]), "Q3: antwoordopties horen niet bij"),
    "variable collision": (lambda d: q(d, 1, 0).update(code="Q4_1"),
                           "variabele Q4_1 komt twee keer voor (bij Q4 en Q4_1)"),
    "bad date": (lambda d: q(d, 1, 2).update(settings={"min": "01/01/1950"}),
                 "Q8: min moet een datum JJJJ-MM-DD zijn"),
    "format": (lambda d: d.update(format="limesurvey"), "'format' moet 'stadspanel-survey'"),
    "version": (lambda d: d.update(version=2), "versie 2 wordt niet ondersteund"),
    "empty section": (lambda d: d["sections"][1].update(questions=[]),
                      "Sectie 2: 'questions' moet een niet-lege lijst"),
    "one option": (lambda d: q(d, 0, 0).update(options=[{"value": "1", "label": {"nl": "Ja"}}]),
                   "Q1: minstens 2 antwoordopties nodig"),
    "control character": (lambda d: q(d, 0, 0).update(text={"nl": "Ja\x00"}),
                          "onzichtbaar stuurteken"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_rule_names_the_problem_and_its_place(name):
    change, expected = CASES[name]
    found = messages(mutate(change))
    assert any(expected in message for message in found), found


def test_all_problems_are_reported_at_once():
    def change(document):
        q(document, 0, 0).update(type="slider")
        q(document, 1, 0).update(requird=True)

    found = messages(mutate(change))
    assert len(found) == 2
    assert found[0].startswith("Sectie 1, vraag Q1") and found[1].startswith("Sectie 2, vraag Q7")


def test_too_many_questions():
    document = base()
    document["sections"][0]["questions"] = [
        {"code": f"V{index}", "type": "text", "text": {"nl": "Vraag"}} for index in range(498)]
    assert messages(document) == ["Vragenlijst: te veel vragen (501); maximaal 500"]


@pytest.mark.parametrize("raw", ['{"format": ', b"\xff\xfe", '{"version": NaN}', "[1, 2]"])
def test_broken_documents(raw):
    assert messages(raw)


def test_messages_are_dutch_value_errors():
    with pytest.raises(ValueError, match="onbekend type 'slider'"):
        load_definition(mutate(lambda d: q(d, 1, 0).update(type="slider")))


# ---------------------------------------------------------------- conditions

@pytest.mark.parametrize(("condition", "answers", "expected"), [
    (Condition("Q1", "in", ("1",)), {"Q1": "1"}, True),
    (Condition("Q1", "in", ("1",)), {"Q1": "2"}, False),
    (Condition("Q1", "in", ("1",)), {"Q1": 1}, True),
    (Condition("Q1", "in", ("1",)), {}, False),
    (Condition("Q1", "not_in", ("1",)), {"Q1": "2"}, True),
    (Condition("Q1", "not_in", ("1",)), {"Q1": "1"}, False),
    (Condition("Q1", "not_in", ("1",)), {}, True),
    (Condition("Q1", "answered"), {"Q1": "98"}, True),
    (Condition("Q1", "answered"), {"Q1": "  "}, False),
    (Condition("Q1", "answered"), {"Q1": []}, False),
    (Condition("Q4", "in", ("2",)), {"Q4": ["1", "2"]}, True),
    (Condition("Q4", "in", ("3",)), {"Q4": ["1", "2"]}, False),
    (Condition("Q4", "not_in", ("3",)), {"Q4": ["1", "2"]}, True),
    (Condition("Q3", "gt", ("2",)), {"Q3": 3}, True),
    (Condition("Q3", "gt", ("2",)), {"Q3": 2}, False),
    (Condition("Q3", "lt", ("2",)), {"Q3": "1,5"}, True),
    (Condition("Q3", "gt", ("2",)), {"Q3": "98x"}, False),
    (Condition("Q3", "gt", ("2",)), {}, False),
    (Condition("Q8", "gt", ("2000-01-01",)), {"Q8": "2010-05-01"}, True),
    (Condition("Q8", "lt", ("2000-01-01",)), {"Q8": "2010-05-01"}, False),
    (Condition("Q5_a", "in", ("4", "5")), {"Q5": {"a": "5", "b": "1"}}, True),
    (Condition("Q5_b", "in", ("4", "5")), {"Q5": {"a": "5", "b": "1"}}, False),
    (Condition("Q5_a", "in", ("4",)), {"Q5_a": "4"}, True),
    (ConditionGroup("all", (Condition("Q1", "in", ("1",)), Condition("Q3", "gt", ("0",)))),
     {"Q1": "1", "Q3": 0}, False),
    (ConditionGroup("any", (Condition("Q1", "in", ("1",)), Condition("Q3", "gt", ("0",)))),
     {"Q1": "1", "Q3": 0}, True),
    (None, {}, True),
])
def test_evaluate_condition(condition, answers, expected):
    assert evaluate_condition(condition, answers) is expected


def test_visible_questions_follow_routing_in_the_example():
    definition = load_definition(example())
    shown = [question.code for question in visible_questions(definition, {"Q3": "1", "Q6": "2"})]
    assert "Q4" not in shown and "Q7" not in shown and len(shown) == 10
    shown = [question.code for question in visible_questions(definition, {"Q3": "3", "Q6": "1"})]
    assert len(shown) == 12


def test_answers_to_hidden_questions_do_not_count():
    def change(document):
        q(document, 0, 1)["condition"] = {"question": "Q1", "operator": "in", "values": ["1"]}
        q(document, 0, 2)["condition"] = {"question": "Q2", "operator": "answered"}
        document["sections"][1]["condition"] = {"question": "Q3", "operator": "gt",
                                                "values": ["1"]}

    definition = load_definition(mutate(change))
    answers = {"Q1": "2", "Q2": "4", "Q3": 3}
    assert [q.code for q in visible_questions(definition, answers)] == ["Q1", "Q4"]
    assert [section.code for section in visible_sections(definition, answers)] == ["S1"]
    answers["Q1"] = "1"
    assert [section.code for section in visible_sections(definition, answers)] == ["S1", "S2"]


# ---------------------------------------------------------------- answers

@pytest.fixture(scope="module")
def survey():
    return load_definition(base())


@pytest.mark.parametrize(("code", "value", "expected", "error"), [
    ("Q1", "1", "1", None),
    ("Q1", 2, "2", None),
    ("Q1", "98", "98", None),
    ("Q1", "3", None, "Kies een van de antwoorden."),
    ("Q1", None, None, None),
    ("Q1", "", None, None),
    ("Q4", ["2", "1"], ["1", "2"], None),
    ("Q4", "3", ["3"], None),
    ("Q4", ["1", "2", "3"], None, "Kruis maximaal 2 antwoorden aan."),
    ("Q4", ["1", "1"], None, "Elk antwoord mag maar één keer aangekruist zijn."),
    ("Q4", ["9"], None, "Kies alleen antwoorden uit de lijst."),
    ("Q3", "3", 3, None),
    ("Q3", " 12 ", 12, None),
    ("Q3", 16, None, "Vul een getal van 0 tot en met 15 in."),
    ("Q3", "-1", None, "Vul een getal van 0 tot en met 15 in."),
    ("Q3", "3,5", None, "Vul een geheel getal in."),
    ("Q3", "drie", None, "Vul een getal in."),
    ("Q3", True, None, "Vul een getal in."),
    ("Q3", "NaN", None, "Vul een getal in."),
    ("Q7", "  Meer bankjes\u0301 ", "Meer bankjes\u0301".replace("s\u0301", "ś"), None),
    ("Q7", "a" * 2001, None, "Uw antwoord is te lang (2001 tekens; maximaal 2000)."),
    ("Q8", "05/03/1999", "1999-03-05", None),
    ("Q8", "1999-03-05", "1999-03-05", None),
    ("Q8", "31/02/1999", None, "Vul een geldige datum in als dd/mm/jjjj."),
    ("Q8", "01/01/1949", None, "Vul een datum van 01/01/1950 tot en met 31/12/2026 in."),
    ("Q5", {"a": "5", "b": "1"}, {"a": "5", "b": "1"}, None),
    ("Q5", {"b": 1, "a": ""}, {"b": "1"}, None),
    ("Q5", {"a": "6"}, None, "Kies per rij een van de antwoorden."),
    ("Q5", {"z": "1"}, None, "Onbekende rij in het antwoord."),
    ("Q5", {"a": None}, None, None),
])
def test_validate_answer(survey, code, value, expected, error):
    assert validate_answer(survey.question(code), value) == (expected, error)


def test_required_and_decimal_comma():
    def change(document):
        q(document, 0, 0)["required"] = True
        q(document, 0, 2)["settings"] = {"min": 0, "max": 10, "decimals": 1}
        q(document, 0, 3)["missing"] = [{"value": "99", "label": {"nl": "Geen antwoord"}}]
        q(document, 1, 1)["required"] = True

    definition = load_definition(mutate(change))
    assert validate_answer(definition.question("Q1"), " ") == (None, "Deze vraag is verplicht.")
    assert validate_answer(definition.question("Q3"), "3,5") == (3.5, None)
    assert validate_answer(definition.question("Q3"), "3,25")[1] == \
        "Gebruik maximaal 1 cijfers na de komma."
    assert validate_answer(definition.question("Q4"), ["1", "99"])[1] == \
        "Een antwoord als 'weet niet' kan niet samen met andere antwoorden."
    assert validate_answer(definition.question("Q4"), ["99"]) == (["99"], None)
    assert validate_answer(definition.question("Q5"), {"a": "2"})[1] == \
        "Geef een antwoord op elke rij."


def test_thousands_separator_with_whole_numbers():
    definition = load_definition(mutate(lambda d: q(d, 0, 2).update(
        settings={"min": 0, "max": 100000})))
    assert validate_answer(definition.question("Q3"), "1.250") == (1250, None)
    assert validate_answer(definition.question("Q3"), "1 250") == (1250, None)


# ---------------------------------------------------------------- variables, numbering, texts

def test_variables_of_multiple_choice_and_matrix(survey):
    found = {variable.code: variable for variable in variables(survey)}
    assert list(found) == ["Q1", "Q2", "Q3", "Q4_1", "Q4_2", "Q4_3", "Q7", "Q5_a", "Q5_b", "Q8"]
    assert found["Q4_2"].type == "binary" and found["Q4_2"].option == "2"
    assert found["Q4_2"].label == "Hoe verplaatst u zich? – Fiets"
    assert dict(found["Q4_2"].value_labels) == {"0": "niet aangekruist", "1": "aangekruist"}
    assert found["Q5_b"].label == "Hoe tevreden bent u? – Straten"
    assert found["Q5_b"].item == "b" and found["Q5_b"].measure == "ordinal"
    assert found["Q5_b"].value_labels["5"] == "Helemaal eens"
    assert found["Q1"].missing == ("98",) and found["Q1"].value_labels["98"] == "Weet niet"
    assert found["Q3"].type == "numeric" and found["Q8"].type == "date"


def test_numbering_runs_across_sections(survey):
    assert numbering(survey) == {"Q1": "1", "Q2": "2", "Q3": "3", "Q4": "4", "Q7": "5",
                                 "Q5": "6", "Q5_a": "6a", "Q5_b": "6b", "Q8": "7"}


def test_untranslated_lists_missing_translations():
    document = example()
    del document["sections"][1]["questions"][0]["items"][2]["text"]["fr"]
    del document["outro"]["fr"]
    result = untranslated(load_definition(document))
    assert result == {"nl": [], "fr": ["Slottekst", "Sectie 2, vraag Q5, item 3 (c)"]}


def test_text_in_falls_back_to_dutch():
    assert text_in({"nl": "Ja", "fr": "Oui"}, "fr") == "Oui"
    assert text_in({"nl": "Ja", "fr": ""}, "fr") == "Ja"
    assert text_in({"nl": "Ja"}, "en") == "Ja"


def test_loading_does_not_change_the_input():
    document = base()
    before = copy.deepcopy(document)
    load_definition(document)
    assert document == before


def test_schema_document_example_is_valid():
    text = (Path(__file__).parents[3] / "docs" / "survey-schema.md").read_text(encoding="utf-8")
    block = text.split("## Example", 1)[1].split("```json", 1)[1].split("```", 1)[0]
    definition = load_definition(block)
    assert [question.code for question in definition.questions] == ["Q1", "Q2", "Q3", "Q4"]
    assert definition.question("Q3").options[4].label["fr"] == "Tout à fait d'accord"


def test_definition_and_paper_packages_are_pure():
    import ast

    folder = Path(__file__).parents[3] / "app" / "surveys"
    modules = sorted([*(folder / "definition").glob("*.py"), *(folder / "paper").glob("*.py")])
    assert len(modules) >= 10
    for module in modules:
        tree = ast.parse(module.read_text(encoding="utf-8"))
        names = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names]
        names += [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        for name in names:
            root = name.split(".")[0]
            assert root not in {"flask", "sqlalchemy", "flask_sqlalchemy"}, (module.name, name)
            if root == "app":
                package = ".".join(name.split(".")[:3])
                assert package in {"app.surveys.definition", "app.surveys.paper"}, name
