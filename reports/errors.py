"""Errors raised by the reports library; all are ``ValueError`` subclasses."""


class ReportsError(ValueError):
    """Base class for every error of the reports library."""


class WeightingError(ReportsError):
    """Weights cannot be computed from these data and margins."""


class RakingDidNotConverge(WeightingError):
    """Iterative proportional fitting did not reach the tolerance within ``max_iter``."""
