"""Whole-file bookkeeping across chunks: duplicate national numbers and household sizes.

Both keep compact numpy arrays (8 bytes a number or hash), so 6.8 million rows cost tens of
megabytes instead of a Python set of strings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_MIX = np.uint64(0x9E3779B97F4A7C15)


def _hashes(values: pd.Series) -> np.ndarray:
    return pd.util.hash_array(values.to_numpy(dtype=object))


class DuplicateTracker:
    """Remember every accepted national number with its line and a hash of its row data."""

    def __init__(self) -> None:
        self.numbers = np.empty(0, dtype=np.int64)
        self.lines = np.empty(0, dtype=np.int64)
        self.hashes = np.empty(0, dtype=np.uint64)

    def classify(self, numbers, lines, hashes) -> tuple[np.ndarray, np.ndarray]:
        """For each row: the line of the first row with that number (0 if it is the first)
        and whether the row's data is identical to that first row. Firsts are remembered."""
        numbers, lines, hashes = (np.asarray(a) for a in (numbers, lines, hashes))
        order = np.lexsort((lines, numbers))
        sorted_numbers = numbers[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = sorted_numbers[1:] != sorted_numbers[:-1]
        start = np.maximum.accumulate(np.where(first, np.arange(len(order)), 0))
        position = np.searchsorted(self.numbers, sorted_numbers)
        found = position < len(self.numbers)
        found[found] = self.numbers[position[found]] == sorted_numbers[found]
        reference_line = np.where(found, self.lines[np.minimum(position, len(self.lines) - 1)]
                                  if len(self.lines) else 0, lines[order][start])
        reference_hash = np.where(found, self.hashes[np.minimum(position, len(self.hashes) - 1)]
                                  if len(self.hashes) else 0, hashes[order][start])
        duplicate = found | ~first
        first_line = np.zeros(len(order), dtype=np.int64)
        identical = np.zeros(len(order), dtype=bool)
        first_line[order] = np.where(duplicate, reference_line, 0)
        identical[order] = duplicate & (hashes[order] == reference_hash)
        self._remember(order[first & ~found], numbers, lines, hashes)
        return first_line, identical

    def _remember(self, rows, numbers, lines, hashes) -> None:
        merged = np.concatenate([self.numbers, numbers[rows]])
        order = np.argsort(merged, kind="stable")
        self.numbers = merged[order]
        self.lines = np.concatenate([self.lines, lines[rows]])[order]
        self.hashes = np.concatenate([self.hashes, hashes[rows].astype(np.uint64)])[order]


class HouseholdCounter:
    """Count distinct national numbers per household id over every data row of a file."""

    def __init__(self) -> None:
        self._pairs: list[tuple[np.ndarray, np.ndarray]] = []
        self.keys = np.empty(0, dtype=np.uint64)
        self.counts = np.empty(0, dtype=np.int64)

    def add(self, households: pd.Series, numbers: pd.Series) -> None:
        """Add one chunk's household ids and compacted national numbers (blank ids ignored)."""
        present = households != ""
        household_hash = _hashes(households[present])
        pair_hash = household_hash * _MIX + _hashes(numbers[present])
        _, index = np.unique(pair_hash, return_index=True)
        self._pairs.append((pair_hash[index], household_hash[index]))

    def finish(self) -> None:
        """Combine the chunks; afterwards :meth:`sizes` answers."""
        pairs = np.concatenate([pair for pair, _ in self._pairs] or [np.empty(0, np.uint64)])
        homes = np.concatenate([home for _, home in self._pairs] or [np.empty(0, np.uint64)])
        _, index = np.unique(pairs, return_index=True)
        self.keys, self.counts = np.unique(homes[index], return_counts=True)
        self._pairs = []

    def sizes(self, households: pd.Series) -> np.ndarray:
        """Household size for each id (ids must have been added before :meth:`finish`)."""
        position = np.searchsorted(self.keys, _hashes(households))
        return self.counts[np.minimum(position, max(len(self.counts) - 1, 0))].astype(np.int64)
