"""Replacement runs: fixed members leave the pool and take their seats off every quota."""

import pandas as pd
import pytest

from sampling.errors import InfeasibleQuota, SamplingError
from sampling.sortition import leximin_distribution
from sampling.sortition.replacement import replacement_problem

POOL = pd.DataFrame(
    {"sex": ["F", "F", "F", "M", "M", "M", "F", "M"],
     "age": ["jong", "oud", "oud", "jong", "oud", "jong", "jong", "oud"]},
    index=pd.Index([f"p{i}" for i in range(1, 9)], name="id"))
QUOTAS = pd.DataFrame([("sex", "F", 2, 2), ("sex", "M", 2, 2), ("age", "jong", 1, 3),
                       ("age", "oud", 1, 3)], columns=["feature", "value", "min", "max"])


def test_fixed_seats_come_off_size_and_quotas():
    problem = replacement_problem(POOL, QUOTAS, 4, fixed=["p1", "p4", "p5"], excluded=["p2"])
    assert problem.seats == 1
    assert sorted(problem.pool.index) == ["p3", "p6", "p7", "p8"]
    bounds = {(row.feature, row.value): (row.min, row.max) for row in problem.quotas.itertuples()}
    assert bounds == {("sex", "F"): (1, 1), ("sex", "M"): (0, 0), ("age", "jong"): (0, 1),
                      ("age", "oud"): (0, 2)}


def test_replacements_with_fixed_members_meet_the_original_quotas():
    fixed = ["p1", "p4", "p5"]
    problem = replacement_problem(POOL, QUOTAS, 4, fixed=fixed, excluded=["p2"])
    distribution = leximin_distribution(problem.pool, problem.quotas, problem.seats)
    for panel in distribution.panels:
        whole = POOL.loc[[*fixed, *map(str, panel)]]
        for row in QUOTAS.itertuples():
            assert row.min <= int((whole[row.feature] == row.value).sum()) <= row.max
    assert set(distribution.marginals[distribution.marginals > 0].index) <= {"p3", "p7"}


def test_row_order_does_not_change_the_problem():
    shuffled = POOL.sample(frac=1, random_state=3)
    first = replacement_problem(POOL, QUOTAS, 4, fixed=["p4", "p1"])
    second = replacement_problem(shuffled, QUOTAS, 4, fixed=["p1", "p4"])
    assert first.fixed == second.fixed == ("p1", "p4")
    pd.testing.assert_frame_equal(first.quotas, second.quotas)
    assert sorted(first.pool.index) == sorted(second.pool.index)


def test_fixed_members_over_a_maximum_are_refused_in_dutch():
    with pytest.raises(InfeasibleQuota, match="meer dan het maximum 2"):
        replacement_problem(POOL, QUOTAS, 4, fixed=["p1", "p2", "p3"])


@pytest.mark.parametrize(("fixed", "excluded", "message"), [
    (["p9"], [], "niet in de pool"),
    (["p1"], ["p1"], "Zowel vast als uitgesloten"),
    (["p1", "p2", "p4", "p5"], [], "geen plaats meer vrij"),
    (["p1"], ["p2", "p3", "p4", "p5", "p6"], "kandidaten over voor 3 open plaatsen"),
])
def test_bad_replacements_are_refused(fixed, excluded, message):
    with pytest.raises(SamplingError, match=message):
        replacement_problem(POOL, QUOTAS, 4, fixed=fixed, excluded=excluded)
