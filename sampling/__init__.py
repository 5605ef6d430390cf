"""Pure sampling library: register parsing, strata, allocation and draws.

Never imports Flask, SQLAlchemy or ``app``; exchanges DataFrames and plain values.
"""

from sampling.allocation import allocate, allocate_target_completes
from sampling.canonical import frame_hash
from sampling.draw import ALGORITHM, DrawResult, describe_algorithm, stratified_sample, verify_draw
from sampling.errors import InfeasibleQuota, RegisterFileError, SamplingError
from sampling.register import RegisterParseResult, RowProblem, iter_register_chunks, read_register
from sampling.strata import stratum_labels, stratum_sizes
from sampling.topup import propose_topup, topup_shortfall

__all__ = [
    "ALGORITHM", "DrawResult", "InfeasibleQuota", "RegisterFileError", "RegisterParseResult",
    "RowProblem", "SamplingError", "allocate", "allocate_target_completes", "describe_algorithm",
    "frame_hash", "iter_register_chunks", "propose_topup", "read_register", "stratified_sample",
    "stratum_labels", "stratum_sizes", "topup_shortfall", "verify_draw",
]
