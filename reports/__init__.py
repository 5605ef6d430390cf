"""Pure reports library: weighting, estimates and PDF/XLSX rendering.

Never imports Flask, SQLAlchemy or ``app``; exchanges DataFrames, Series and bytes.
"""

from reports.diagnostics import (
    effective_n,
    kish_deff,
    margin_check,
    r_indicator,
    weight_summary,
    weighting_efficiency,
)
from reports.errors import RakingDidNotConverge, ReportsError, WeightingError
from reports.estimates import make_design, weighted_means, weighted_proportions, weighted_totals
from reports.weighting import design_weights, poststratify, propensity_adjustment, rake, trim

__all__ = [
    "RakingDidNotConverge", "ReportsError", "WeightingError", "design_weights", "effective_n",
    "kish_deff", "make_design", "margin_check", "poststratify", "propensity_adjustment",
    "r_indicator", "rake", "trim", "weight_summary", "weighted_means", "weighted_proportions",
    "weighted_totals", "weighting_efficiency",
]
