"""Our LEXIMIN against an independent implementation: sortition-algorithms (OpenDLP's library).

sortition-algorithms (GPL-3.0, a test-only dependency) computes MAXIMIN and NASH distributions
by its own column generation on HiGHS and cvxpy. Whatever the instance, the definitions fix how
the three must compare:

- LEXIMIN's lowest probability is the MAXIMIN optimum (their maximin may stop short of it,
  never above it);
- NASH maximises Σ log p, so its Σ log p is at least LEXIMIN's, and its lowest probability at
  most LEXIMIN's;
- LEXIMIN's sorted probabilities are lexicographically at least those of any other
  distribution, so of both of theirs;
- and every panel either library returns meets the quotas as the other reads them.
"""

import numpy as np
import pandas as pd
import pytest
from sortition_algorithms import Settings, read_in_features, read_in_people
from sortition_algorithms.committee_generation.common import check_category_selected
from sortition_algorithms.committee_generation.maximin import find_distribution_maximin
from sortition_algorithms.committee_generation.nash import find_distribution_nash
from sortition_algorithms.errors import SelectionMultilineError

from sampling.sortition import leximin_distribution

SIZE = 10
QUOTAS = pd.DataFrame(
    [{"feature": "sex", "value": value, "min": 5, "max": 5} for value in ("m", "v")]
    + [{"feature": "age", "value": value, "min": 3, "max": 4}
       for value in ("jong", "midden", "oud")]
    + [{"feature": "district", "value": value, "min": 2, "max": 3} for value in "ABCD"])


def skewed_pool(seed: int, people: int = 60) -> pd.DataFrame:
    """A pool whose make-up is far from the quotas, so probabilities must differ."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {"sex": rng.choice(["m", "v"], people, p=[0.6, 0.4]),
         "age": rng.choice(["jong", "midden", "oud"], people, p=[0.2, 0.5, 0.3]),
         "district": rng.choice(list("ABCD"), people, p=[0.4, 0.3, 0.2, 0.1])},
        index=pd.Index([f"p{number:03d}" for number in range(people)], name="id"))


def their_input(pool: pd.DataFrame):
    """The pool and the quotas as sortition-algorithms reads them (all values as text)."""
    rows = [{key: str(value) for key, value in row.items()}
            for row in QUOTAS.to_dict("records")]
    features, _, _ = read_in_features(["feature", "value", "min", "max"], rows, SIZE)
    body = [{"id": person, **{column: str(pool.at[person, column]) for column in pool.columns}}
            for person in pool.index]
    people, _ = read_in_people(["id", *pool.columns], body, features,
                               Settings(id_column="id", columns_to_keep=[]))
    return features, people


def theirs(pool: pd.DataFrame, algorithm) -> tuple[list[frozenset], pd.Series]:
    """Run one of their algorithms; its panels and the marginals they give."""
    features, people = their_input(pool)
    committees, probabilities, _report = algorithm(features, people, SIZE, [])
    marginals = pd.Series(0.0, index=pool.index)
    for committee, probability in zip(committees, probabilities, strict=True):
        marginals[list(committee)] += probability
    return committees, marginals


def meets_quotas(pool: pd.DataFrame, panel) -> bool:
    chosen = pool.loc[list(panel)]
    if len(chosen) != SIZE:
        return False
    for row in QUOTAS.itertuples():
        count = int((chosen[row.feature] == row.value).sum())
        if not row.min <= count <= row.max:
            return False
    return True


def lexicographically_at_least(ours: np.ndarray, other: np.ndarray, tolerance: float) -> bool:
    for mine, their in zip(np.sort(ours), np.sort(other), strict=True):
        if mine > their + tolerance:
            return True
        if mine < their - tolerance:
            return False
    return True


@pytest.fixture(scope="module", params=[4, 11])
def instance(request):
    pool = skewed_pool(request.param)
    ours = leximin_distribution(pool, QUOTAS, SIZE)
    return pool, ours, ours.marginals.reindex(pool.index)


def test_leximin_minimum_is_their_maximin_optimum(instance):
    pool, ours, marginals = instance
    committees, maximin = theirs(pool, find_distribution_maximin)
    assert marginals.min() < SIZE / len(pool) - 0.01  # the quotas make it unequal
    assert maximin.min() <= marginals.min() + 1e-6  # nobody beats the optimum
    assert maximin.min() == pytest.approx(marginals.min(), abs=1e-3)  # their gap: 5e-4
    assert ours.maximin_bound == pytest.approx(marginals.min(), abs=1e-6)
    assert lexicographically_at_least(marginals.to_numpy(), maximin.to_numpy(), 1e-6)
    assert all(meets_quotas(pool, committee) for committee in committees)


def test_nash_trades_the_minimum_for_a_higher_product(instance):
    pool, _ours, marginals = instance
    committees, nash = theirs(pool, find_distribution_nash)
    assert nash.sum() == pytest.approx(SIZE, abs=1e-6)
    assert np.log(nash.clip(lower=1e-12)).sum() >= np.log(marginals).sum() - 1e-6
    assert nash.min() <= marginals.min() + 1e-6
    assert lexicographically_at_least(marginals.to_numpy(), nash.to_numpy(), 1e-6)
    assert all(meets_quotas(pool, committee) for committee in committees)


def their_check_passes(features, people, panel) -> bool:
    try:
        check_category_selected(features, people, [frozenset(map(str, panel))], 1)
    except SelectionMultilineError:
        return False
    return True


def test_our_panels_meet_the_quotas_as_they_read_them(instance):
    pool, ours, _marginals = instance
    features, people = their_input(pool)
    assert ours.panels and all(their_check_passes(features, people, panel)
                               for panel in ours.panels)
    too_many_men = [person for person in pool.index if pool.at[person, "sex"] == "m"][:SIZE]
    assert not their_check_passes(features, people, too_many_men)  # their check can fail
