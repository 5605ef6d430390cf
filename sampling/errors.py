"""Errors raised by the sampling library; all are ``ValueError`` subclasses."""


class SamplingError(ValueError):
    """Base class for every error of the sampling library."""


class RegisterFileError(SamplingError):
    """The register file as a whole cannot be read (not a table, no usable header, ...)."""


class InfeasibleQuota(SamplingError):
    """An allocation or quota cannot be met; the message names the stratum."""


class MissingColumnsError(RegisterFileError):
    """Required register columns could not be recognised; the UI offers a column-mapping step.

    ``missing`` lists the canonical columns not found, ``headers`` the headers that were found.
    """

    def __init__(self, message: str, *, missing: list[str], headers: list[str]) -> None:
        super().__init__(message)
        self.missing = missing
        self.headers = headers
