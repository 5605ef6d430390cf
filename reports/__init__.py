"""Pure reports library: weighting, estimates and PDF/XLSX rendering.

Never imports Flask, SQLAlchemy or ``app``; exchanges DataFrames, Series and bytes.
"""

from reports.errors import RakingDidNotConverge, ReportsError, WeightingError

__all__ = ["RakingDidNotConverge", "ReportsError", "WeightingError"]
