"""Parse and validate a municipal population-register export (CSV or XLSX).

``reader`` is the entry point (:func:`read_register`, :func:`iter_register_chunks`); ``source``
and ``xlsx`` turn a file into rows of text, ``headers`` recognises the columns, ``frame`` makes
canonical frames from chunks with ``checks``, ``values``, ``consistency``, ``derived`` and
``nationality``; ``tracking`` keeps whole-file bookkeeping and ``keys`` the person keys.
"""

from sampling.register.frame import CANONICAL_COLUMNS
from sampling.register.headers import REQUIRED_COLUMNS, map_headers
from sampling.register.keys import person_keys
from sampling.register.reader import (
    DEFAULT_MAX_ROWS,
    RegisterParseResult,
    RowProblem,
    iter_register_chunks,
    read_register,
)
from sampling.register.values import DEFAULT_AGE_BANDS, age_band_label, age_bands_from

__all__ = [
    "CANONICAL_COLUMNS", "DEFAULT_AGE_BANDS", "DEFAULT_MAX_ROWS", "REQUIRED_COLUMNS",
    "RegisterParseResult", "RowProblem", "age_band_label", "age_bands_from",
    "iter_register_chunks", "map_headers", "person_keys", "read_register",
]
