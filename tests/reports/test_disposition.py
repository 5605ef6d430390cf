"""AAPOR response rates, checked against hand-computed cases."""

import pytest

from reports.disposition import Dispositions, response_rates


def test_rates_of_a_hand_computed_sample():
    # 500 assigned: 180 complete, 20 partial, 25 undeliverable, 275 no answer.
    rates = response_rates(Dispositions(complete=180, partial=20, non_contact=25, other=275))
    assert rates["rr1"] == pytest.approx(180 / 500) == pytest.approx(0.36)
    assert rates["rr2"] == pytest.approx(200 / 500)
    assert rates["contact"] == pytest.approx(475 / 500)


def test_everyone_answered_and_nobody_assigned():
    assert response_rates(Dispositions(10, 0, 0, 0)) == {"rr1": 1.0, "rr2": 1.0, "contact": 1.0}
    assert response_rates(Dispositions(0, 0, 0, 0)) == {"rr1": None, "rr2": None,
                                                        "contact": None}


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="negatief"):
        response_rates(Dispositions(1, -1, 0, 0))
