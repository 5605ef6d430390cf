"""SPSS .sav read back with pyreadstat: labels, value labels, user-missing values, weights."""

import numpy as np
import pyreadstat
import pytest

from reports.content.data import QuestionInfo, build_report_data
from reports.errors import ReportsError
from reports.render.spss import LABEL_LENGTH, render_sav, shorten, spss_name
from tests.reports.synthetic import LIKERT, cached_report, small_group_input


def _read(tmp_path, data, **options):
    path = tmp_path / "data.sav"
    path.write_bytes(render_sav(data))
    return pyreadstat.read_sav(str(path), **options)


def test_labels_missing_values_and_weights(tmp_path):
    report_input, data = cached_report()
    frame, meta = _read(tmp_path, data, user_missing=True)
    assert meta.column_names_to_labels["v2"] == "2. " + report_input.questions[1].text
    assert meta.column_names_to_labels["v3_b"].endswith("— Verlichting")
    assert meta.variable_value_labels["v2"] == {float(v): label for v, label in
                                                LIKERT + [(9, "Weet niet")]}
    assert meta.variable_value_labels["v5_1"] == {0.0: "niet gekozen", 1.0: "gekozen"}
    assert meta.missing_ranges["v2"] == [{"lo": 9.0, "hi": 9.0}]
    np.testing.assert_allclose(frame["weight"], report_input.weights)
    assert frame["respondent_id"].tolist() == report_input.responses["respondent_id"].tolist()
    assert (frame["v2"] == 9).sum() == (report_input.responses["v2"] == 9).sum()


def test_user_missing_codes_read_as_missing(tmp_path):
    report_input, data = cached_report()
    frame, _ = _read(tmp_path, data)
    assert frame["v2"].isna().sum() == (report_input.responses["v2"] == 9).sum()
    assert not (frame["v2"] == 9).any()


def test_open_answers_are_masked(tmp_path):
    _, data = cached_report()
    frame, _ = _read(tmp_path, data)
    assert "[telefoon]" in frame["v12"].iloc[0] and "0470" not in frame["v12"].iloc[0]


def test_more_than_three_missing_codes_become_a_range_or_fail(tmp_path):
    report_input = small_group_input()
    many = [(96, "a"), (97, "b"), (98, "c"), (99, "d")]
    question = report_input.questions[1]
    report_input.questions[1] = QuestionInfo(question.code, "2", "Vraag", "likert", LIKERT, many)
    answers = report_input.responses["v2"].replace(9, 99)
    report_input.responses = report_input.responses.assign(v2=answers)
    _, meta = _read(tmp_path, build_report_data(report_input), user_missing=True)
    assert meta.missing_ranges["v2"] == [{"lo": 96.0, "hi": 99.0}]
    report_input.questions[1] = QuestionInfo(question.code, "2", "Vraag", "likert",
                                             LIKERT + [(97, "x")], many)
    with pytest.raises(ReportsError, match="drie"):
        render_sav(build_report_data(report_input))


def test_names_and_long_labels():
    assert spss_name("1 vraag-a") == "v1_vraag_a"
    label = shorten("woord " * 100)
    assert len(label) <= LABEL_LENGTH and label.endswith("woord…")
