import hashlib

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chisquare

from sampling.canonical import frame_hash
from sampling.draw import (
    ALGORITHM,
    describe_algorithm,
    propose_topup,
    stratified_sample,
    topup_shortfall,
    verify_draw,
)
from sampling.errors import InfeasibleQuota, SamplingError
from sampling.strata import stratum_sizes

STRATA = ["age_band", "sex"]


@pytest.fixture
def frame():
    rng = np.random.default_rng(20260101)
    size = 400
    household_sizes = rng.integers(1, 5, size=size)
    households = np.repeat(np.arange(size), household_sizes)[:size]
    return pd.DataFrame({
        "person_key": [hashlib.sha256(f"resident {i}".encode()).hexdigest() for i in range(size)],
        "age_band": rng.choice(["18-34", "35-64", "65+"], size=size),
        "sex": rng.choice(["F", "M"], size=size),
        "household_id": [f"H{number:04d}" for number in households],
    })


@pytest.fixture
def allocation(frame):
    return {label: max(1, size // 10) for label, size in stratum_sizes(frame, STRATA).items()}


def reference_draw(frame, strata, allocation, seed, reserve_per_stratum):
    """Independent re-implementation of the algorithm as the module docstring states it."""
    canonical = frame.sort_values("person_key")
    labels = canonical[strata].astype(str).agg(" | ".join, axis=1)
    rng = np.random.Generator(np.random.PCG64(seed))
    chosen = {}
    for label in sorted(set(labels)):
        keys = canonical["person_key"].to_numpy()[(labels == label).to_numpy()]
        permuted = keys[rng.permutation(len(keys))]
        wanted = allocation.get(label, 0)
        reserve = reserve_per_stratum if wanted else 0
        chosen[label] = (list(permuted[:wanted]), list(permuted[wanted:wanted + reserve]))
    return chosen


def as_lists(selection):
    result = {}
    for label, rows in selection.groupby("stratum"):
        main = rows[~rows["is_reserve"]].sort_values("order")["person_key"].tolist()
        spare = rows[rows["is_reserve"]].sort_values("reserve_order")["person_key"].tolist()
        result[label] = (main, spare)
    return result


def test_draw_follows_the_documented_algorithm(frame, allocation):
    result = stratified_sample(frame, STRATA, allocation, seed=12345, reserve=2)
    expected = reference_draw(frame, STRATA, allocation, 12345, 2)
    assert as_lists(result.selection) == {k: v for k, v in expected.items() if v[0] or v[1]}
    assert result.algorithm == ALGORITHM == "stadspanel-stratified-v1"
    assert result.seed == 12345


def test_selection_counts_probabilities_and_weights(frame, allocation):
    result = stratified_sample(frame, STRATA, allocation, seed=7)
    sizes = stratum_sizes(frame, STRATA)
    counts = result.selection.groupby("stratum").size().to_dict()
    assert counts == {label: n for label, n in allocation.items() if n}
    for row in result.selection.itertuples():
        share = allocation[row.stratum] / sizes[row.stratum]
        assert row.inclusion_probability == pytest.approx(share)
        assert row.design_weight == pytest.approx(sizes[row.stratum] / allocation[row.stratum])
    table = result.table.set_index("stratum")
    assert table["population"].to_dict() == sizes.to_dict()
    assert table["selected"].sum() == sum(allocation.values())


def test_same_inputs_give_the_same_selection_whatever_the_row_order(frame, allocation):
    first = stratified_sample(frame, STRATA, allocation, seed=99, reserve=3)
    again = stratified_sample(frame, STRATA, allocation, seed=99, reserve=3)
    shuffled = frame.sample(frac=1, random_state=5).reset_index(drop=True)
    reordered = stratified_sample(shuffled, STRATA, allocation, seed=99, reserve=3)
    pd.testing.assert_frame_equal(first.selection, again.selection)
    pd.testing.assert_frame_equal(first.selection, reordered.selection)
    assert first.frame_hash == reordered.frame_hash == frame_hash(frame, STRATA)


def test_a_different_seed_gives_a_different_selection(frame, allocation):
    first = stratified_sample(frame, STRATA, allocation, seed=1)
    second = stratified_sample(frame, STRATA, allocation, seed=2)
    assert set(first.selection["person_key"]) != set(second.selection["person_key"])


def test_verify_accepts_a_replay_and_reports_a_changed_frame(frame, allocation):
    result = stratified_sample(frame, STRATA, allocation, seed=31, reserve=0.5)
    assert verify_draw(frame, result.selection, result.parameters, seed=31).ok
    changed = frame.copy()
    changed.loc[0, "sex"] = "M" if changed.loc[0, "sex"] == "F" else "F"
    verdict = verify_draw(changed, result.selection, result.parameters, seed=31)
    assert not verdict.ok
    assert not verdict.frame_hash_matches
    assert "kaderhash" in verdict.differences[0]


def test_verify_reports_a_tampered_selection(frame, allocation):
    result = stratified_sample(frame, STRATA, allocation, seed=31)
    tampered = result.selection.copy()
    outsider = sorted(set(frame["person_key"]) - set(tampered["person_key"]))[0]
    tampered.loc[0, "person_key"] = outsider
    verdict = verify_draw(frame, tampered, result.parameters, seed=31)
    assert verdict.frame_hash_matches
    assert not verdict.ok
    assert len(verdict.differences) == 2
    assert any(outsider[:12] in line and "niet gekozen" in line for line in verdict.differences)


def test_verify_with_a_wrong_seed_fails(frame, allocation):
    result = stratified_sample(frame, STRATA, allocation, seed=31)
    assert not verify_draw(frame, result.selection, result.parameters, seed=32).ok


def test_one_per_household_never_selects_two_from_a_household(frame, allocation):
    result = stratified_sample(frame, STRATA, allocation, seed=8, reserve=5, one_per_household=True)
    households = frame.set_index("person_key").loc[result.selection["person_key"], "household_id"]
    assert households.is_unique
    assert (~result.selection["is_reserve"]).sum() == sum(allocation.values())
    assert frame.duplicated("household_id").any()
    replay = verify_draw(frame, result.selection, result.parameters, seed=8)
    assert replay.ok


def test_one_per_household_fails_clearly_when_households_run_out():
    frame = pd.DataFrame({
        "person_key": ["a", "b", "c"], "district": ["Z"] * 3, "household_id": ["h1", "h1", "h2"],
    })
    with pytest.raises(InfeasibleQuota, match="'Z'"):
        stratified_sample(frame, ["district"], {"Z": 3}, seed=1, one_per_household=True)


def test_reserve_lists_are_ordered_and_disjoint(frame, allocation):
    result = stratified_sample(frame, STRATA, allocation, seed=4, reserve=0.5)
    selection = result.selection
    assert not selection["person_key"].duplicated().any()
    for label, rows in selection.groupby("stratum"):
        reserve = rows[rows["is_reserve"]]
        main = rows[~rows["is_reserve"]]
        assert reserve["reserve_order"].tolist() == list(range(1, len(reserve) + 1))
        assert main["order"].tolist() == list(range(1, len(main) + 1))
        assert len(reserve) == -(-allocation[label] // 2)
        assert reserve["order"].isna().all()
        assert reserve["design_weight"].isna().all()
    assert result.table["reserve"].sum() == selection["is_reserve"].sum()


def test_ineligible_residents_are_never_drawn_but_count_in_the_population(frame):
    eligible = pd.Series(np.arange(len(frame)) % 3 != 0, index=frame.index)
    sizes = stratum_sizes(frame[eligible], STRATA)
    allocation = dict(sizes)  # select every eligible resident
    result = stratified_sample(frame, STRATA, allocation, seed=3, eligible=eligible)
    assert set(result.selection["person_key"]) == set(frame.loc[eligible, "person_key"])
    table = result.table.set_index("stratum")
    assert table["population"].to_dict() == stratum_sizes(frame, STRATA).to_dict()
    assert table["eligible"].to_dict() == sizes.to_dict()
    assert (table["inclusion_probability"] == 1).all()


def test_population_counts_can_be_given_for_an_eligible_frame(frame, allocation):
    population = {label: size + 10 for label, size in stratum_sizes(frame, STRATA).items()}
    result = stratified_sample(frame, STRATA, allocation, seed=3, population=population)
    assert result.table.set_index("stratum")["population"].to_dict() == population


def test_allocation_above_eligible_names_the_stratum(frame):
    with pytest.raises(InfeasibleQuota, match=r"'65\+ \| F'"):
        stratified_sample(frame, STRATA, {"65+ | F": 10_000}, seed=1)


@pytest.mark.parametrize("seed", [-1, 1.5, True, np.random.default_rng(1)])
def test_seed_must_be_a_storable_integer(frame, allocation, seed):
    with pytest.raises(SamplingError):
        stratified_sample(frame, STRATA, allocation, seed=seed)


def test_every_unit_is_selected_with_probability_n_h_over_n_h():
    frame = pd.DataFrame({
        "person_key": [f"k{i:03d}" for i in range(50)],
        "stratum": ["a"] * 10 + ["b"] * 15 + ["c"] * 25,
    })
    allocation = {"a": 3, "b": 5, "c": 10}
    draws = 600  # fixed seeds: deterministic; about 180 expected selections per unit
    position = {key: index for index, key in enumerate(frame["person_key"])}
    tally = np.zeros(len(frame), dtype=np.int64)
    for seed in range(draws):
        chosen = stratified_sample(frame, ["stratum"], allocation, seed=seed).selection
        tally[[position[key] for key in chosen["person_key"]]] += 1
    counts = pd.Series(tally, index=frame["person_key"])
    for label, wanted in allocation.items():
        units = counts[frame.loc[frame["stratum"] == label, "person_key"]]
        expected = np.full(len(units), draws * wanted / len(units))
        assert units.sum() == draws * wanted
        assert chisquare(units.to_numpy(), expected).pvalue > 0.001


def test_describe_algorithm_is_bilingual_and_names_the_algorithm():
    text = describe_algorithm()
    assert text.count(ALGORITHM) == 2
    assert "PCG64" in text
    assert "zaad" in text
    assert "seed" in text


def test_topup_shortfall_and_proposal():
    assert topup_shortfall({"a": 5, "b": 12}, {"a": 10, "b": 10, "c": 4}) == {
        "a": 5, "b": 0, "c": 4,
    }
    proposal = propose_topup(
        {"a": 5, "b": 10}, {"a": 10, "b": 10, "c": 4}, {"a": 0.3, "c": 0.5},
        {"a": 100, "b": 50, "c": 5}, seed=1,
    ).set_index("stratum")
    # Needs 5/0.3 = 16.67 and min(4/0.5, 5) = 5: total ceil(21.67) = 22 -> 17 and 5.
    assert proposal["invitations"].to_dict() == {"a": 17, "b": 0, "c": 5}
    assert proposal["shortfall"].to_dict() == {"a": 5, "b": 0, "c": 4}
    assert proposal["capped"].to_dict() == {"a": False, "b": False, "c": True}
