import hashlib

import numpy as np
import pandas as pd
import pytest

from sampling.errors import SamplingError
from sampling.strata import (
    frame_hash,
    household_size_class,
    stratum_codes,
    stratum_labels,
    stratum_sizes,
)


@pytest.fixture
def frame():
    return pd.DataFrame({
        "person_key": ["c3", "a1", "b2", "d4"],
        "age_band": ["18-24", "75+", "18-24", None],
        "sex": ["F", "M", "F", "U"],
        "district": ["Centrum", "Noord", "Centrum", "Zuid"],
        "household_size": [1, 3, 2, 5],
    }, index=[10, 10, 11, 12])


def test_labels_join_values_in_column_order(frame):
    labels = stratum_labels(frame, ["age_band", "sex", "district"])
    assert labels.tolist() == [
        "18-24 | F | Centrum", "75+ | M | Noord", "18-24 | F | Centrum", "(onbekend) | U | Zuid",
    ]
    assert labels.index.equals(frame.index)


def test_labels_without_strata_put_everyone_in_one_stratum(frame):
    assert set(stratum_labels(frame, [])) == {"alle inwoners"}


def test_labels_accept_numeric_columns(frame):
    assert stratum_labels(frame, ["household_size"]).tolist() == ["1", "3", "2", "5"]


def test_codes_index_the_sorted_labels(frame):
    codes, labels = stratum_codes(frame, ["sex", "district"])
    assert labels == sorted(labels)
    expected = ["F | Centrum", "M | Noord", "F | Centrum", "U | Zuid"]
    assert [labels[code] for code in codes] == expected


def test_sizes_are_sorted_by_label(frame):
    sizes = stratum_sizes(frame, ["age_band", "sex"])
    assert sizes.to_dict() == {"(onbekend) | U": 1, "18-24 | F": 2, "75+ | M": 1}
    assert list(sizes.index) == sorted(sizes.index)


def test_missing_strata_column_is_reported(frame):
    with pytest.raises(SamplingError, match="wijk"):
        stratum_labels(frame, ["wijk"])


@pytest.mark.parametrize(
    ("size", "expected"),
    [(1, "1"), (2, "2"), (3, "3-4"), (4, "3-4"), (5, "5+"), (12, "5+"), (np.int64(4), "3-4")],
)
def test_household_size_classes(size, expected):
    assert household_size_class(size) == expected


@pytest.mark.parametrize("size", [0, -1, 2.5, True])
def test_household_size_class_rejects_invalid_sizes(size):
    with pytest.raises(SamplingError):
        household_size_class(size)


def test_frame_hash_matches_the_documented_serialisation(frame):
    text = "person_key\tsex\thousehold_size\na1\tM\t3\nb2\tF\t2\nc3\tF\t1\nd4\tU\t5\n"
    assert frame_hash(frame, ["sex", "household_size"]) == hashlib.sha256(
        text.encode("utf-8")
    ).hexdigest()


def test_frame_hash_escapes_like_postgresql_copy(frame):
    frame = frame.assign(district=["Sint-Jan\tOost", "Noord\\Zuid", "Centrum", "Zuid"])
    text = (
        "person_key\tage_band\tdistrict\n"
        "a1\t75+\tNoord\\\\Zuid\nb2\t18-24\tCentrum\nc3\t18-24\tSint-Jan\\tOost\nd4\t\\N\tZuid\n"
    )
    assert frame_hash(frame, ["age_band", "district"]) == hashlib.sha256(
        text.encode("utf-8")
    ).hexdigest()


def test_frame_hash_ignores_row_order_and_sees_changes(frame):
    reference = frame_hash(frame, ["age_band", "sex"])
    assert frame_hash(frame.iloc[::-1], ["age_band", "sex"]) == reference
    changed = frame.copy()
    changed.loc[changed["person_key"] == "b2", "sex"] = "M"
    assert frame_hash(changed, ["age_band", "sex"]) != reference
    assert frame_hash(frame, ["age_band"]) != reference


def test_frame_hash_sorts_keys_by_code_point(frame):
    keys = frame.assign(person_key=["é", "Z", "a", "aa"])
    text = "person_key\tsex\nZ\tM\na\tF\naa\tU\né\tF\n"
    assert frame_hash(keys, ["sex"]) == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_frame_hash_rejects_duplicate_keys(frame):
    with pytest.raises(SamplingError, match="dubbele"):
        frame_hash(frame.assign(person_key=["a", "b", "a", "c"]), ["sex"])


def test_canonical_order_of_hex_keys_equals_string_order():
    from sampling.strata import canonical_order

    keys = pd.Series([hashlib.sha256(str(i).encode()).hexdigest() for i in range(5000)])
    expected = np.argsort(keys.to_numpy(dtype=str), kind="stable")
    assert (canonical_order(keys) == expected).all()
    shared_prefix = pd.Series(["0" * 16 + "f" * 48, "0" * 16 + "e" * 48, "1" * 64])
    assert list(canonical_order(shared_prefix)) == [1, 0, 2]  # falls back to a full sort
    mixed_case = pd.Series(["b" * 16, "B" * 16, "a" * 16])
    assert list(canonical_order(mixed_case)) == [1, 2, 0]  # not hex: code-point order
