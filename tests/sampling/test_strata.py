import hashlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sampling.canonical import canonical_serialisation, frame_hash
from sampling.errors import SamplingError
from sampling.strata import (
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
    keys = frame.assign(person_key=["é", "Z", "a", "a\x00"])
    text = "person_key\tsex\nZ\tM\na\tF\na\x00\tU\né\tF\n"
    assert frame_hash(keys, ["sex"]) == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_frame_hash_rejects_duplicate_keys(frame):
    with pytest.raises(SamplingError, match="dubbele"):
        frame_hash(frame.assign(person_key=["a", "b", "a", "c"]), ["sex"])


def test_canonical_order_of_hex_keys_equals_string_order():
    from sampling.canonical import canonical_order

    keys = pd.Series([hashlib.sha256(str(i).encode()).hexdigest() for i in range(5000)])
    expected = np.argsort(keys.to_numpy(dtype=str), kind="stable")
    assert (canonical_order(keys) == expected).all()
    shared_prefix = pd.Series(["0" * 16 + "f" * 48, "0" * 16 + "e" * 48, "1" * 64])
    assert list(canonical_order(shared_prefix)) == [1, 0, 2]  # falls back to a full sort
    mixed_case = pd.Series(["b" * 16, "B" * 16, "a" * 16])
    assert list(canonical_order(mixed_case)) == [1, 2, 0]  # not hex: code-point order


def _reference_text(frame, columns):
    """The documented serialisation, written the slow and obvious way (see frame_hash)."""
    def cell(value):
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return "\\N"
        text = str(value)
        for raw, escaped in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
            text = text.replace(raw, escaped)
        return text

    names = ["person_key", *columns]
    rows = sorted(frame[names].itertuples(index=False), key=lambda row: row[0])
    return "".join("\t".join(map(cell, row)) + "\n" for row in [names, *rows])


_TEXT = st.one_of(
    st.sampled_from(["18-24", "M", "F", "Centrum", "Sint-Jan\tOost", "a\\b", "é", "", "x\ny\r"]),
    st.text(max_size=6),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    keys=st.one_of(
        st.lists(st.text(min_size=1, max_size=8), min_size=0, max_size=30, unique=True),
        st.lists(st.text("0123456789abcdef", min_size=16, max_size=20),
                 min_size=1, max_size=30, unique=True),
    ),
    data=st.data(),
)
def test_frame_hash_equals_the_plain_reference_serialisation(keys, data):
    size = len(keys)
    frame = pd.DataFrame({
        "person_key": keys,
        "district": data.draw(st.lists(st.one_of(st.none(), _TEXT), min_size=size, max_size=size)),
        "size": data.draw(st.lists(st.one_of(st.none(), st.integers(-3, 12), st.floats()),
                                   min_size=size, max_size=size)),
    }, dtype=object)
    expected = _reference_text(frame, ["district", "size"])
    assert frame_hash(frame, ["district", "size"]) == hashlib.sha256(
        expected.encode("utf-8")
    ).hexdigest()
    order, data_bytes = canonical_serialisation(frame, ["person_key", "district", "size"])
    assert data_bytes.decode("utf-8") == expected
    assert [frame["person_key"].iloc[i] for i in order] == sorted(keys)


def test_hex_keys_sharing_their_first_16_characters_are_sorted_in_full():
    keys = ["0123456789abcdef" + tail for tail in ("ff", "0", "e\t", "")]
    frame = pd.DataFrame({"person_key": keys, "sex": ["M", "F", "M", "F"]})
    assert canonical_serialisation(frame, ["person_key", "sex"])[1].decode() == (
        _reference_text(frame, ["sex"])
    )
