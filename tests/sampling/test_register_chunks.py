"""iter_register_chunks: same answers as read_register, in bounded pieces."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from sampling.register import iter_register_chunks, read_register
from tests.sampling.test_register_support import REFERENCE, csv_bytes, person


@pytest.fixture
def register_file() -> bytes:
    rows = [person(serial, huishoudnummer=f"H{serial // 4}") for serial in range(1, 60, 2)]
    rows.insert(17, dict(rows[2]))                          # identical duplicate, later chunk
    rows.insert(25, person(5, straat="Molenstraat"))        # conflicting duplicate of row 3
    rows.insert(12, person(99, geboortedatum="31/02/1980", huishoudnummer="H1"))
    return csv_bytes(rows)


def test_chunks_agree_with_one_read(register_file):
    whole = read_register(register_file, reference_date=REFERENCE)
    parts = list(iter_register_chunks(io.BytesIO(register_file), reference_date=REFERENCE,
                                      chunk_rows=7))
    assert len(parts) == 5
    combined = pd.concat([part.frame for part in parts], ignore_index=True)
    pd.testing.assert_frame_equal(combined, whole.frame)
    problems = [problem for part in parts for problem in part.errors]
    assert problems == whole.errors
    assert [(problem.line, problem.severity) for problem in problems] == [
        (14, "error"), (20, "warning"), (28, "error")]
    assert sum(part.total_rows for part in parts) == whole.total_rows == 33


def test_household_sizes_span_chunks(register_file):
    parts = iter_register_chunks(register_file, reference_date=REFERENCE, chunk_rows=3)
    frame = pd.concat([part.frame for part in parts], ignore_index=True)
    sizes = frame.groupby("household_id")["household_size"].first()
    assert sizes["H1"] == 3  # two valid people plus the rejected 31/02 row
    assert sizes["H0"] == 2 and sizes["H2"] == 2
    assert sizes["H5"] == 3  # 21, 23 and the rejected conflicting duplicate of person 5


def test_unknown_option_is_refused(register_file):
    with pytest.raises(TypeError, match="colour"):
        next(iter_register_chunks(register_file, reference_date=REFERENCE, colour="red"))
