"""Errors raised by the sampling library; all are ``ValueError`` subclasses."""


class SamplingError(ValueError):
    """Base class for every error of the sampling library."""


class RegisterFileError(SamplingError):
    """The register file as a whole cannot be read (not a table, no usable header, ...)."""


class InfeasibleQuota(SamplingError):
    """An allocation or quota cannot be met; the message names the stratum."""
