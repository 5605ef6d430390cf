"""Invitation letters as one mail-merge PDF, ready for window envelopes.

Pure package: plain data in, PDF bytes out (reportlab; no Flask, SQLAlchemy or database).
``mail_merge`` renders the letters, ``content`` holds their texts and privacy notice, ``layout``
places them on the A4 page, ``envelopes`` the window profiles, ``addresses`` writes Belgian
addresses, ``calibration`` the calibration sheet and ``drawing`` the small drawing helpers.
"""

from app.invitations.letters.mail_merge import (
    Recipient,
    mailing_list_csv,
    render_calibration_sheet,
    render_letters,
    sort_recipients,
)

__all__ = [
    "Recipient", "mailing_list_csv", "render_calibration_sheet", "render_letters",
    "sort_recipients",
]
