from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sampling.allocation import allocate, allocate_target_completes
from sampling.errors import InfeasibleQuota, SamplingError
from sampling.rounding import round_largest_remainder


def test_proportional_matches_a_hand_worked_hamilton_example():
    # Quotas 4.7, 3.2, 2.1: floors 4, 3, 2 leave one seat for the largest remainder (0.7).
    assert allocate({"A": 47, "B": 32, "C": 21}, 10, "proportional", seed=0) == {
        "A": 5, "B": 3, "C": 2,
    }
    # Quotas 7/6, 14/6, 21/6: floors 1, 2, 3; remainders 1/6, 2/6, 3/6 -> C gets the seat.
    assert allocate({"b": 20, "a": 10, "c": 30}, 7, "proportional", seed=0) == {
        "a": 1, "b": 2, "c": 4,
    }


def test_ties_are_broken_by_the_seed_reproducibly():
    sizes = {"a": 1, "b": 1, "c": 1}
    results = [allocate(sizes, 2, "proportional", seed=seed) for seed in range(60)]
    assert all(sum(result.values()) == 2 for result in results)
    assert results == [allocate(sizes, 2, "proportional", seed=seed) for seed in range(60)]
    losers = {next(label for label, seats in result.items() if seats == 0) for result in results}
    assert losers == {"a", "b", "c"}


def test_equal_allocation_caps_small_strata_and_redistributes():
    # 30 each; a is capped at 2, the other 88 split 44/44; then b is capped at 40 -> c 48.
    assert allocate({"a": 2, "b": 50, "c": 200}, 90, "equal", seed=1) == {"a": 2, "b": 44, "c": 44}
    assert allocate({"a": 2, "b": 40, "c": 200}, 90, "equal", seed=1) == {"a": 2, "b": 40, "c": 48}


def test_empty_strata_get_nothing_and_n_zero_gives_zeros():
    sizes = {"a": 0, "b": 10, "c": 30}
    assert allocate(sizes, 8, "equal", seed=3) == {"a": 0, "b": 4, "c": 4}
    assert allocate(sizes, 0, "proportional", seed=3) == {"a": 0, "b": 0, "c": 0}


def test_n_larger_than_the_eligible_population_is_refused_with_the_numbers():
    with pytest.raises(InfeasibleQuota, match=r"41 plaatsen.*slechts 40"):
        allocate({"a": 10, "b": 30}, 41, "proportional", seed=0)


def test_minimum_per_stratum_is_capped_at_its_size():
    assert allocate({"a": 5, "b": 95}, 20, "proportional", seed=0, minimum=5) == {"a": 5, "b": 15}
    assert allocate({"a": 2, "b": 98}, 20, "proportional", seed=0, minimum=5) == {"a": 2, "b": 18}
    per_stratum = allocate({"a": 50, "b": 50}, 10, "proportional", seed=0, minimum={"a": 8})
    assert per_stratum == {"a": 8, "b": 2}


def test_minima_above_n_are_refused():
    with pytest.raises(InfeasibleQuota, match=r"30 plaatsen.*n=20"):
        allocate({"a": 50, "b": 50, "c": 50}, 20, "proportional", seed=0, minimum=10)


def test_neyman_against_hand_computed_case():
    sizes = {"a": 100, "b": 200, "c": 300}
    deviations = {"a": 10, "b": 5, "c": 2}  # N_h * S_h = 1000, 1000, 600
    assert allocate(sizes, 52, "neyman", seed=0, standard_deviations=deviations) == {
        "a": 20, "b": 20, "c": 12,
    }
    # n = 50: quotas 19.23, 19.23, 11.54 -> floors 19, 19, 11 and c has the largest remainder.
    assert allocate(sizes, 50, "neyman", seed=0, standard_deviations=deviations) == {
        "a": 19, "b": 19, "c": 12,
    }


def test_neyman_reads_float_deviations_exactly():
    # 0.1, 0.2 and 0.3 are read as 1/10, 2/10, 3/10: quotas exactly 1, 2, 3 (no float noise).
    deviations = {"a": 0.1, "b": 0.2, "c": 0.3}
    result = allocate({"a": 10, "b": 10, "c": 10}, 6, "neyman", seed=0,
                      standard_deviations=deviations)
    assert result == {"a": 1, "b": 2, "c": 3}


def test_neyman_requires_a_deviation_for_each_stratum():
    with pytest.raises(SamplingError, match="'b'"):
        allocate({"a": 10, "b": 10}, 4, "neyman", seed=0, standard_deviations={"a": 1})


def test_fixed_targets_must_sum_to_n_and_excess_moves_in_proportion():
    assert allocate({"a": 10, "b": 20, "c": 300}, 30, "fixed", seed=0,
                    targets={"a": 20, "b": 10}) == {"a": 10, "b": 20, "c": 0}
    assert allocate({"a": 10, "b": 50, "c": 50}, 40, "fixed", seed=0,
                    targets={"a": 20, "b": 10, "c": 10}) == {"a": 10, "b": 15, "c": 15}
    with pytest.raises(SamplingError, match="n=31"):
        allocate({"a": 10, "b": 20}, 31, "fixed", seed=0, targets={"a": 10, "b": 20})


def test_unknown_method_is_refused():
    with pytest.raises(SamplingError, match="allocatiemethode"):
        allocate({"a": 1}, 1, "systematic", seed=0)


def test_target_completes_against_hand_computed_case():
    table = allocate_target_completes(
        {"a": 1000, "b": 1000}, 10, {"a": 0.3, "b": 0.4}, seed=0
    )
    # Completes 5 and 5; invitations 5/0.3 = 16.67 and 5/0.4 = 12.5; total ceil(29.17) = 30;
    # floors 16 + 12 = 28, both remainders get one more.
    assert table["completes"].tolist() == [5, 5]
    assert table["invitations_exact"].tolist() == pytest.approx([50 / 3, 12.5])
    assert table["invitations"].tolist() == [17, 13]
    assert table["expected_completes"].tolist() == pytest.approx([5.1, 5.2])
    assert allocate({"a": 1000, "b": 1000}, 10, "target_completes", seed=0,
                    response_rates={"a": 0.3, "b": 0.4}) == {"a": 17, "b": 13}


def test_target_completes_uses_target_shares_and_caps():
    table = allocate_target_completes(
        {"a": 100, "b": 1000}, 40, {"a": 0.5, "b": 0.25}, seed=0,
        target_shares={"a": 0.5, "b": 0.5},
    )
    # Wanted 20/20; a can yield at most 50 and b 250, so no cap binds: 40 and 80 invitations.
    assert table["completes"].tolist() == [20, 20]
    assert table["invitations"].tolist() == [40, 80]
    capped = allocate_target_completes(
        {"a": 20, "b": 1000}, 40, {"a": 0.5, "b": 0.25}, seed=0,
        target_shares={"a": 0.5, "b": 0.5},
    )
    # a can yield only 10 joiners: all 20 residents invited, b takes the other 30 completes.
    assert capped["completes"].tolist() == [10, 30]
    assert capped["invitations"].tolist() == [20, 120]


def test_target_completes_beyond_what_the_population_can_yield_is_refused():
    with pytest.raises(InfeasibleQuota, match="slechts 5 leden"):
        allocate_target_completes({"a": 10}, 6, {"a": 0.5}, seed=0)


@pytest.mark.parametrize("rate", [0, 1.5, -0.1])
def test_response_rates_must_lie_in_zero_one(rate):
    with pytest.raises(SamplingError, match="'b'"):
        allocate_target_completes({"a": 10, "b": 10}, 2, {"a": 0.5, "b": rate}, seed=0)


def test_largest_remainder_rounding_reaches_the_total():
    quotas = {"a": Fraction(5, 2), "b": Fraction(5, 2), "c": Fraction(1)}
    rounded = round_largest_remainder(quotas, 6, seed=4)
    assert sum(rounded.values()) == 6
    assert rounded["c"] == 1
    assert sorted([rounded["a"], rounded["b"]]) == [2, 3]


sizes_strategy = st.dictionaries(
    st.text(alphabet="abcdefgh", min_size=1, max_size=3), st.integers(0, 500),
    min_size=1, max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(sizes=sizes_strategy, fraction=st.floats(0, 1), seed=st.integers(0, 2**32))
def test_proportional_properties(sizes, fraction, seed):
    total = sum(sizes.values())
    n = int(fraction * total)
    seats = allocate(sizes, n, "proportional", seed=seed)
    assert sum(seats.values()) == n
    for label, size in sizes.items():
        assert 0 <= seats[label] <= size
        assert abs(seats[label] - Fraction(n * size, total or 1)) < 1
    assert seats == allocate(sizes, n, "proportional", seed=seed)


@settings(max_examples=150, deadline=None)
@given(sizes=sizes_strategy, fraction=st.floats(0, 1), minimum=st.integers(0, 20),
       method=st.sampled_from(["equal", "proportional"]), seed=st.integers(0, 2**32))
def test_caps_and_minima_properties(sizes, fraction, minimum, method, seed):
    n = int(fraction * sum(sizes.values()))
    floors = {label: min(minimum, size) for label, size in sizes.items()}
    if sum(floors.values()) > n:
        with pytest.raises(InfeasibleQuota):
            allocate(sizes, n, method, seed=seed, minimum=minimum)
        return
    seats = allocate(sizes, n, method, seed=seed, minimum=minimum)
    assert sum(seats.values()) == n
    assert all(floors[label] <= seats[label] <= sizes[label] for label in sizes)
