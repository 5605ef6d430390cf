"""Pure sampling library: register parsing, strata, allocation and draws.

Never imports Flask, SQLAlchemy or ``app``; exchanges DataFrames and plain values.
"""

from sampling.errors import InfeasibleQuota, RegisterFileError, SamplingError

__all__ = ["InfeasibleQuota", "RegisterFileError", "SamplingError"]
