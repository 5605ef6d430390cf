"""Blank, unreadable and several-ticked paper answers are counted per question for researchers."""

from app.results.paper_codes import item_codes
from tests.web.entry_helpers import TYPED, key_form, make_paper_survey, quick_user


def test_codes_of_final_forms_are_counted_per_question_and_routing_blanks_are_not(app):
    survey, [(_, first), (_, second)] = make_paper_survey()
    typed = {**TYPED, "Q8": "?", "Q6": "*"}
    for code, values in ((first, typed), (second, TYPED)):
        for _ in range(2):  # two agreeing passes make the form final
            response = key_form(app.test_client(), quick_user("data_entry"), survey.id, code,
                                values)
            assert response.status_code == 302, response.get_data(as_text=True)[:500]
    table = item_codes(survey).set_index("variable")
    assert list(table.columns) == ["question", "leeg", "onleesbaar", "meerdere aangekruist"]
    assert table.loc["Q5_d", ["leeg", "onleesbaar", "meerdere aangekruist"]].tolist() == [2, 0, 0]
    assert table.loc["Q8", ["leeg", "onleesbaar", "meerdere aangekruist"]].tolist() == [0, 1, 0]
    assert table.loc["Q6", ["leeg", "onleesbaar", "meerdere aangekruist"]].tolist() == [0, 0, 1]
    assert "Q4" not in table.index  # hidden by routing: its blank is not non-response
    assert table.loc["Q5_d", "question"] != ""


def test_a_survey_without_paper_forms_has_an_empty_table(app):
    survey, _ = make_paper_survey(1)
    assert item_codes(survey).empty


def test_the_researcher_workbook_carries_the_counts(app):
    from app.results import reporting

    survey, [(_, code)] = make_paper_survey(1)
    for _ in range(2):
        key_form(app.test_client(), quick_user("data_entry"), survey.id, code,
                 {**TYPED, "Q8": "?"})
    data = reporting.report_input(survey, None, min_cell=1)
    assert data.item_codes.set_index("variable").loc["Q8", "onleesbaar"] == 1
