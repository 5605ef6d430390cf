"""Errors of paper data entry; every message is Dutch and meant for the clerk or researcher."""


class EntryError(ValueError):
    """The requested entry step is not allowed now (message in Dutch)."""


class ClaimTakenError(EntryError):
    """A colleague is keying this pass of the form right now."""


class ChangedElsewhereError(EntryError):
    """The entry was changed or taken over by someone else since the page was loaded."""
