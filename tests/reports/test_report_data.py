"""ReportData: tables equal reports.estimates, differences, suppression, privacy guard."""

import numpy as np
import pandas as pd
import pytest

from reports.content.data import build_report_data
from reports.content.tables import rest_estimates
from reports.content.text import format_interval, format_number, format_percent
from reports.errors import ReportsError
from reports.estimates import difference_test, weighted_means, weighted_proportions
from tests.reports.synthetic import cached_report, small_group_input


def _blank_missing(report_input, column):
    values = report_input.responses[column]
    return report_input.responses.assign(**{column: values.where(values != 9)})


def test_overall_shares_equal_weighted_proportions_without_missing_codes():
    report_input, data = cached_report()
    frame = _blank_missing(report_input, "v2")
    expected = weighted_proportions(frame, "v2", report_input.weights,
                                    design=report_input.design)
    table = data.questions[1].table
    np.testing.assert_allclose(table["estimate"], expected["proportion"], rtol=1e-12)
    np.testing.assert_allclose(table["ci_low"], expected["ci_low"], rtol=1e-12)
    assert (table["n"] == (report_input.responses["v2"] != 9).sum()).all()


def test_multiple_choice_share_is_the_weighted_mean_of_the_indicator():
    report_input, data = cached_report()
    weights, chosen = report_input.weights, report_input.responses["v5_2"]
    table = data.questions[4].table
    assert table["label"].tolist() == ["Te voet", "Fiets", "Bus of tram", "Auto"]
    assert table.loc[1, "estimate"] == pytest.approx((weights * chosen).sum() / weights.sum())


def test_mean_per_district_equals_weighted_means():
    report_input, data = cached_report()
    expected = weighted_means(report_input.responses, "v4", report_input.weights,
                              by="district", design=report_input.design)
    table = data.questions[3].breakdowns["district"]
    np.testing.assert_allclose(table["estimate"], expected["mean"], rtol=1e-12)
    assert table["group"].tolist() == [str(group) for group in expected["group"]]


def test_rest_estimates_equal_the_other_domain_of_weighted_proportions():
    report_input, _ = cached_report()
    frame = _blank_missing(report_input, "v2")
    answers = frame["v2"].to_numpy()
    values = np.stack([(answers == value).astype(float) for value in range(1, 6)])
    estimate, se, n_rest = rest_estimates(values, frame["v2"].notna().to_numpy(),
                                          report_input.weights, report_input.design,
                                          frame["district"], ["Haven"])
    rest = weighted_proportions(frame.assign(haven=frame["district"] == "Haven"), "v2",
                                report_input.weights, by="haven", design=report_input.design)
    rest = rest[rest["group"] == False]  # noqa: E712
    np.testing.assert_allclose(estimate[:, 0], rest["proportion"], rtol=1e-10)
    np.testing.assert_allclose(se[:, 0], rest["se"], rtol=1e-10)
    assert n_rest[0] == rest["n_answered"].iloc[0]


def test_marks_follow_difference_test_at_five_percent():
    report_input, data = cached_report()
    table = data.questions[1].breakdowns["district"]
    row = table[table["mark"] != 0].iloc[0]
    frame = _blank_missing(report_input, "v2")
    indicator = frame.assign(inside=frame["district"] == row["group"])
    both = weighted_proportions(indicator, "v2", report_input.weights, by="inside",
                                design=report_input.design)
    both = both[both["category"] == row["value"]].set_index("group")
    _, p = difference_test(both.loc[True, "proportion"], both.loc[True, "se"],
                           both.loc[False, "proportion"], both.loc[False, "se"])
    assert p < 0.05
    assert row["p_value"] == pytest.approx(p)
    assert row["mark"] == np.sign(both.loc[True, "proportion"] - both.loc[False, "proportion"])
    assert (table.loc[table["p_value"] >= 0.05, "mark"] == 0).all()


def test_small_group_is_suppressed_and_never_marked():
    data = build_report_data(small_group_input(4))
    for result in data.questions:
        for table in result.breakdowns.values():
            small = table[table["group"] == "18-24"]
            if small.empty:
                continue
            assert small["suppressed"].all()
            assert small[["estimate", "ci_low", "ci_high"]].isna().all().all()
            assert (small["mark"] == 0).all()


def test_unweighted_shares_are_plain_proportions():
    report_input = small_group_input()
    data = build_report_data(report_input)
    answers = report_input.responses["v1"]
    expected = answers.value_counts(normalize=True).sort_index()
    np.testing.assert_allclose(data.questions[0].table["estimate"], expected.to_numpy())
    assert data.weighting.design_effect == pytest.approx(1.0)


@pytest.mark.parametrize("column", ["email", "first_name", "Straat", "person_key", "adres_1"])
def test_personal_columns_are_refused(column):
    report_input = small_group_input()
    report_input.responses = report_input.responses.assign(**{column: "x"})
    with pytest.raises(ReportsError, match=column):
        build_report_data(report_input)


def test_microdata_keep_missing_codes_and_mask_open_answers():
    report_input, data = cached_report()
    assert (data.microdata["v2"] == 9).sum() == (report_input.responses["v2"] == 9).sum()
    np.testing.assert_allclose(data.microdata["weight"], report_input.weights)
    first = data.microdata["v12"].iloc[0]
    assert "0470" not in first and "Peeters" not in first and "[telefoon]" in first


def test_key_findings_are_generated_from_the_tables():
    _, data = cached_report()
    first = data.questions[0]
    largest = first.table.loc[first.table["estimate"].idxmax()]
    assert data.key_findings[0] == (
        f"Vraag 1. {format_percent(largest['estimate'])} antwoordt ‘{largest['label']}’.")
    assert any("ligt lager" in finding or "ligt hoger" in finding
               for finding in data.key_findings)


@pytest.mark.parametrize(("value", "expected"), [(0.4321, "43,2 %"), (0.0, "0,0 %"),
                                                 (float("nan"), "–"), (1.0, "100,0 %")])
def test_percent_format(value, expected):
    assert format_percent(value) == expected


def test_number_and_interval_formats():
    assert format_number(1234.56) == "1.234,6"
    assert format_interval(0.401, 0.4634) == "40,1–46,3 %"
    assert format_interval(6.14, 7.0, percent=False) == "6,1–7,0"
    assert format_interval(float("nan"), 0.5) == "–"


def test_unknown_answer_codes_are_refused():
    report_input = small_group_input()
    answers = report_input.responses["v1"].copy()
    answers.iloc[3] = 7
    report_input.responses = report_input.responses.assign(v1=answers)
    with pytest.raises(ReportsError, match="v1"):
        build_report_data(report_input)


def test_date_questions_have_no_table():
    report_input = small_group_input()
    from reports.content.data import QuestionInfo

    report_input.questions.append(QuestionInfo("d1", "7", "Wanneer verhuisde u?", "date"))
    report_input.responses = report_input.responses.assign(d1=pd.Timestamp("2020-01-01"))
    data = build_report_data(report_input)
    assert data.questions[-1].kind == "none" and data.questions[-1].table.empty
