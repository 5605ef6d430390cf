"""LEXIMIN over profile types equals LEXIMIN over people; the expansion back to people.

The plain computation (one 0/1 variable per person, ``sampling.sortition.leximin.leximin``
without sizes) is the reference: on instances with several people per profile, the type
computation must give every person the same probability, and its panels must meet the
quotas and reproduce those probabilities exactly.
"""

from __future__ import annotations

import importlib
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from sampling.sortition import leximin_distribution
from sampling.sortition.highs import PanelFinder
from sampling.sortition.leximin import incidence, leximin
from sampling.sortition.problem import build_input
from sampling.sortition.profiles import expand, expand_panel, profile_types
from tests.sampling.test_sortition import PEOPLE, QUOTAS, SIZE


def _plain_marginals(pool, quotas, size) -> np.ndarray:
    data = build_input(pool, quotas, size)
    panels, probabilities, _ = leximin(PanelFinder(data), data.people)
    return incidence(panels, data.people) @ probabilities


def _small():
    pool = pd.DataFrame(PEOPLE, columns=["id", "geslacht", "leeftijd", "wijk"]).set_index("id")
    return pool, pd.DataFrame(QUOTAS, columns=["feature", "value", "min", "max"])


def _random_instance(seed: int, people: int = 16):
    rng = np.random.default_rng(seed)
    pool = pd.DataFrame({
        "geslacht": rng.choice(["V", "M"], people),
        "leeftijd": rng.choice(["jong", "midden", "oud"], people, p=[0.2, 0.3, 0.5]),
        "wijk": rng.choice(["A", "B"], people, p=[0.7, 0.3]),
    }, index=pd.Index([f"k{i:02d}" for i in range(people)], name="id"))
    quotas = pd.DataFrame([
        ("geslacht", "V", 2, 3), ("geslacht", "M", 2, 3), ("leeftijd", "jong", 1, 2),
        ("leeftijd", "midden", 1, 2), ("leeftijd", "oud", 1, 3), ("wijk", "A", 2, 4),
        ("wijk", "B", 1, 2),
    ], columns=["feature", "value", "min", "max"])
    return pool, quotas


def test_profile_types_group_people_with_the_same_quota_categories():
    pool, quotas = _small()
    data = build_input(pool, quotas, SIZE)
    types = profile_types(data)
    ids = list(data.ids)
    groups = [[ids[p] for p in members] for members in types.members]
    assert groups == [["p1"], ["p2"], ["p3"], ["p4"], ["p5", "p8"], ["p6", "p7"], ["p9"]]
    assert list(types.sizes) == [1, 1, 1, 1, 2, 2, 1]
    assert [ids[p] for p in types.first] == ["p1", "p2", "p3", "p4", "p5", "p6", "p9"]
    assert all(types.of_person[p] == t for t, members in enumerate(types.members)
               for p in members)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_type_computation_equals_the_plain_computation(seed):
    pool, quotas = _random_instance(seed)
    data = build_input(pool, quotas, 5)
    assert len(profile_types(data).members) < data.people  # the reduction does something
    distribution = leximin_distribution(pool, quotas, 5)
    np.testing.assert_allclose(distribution.marginals.to_numpy(),
                               _plain_marginals(pool, quotas, 5), atol=1e-6)
    for members in profile_types(data).members:
        values = distribution.marginals.to_numpy()[members]
        assert np.ptp(values) < 1e-9  # interchangeable people: one probability
    assert len(distribution.panels) <= data.people + 1  # a vertex, not the whole expansion


def test_type_computation_equals_the_plain_computation_on_the_small_instance():
    pool, quotas = _small()
    distribution = leximin_distribution(pool, quotas, SIZE)
    np.testing.assert_allclose(distribution.marginals.to_numpy(),
                               _plain_marginals(pool, quotas, SIZE), atol=1e-6)


def test_expanding_a_type_panel_keeps_the_seats_and_gives_each_member_c_over_n():
    data = build_input(*_random_instance(7, people=30), 5)
    types = profile_types(data)
    sizes = types.sizes
    big = [t for t in range(len(sizes)) if sizes[t] >= 3][:3]
    counts = {big[0]: 1, big[1]: 2, big[2]: int(sizes[big[2]]) - 1}
    panel = tuple(t for t, c in counts.items() for _ in range(c))
    pieces = expand_panel(panel, types)
    assert sum(share for _, share in pieces) == 1  # exact fractions
    share_of = {}
    for people, share in pieces:
        assert list(people) == sorted(people)
        for kind, count in counts.items():
            assert np.isin(people, types.members[kind]).sum() == count
        for person in people:
            share_of[person] = share_of.get(person, Fraction(0)) + share
    for kind, count in counts.items():
        for person in types.members[kind]:
            assert share_of.get(int(person), Fraction(0)) == Fraction(count, int(sizes[kind]))


def test_expand_merges_equal_panels_and_sorts_them():
    data = build_input(*_small(), SIZE)
    types = profile_types(data)
    whole = (0, 1, 4, 4)  # p1, p2 and both of type (M, oud, A): one panel of people
    panels, probabilities = expand([whole, whole], np.array([0.25, 0.75]), types)
    assert panels == [(0, 1, 4, 7)]
    np.testing.assert_allclose(probabilities, [1.0])
    half = (0, 1, 3, 4)  # one of the two of type (M, oud, A)
    panels, probabilities = expand([half], np.array([1.0]), types)
    assert panels == sorted(panels) and len(panels) == 2
    np.testing.assert_allclose(probabilities, [0.5, 0.5])


def _type_marginals(pool, quotas, size) -> np.ndarray:
    data = build_input(pool, quotas, size)
    types = profile_types(data)
    finder = PanelFinder(data, capacity=types.sizes, columns=types.first)
    panels, probabilities, _ = leximin(finder, len(types.members), types.sizes)
    return incidence(panels, len(types.members)) @ probabilities / types.sizes


def test_the_column_pool_changes_nothing_but_the_lp_size(monkeypatch):
    """Panels taken out of the LP and revived from the pool give the same LEXIMIN values.

    Which instances need a pruned panel back depends on the solver's path, so twelve are
    compared and the pool must have been used in some of them."""
    module = importlib.import_module("sampling.sortition.leximin")
    revived = []
    original = module.Master.revive

    def counting(self, y, cap):
        found = original(self, y, cap)
        revived.extend(found)
        return found

    for seed in range(1, 13):
        pool, quotas = _random_instance(seed, people=24)
        monkeypatch.setattr(module, "PRUNE", np.inf)  # never prune: the plain column generation
        monkeypatch.setattr(module, "PRUNE_EVERY", 0)
        plain = _type_marginals(pool, quotas, 6)
        monkeypatch.setattr(module, "PRUNE", 0.0)  # prune everything non-basic below ŷ
        monkeypatch.setattr(module, "PRUNE_EVERY", 1)
        monkeypatch.setattr(module.Master, "revive", counting)
        np.testing.assert_allclose(_type_marginals(pool, quotas, 6), plain, atol=1e-7)
        monkeypatch.setattr(module.Master, "revive", original)
    assert len(revived) >= 3  # the pool was used, so the test compares something
