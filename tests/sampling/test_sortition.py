"""LEXIMIN selection from a pool against quotas, checked against full enumeration.

The reference values are computed here, independently of ``sampling.sortition``: every
panel of the small pool is enumerated, the quota-feasible ones kept, and the LEXIMIN
sequence of linear programs solved over them with ``scipy.optimize.linprog`` (primal form,
no duals): maximise the lowest probability of the people not yet fixed, then fix exactly
those whose probability cannot rise above that optimum (one LP per person), and repeat.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from sampling.errors import SamplingError
from sampling.sortition import (
    InfeasibleQuotas,
    check_quotas,
    leximin_distribution,
    leximin_probabilities,
    pick_panel,
    uniform_lottery,
)

PEOPLE = [  # id, geslacht, leeftijd, wijk
    ("p1", "V", "jong", "A"), ("p2", "V", "jong", "B"), ("p3", "V", "oud", "A"),
    ("p4", "M", "jong", "A"), ("p5", "M", "oud", "A"), ("p6", "M", "oud", "B"),
    ("p7", "M", "oud", "B"), ("p8", "M", "oud", "A"), ("p9", "V", "oud", "B"),
]
QUOTAS = [
    ("geslacht", "V", 2, 2), ("geslacht", "M", 2, 2), ("leeftijd", "jong", 1, 2),
    ("leeftijd", "oud", 2, 3), ("wijk", "A", 1, 3), ("wijk", "B", 1, 3),
]
SIZE = 4


@pytest.fixture
def pool() -> pd.DataFrame:
    frame = pd.DataFrame(PEOPLE, columns=["id", "geslacht", "leeftijd", "wijk"])
    return frame.set_index("id")


@pytest.fixture
def quotas() -> pd.DataFrame:
    return pd.DataFrame(QUOTAS, columns=["feature", "value", "min", "max"])


def _meets(pool, quotas, members) -> bool:
    chosen = pool.loc[list(members)]
    return len(members) == SIZE and all(
        row.min <= int((chosen[row.feature] == row.value).sum()) <= row.max
        for row in quotas.itertuples()
    )


def _feasible_panels(pool, quotas) -> list[tuple[str, ...]]:
    return [panel for panel in itertools.combinations(pool.index, SIZE)
            if _meets(pool, quotas, panel)]


def _stage_constraints(matrix, fixed, level):
    """Rows A_ub x <= b_ub: probability >= fixed value, or >= level when not fixed."""
    floors = np.array([fixed.get(i, level) for i in range(matrix.shape[0])])
    return -matrix, -floors


def _reference_leximin(matrix: np.ndarray) -> np.ndarray:
    people, panels = matrix.shape
    fixed: dict[int, float] = {}
    equality = {"A_eq": np.ones((1, panels)), "b_eq": [1.0], "bounds": (0, None)}
    while len(fixed) < people:
        open_ = [i for i in range(people) if i not in fixed]
        a_ub = np.vstack([np.column_stack([-matrix, [0.0 if i in fixed else 1.0
                                                     for i in range(people)]])])
        b_ub = np.array([-fixed.get(i, 0.0) for i in range(people)])
        result = linprog(np.r_[np.zeros(panels), -1.0], A_ub=a_ub, b_ub=b_ub,
                         A_eq=np.c_[np.ones((1, panels)), [[0.0]]], b_eq=[1.0],
                         bounds=[(0, None)] * panels + [(None, None)], method="highs")
        level = -result.fun
        for person in open_:
            a, b = _stage_constraints(matrix, fixed, level - 1e-9)
            best = linprog(-matrix[person], A_ub=a, b_ub=b, method="highs", **equality)
            if -best.fun <= level + 1e-7:
                fixed[person] = level
    return np.array([fixed[i] for i in range(people)])


def _reference(pool, quotas):
    panels = _feasible_panels(pool, quotas)
    ids = list(pool.index)
    matrix = np.array([[person in panel for panel in panels] for person in ids], dtype=float)
    return pd.Series(_reference_leximin(matrix), index=pool.index)


def test_leximin_equals_full_enumeration(pool, quotas):
    expected = _reference(pool, quotas)
    got = leximin_probabilities(pool, quotas, SIZE)
    assert list(got.index) == list(pool.index)
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), atol=1e-6)
    assert len(set(np.round(expected, 6))) >= 2  # the instance is not trivially uniform


def test_minimum_equals_the_maximin_optimum(pool, quotas):
    panels = _feasible_panels(pool, quotas)
    matrix = np.array([[person in panel for panel in panels] for person in pool.index], float)
    people = len(pool)
    result = linprog(np.r_[np.zeros(len(panels)), -1.0],
                     A_ub=np.column_stack([-matrix, np.ones(people)]), b_ub=np.zeros(people),
                     A_eq=np.c_[np.ones((1, len(panels))), [[0.0]]], b_eq=[1.0],
                     bounds=[(0, None)] * len(panels) + [(None, None)], method="highs")
    distribution = leximin_distribution(pool, quotas, SIZE)
    assert distribution.marginals.min() == pytest.approx(-result.fun, abs=1e-6)
    assert distribution.marginals.min() <= distribution.maximin_bound + 1e-12
    assert distribution.maximin_bound == pytest.approx(-result.fun, abs=1e-6)


def test_every_panel_meets_the_quotas_and_probabilities_sum_to_the_panel_size(pool, quotas):
    distribution = leximin_distribution(pool, quotas, SIZE)
    assert distribution.panels
    assert all(_meets(pool, quotas, panel) for panel in distribution.panels)
    assert distribution.probabilities.sum() == pytest.approx(1.0, abs=1e-12)
    assert (distribution.probabilities > 0).all()
    assert distribution.marginals.sum() == pytest.approx(SIZE, abs=1e-9)
    counted = pd.Series(0.0, index=pool.index)
    for panel, probability in zip(distribution.panels, distribution.probabilities, strict=True):
        counted[list(panel)] += probability
    np.testing.assert_allclose(counted[distribution.marginals.index], distribution.marginals)


def test_row_order_does_not_change_the_result(pool, quotas):
    first = leximin_distribution(pool, quotas, SIZE)
    second = leximin_distribution(pool.sample(frac=1, random_state=3),
                                  quotas.sample(frac=1, random_state=4), SIZE)
    assert first.panels == second.panels
    np.testing.assert_array_equal(first.probabilities, second.probabilities)
    pd.testing.assert_series_equal(first.marginals, second.marginals, check_exact=True)


def test_nobody_fits_gets_probability_zero(pool, quotas):
    quotas = quotas.copy()
    quotas.loc[quotas["value"] == "jong", ["min", "max"]] = [0, 0]
    quotas.loc[quotas["value"] == "oud", ["min", "max"]] = [4, 4]
    got = leximin_probabilities(pool, quotas, SIZE)
    assert (got[["p1", "p2", "p4"]] == 0).all()
    np.testing.assert_allclose(got.to_numpy(), _reference(pool, quotas).to_numpy(), atol=1e-6)


def _least_relaxation(pool, quotas) -> int:
    """Smallest total relaxation, by enumerating every panel of the wanted size."""
    best = None
    for panel in itertools.combinations(pool.index, SIZE):
        chosen = pool.loc[list(panel)]
        total = sum(max(0, row.min - n) + max(0, n - row.max) for row in quotas.itertuples()
                    for n in [int((chosen[row.feature] == row.value).sum())])
        best = total if best is None else min(best, total)
    return best


def _infeasible_quotas(quotas):
    quotas = quotas.copy()
    quotas.loc[quotas["value"] == "V", ["min", "max"]] = [3, 4]
    quotas.loc[quotas["value"] == "jong", ["min", "max"]] = [2, 2]
    quotas.loc[quotas["value"] == "B", ["min", "max"]] = [3, 3]
    return quotas


def test_infeasible_quotas_name_the_clash_and_the_smallest_relaxation(pool, quotas):
    quotas = _infeasible_quotas(quotas)
    assert not _feasible_panels(pool, quotas)
    check = check_quotas(pool, quotas, SIZE)
    assert not check.feasible
    assert check.total_relaxation == _least_relaxation(pool, quotas) > 0
    relaxed = quotas.set_index(["feature", "value"])
    for row in check.relaxation.itertuples():
        relaxed.loc[(row.feature, row.value), ["min", "max"]] = [row.new_min, row.new_max]
    assert _feasible_panels(pool, relaxed.reset_index())
    assert check_quotas(pool, relaxed.reset_index(), SIZE).feasible
    for feature, value, bound, number in check.conflicts:
        assert f"{feature} = {value}: {'minimum' if bound == 'min' else 'maximum'} {number}" \
            in check.message
    assert "Kleinste versoepeling" in check.message


def test_the_clashing_quotas_are_a_minimal_infeasible_set(pool, quotas):
    quotas = _infeasible_quotas(quotas)
    conflicts = check_quotas(pool, quotas, SIZE).conflicts
    assert conflicts

    def only(kept):
        loose = quotas.copy()
        loose["min"], loose["max"] = 0, SIZE
        for feature, value, bound, number in kept:
            loose.loc[(loose["feature"] == feature) & (loose["value"] == value), bound] = number
        return loose

    assert not _feasible_panels(pool, only(conflicts))
    for left_out in conflicts:
        assert _feasible_panels(pool, only([c for c in conflicts if c != left_out]))


def test_leximin_refuses_infeasible_quotas_in_dutch(pool, quotas):
    with pytest.raises(InfeasibleQuotas, match="kunnen niet samen gehaald") as caught:
        leximin_probabilities(pool, _infeasible_quotas(quotas), SIZE)
    assert caught.value.check.total_relaxation > 0


@pytest.mark.parametrize(("change", "message"), [
    (lambda p, q: (pd.concat([p, p.iloc[:1]]), q), "Dubbele id"),
    (lambda p, q: (p, pd.concat([q, pd.DataFrame([("kleur", "rood", 0, 1)],
                                                 columns=q.columns)])), "ontbreken in de pool"),
    (lambda p, q: (p, q.assign(min=[3, 2, 1, 2, 1, 1])), "rij 1 .*minimum 3 en maximum 2"),
    (lambda p, q: (p, q.assign(max=[2, 2, 1.5, 3, 3, 3])), "geheel getal"),
    (lambda p, q: (p.assign(wijk=[None] + ["A"] * 8), q), "geen waarde voor kenmerk 'wijk'"),
    (lambda p, q: (p.assign(wijk=["C"] + ["A"] * 8), q), "waarde\\(n\\) C .* geen quotum"),
    (lambda p, q: (p, q.drop(columns="max")), "ontbreken in de quota: max"),
    (lambda p, q: (p, pd.concat([q, q.iloc[:1]])), "twee keer"),
])
def test_bad_input_gives_a_dutch_error(pool, quotas, change, message):
    bad_pool, bad_quotas = change(pool, quotas)
    with pytest.raises(SamplingError, match=message):
        leximin_probabilities(bad_pool, bad_quotas, SIZE)


@pytest.mark.parametrize("size", [0, 10, 2.5, True])
def test_panel_size_must_fit_the_pool(pool, quotas, size):
    with pytest.raises(SamplingError, match="grootte van het panel"):
        leximin_probabilities(pool, quotas, size)


def test_uniform_lottery_rounds_to_m_equally_likely_panels(pool, quotas):
    distribution = leximin_distribution(pool, quotas, SIZE)
    portfolio = uniform_lottery(distribution, 1000)
    assert len(portfolio.panels) == 1000
    support = {tuple(sorted(panel)) for panel in distribution.panels}
    assert {tuple(sorted(panel)) for panel in portfolio.panels} <= support
    after = pd.Series(0.0, index=distribution.marginals.index)
    for panel in portfolio.panels:
        after[list(panel)] += 1 / 1000
    np.testing.assert_allclose(portfolio.probabilities["after"], after, atol=1e-12)
    np.testing.assert_allclose(portfolio.probabilities["before"], distribution.marginals)
    containing = pd.Series(0, index=after.index)
    for panel in distribution.panels:
        containing[list(panel)] += 1
    deviation = (portfolio.probabilities["after"] - portfolio.probabilities["before"]).abs()
    assert (deviation <= containing / 1000 + 1e-12).all()
    assert portfolio.max_deviation == pytest.approx(deviation.max())


def test_largest_remainder_copies_by_hand():
    from sampling.sortition.lottery import _copies

    # 10 * (0.34, 0.33, 0.33) = 3.4, 3.3, 3.3: floors 3, 3, 3, one more to the first.
    assert list(_copies(np.array([0.34, 0.33, 0.33]), 10)) == [4, 3, 3]
    # equal remainders: the earlier panel wins
    assert list(_copies(np.array([0.25, 0.25, 0.5]), 10)) == [3, 2, 5]


def test_pick_panel_is_replayable_from_the_seed(pool, quotas):
    portfolio = uniform_lottery(leximin_distribution(pool, quotas, SIZE), 1000)
    shuffled = uniform_lottery(leximin_distribution(pool.iloc[::-1], quotas, SIZE), 1000)
    assert portfolio.sha256 == shuffled.sha256
    number, panel = pick_panel(portfolio, seed=20261202)
    expected = int(np.random.Generator(np.random.PCG64(20261202)).integers(1000))
    assert number == expected + 1
    assert panel == portfolio.panels[expected]
    assert pick_panel(shuffled, seed=20261202) == (number, panel)
    assert portfolio.text().splitlines()[number - 1] == f"{number}\t{','.join(panel)}"
    with pytest.raises(SamplingError, match="zaad"):
        pick_panel(portfolio, seed=-1)


def test_the_solver_prints_nothing(pool, quotas, capfd):
    leximin_probabilities(pool, quotas, SIZE)
    check_quotas(pool, _infeasible_quotas(quotas), SIZE)
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""
