"""Read bounce messages: Delivery Status Notifications (RFC 3464) and plain mailer-daemon text.

Pure: the standard ``email`` package only (no Flask, SQLAlchemy or ``app``). A DSN comes back
to the VERP envelope sender of the message that failed, so the tag that says which e-mail
bounced is read from the DSN's own recipient headers (``Delivered-To``, ``X-Original-To``,
``Envelope-To``, ``To``), never from its content. Whether the tag is genuine is checked
elsewhere (``app/invitations/mail/bounces.py``).
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.parser import HeaderParser

RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "To")
TAG = re.compile(r"\+([ia][0-9]+\.[a-z0-9_-]+\.[0-9a-f]{12})@", re.IGNORECASE)
STATUS = re.compile(r"\b[245]\.[0-9]{1,3}\.[0-9]{1,3}\b")
REPORT_TYPES = ("message/delivery-status", "message/global-delivery-status")
DAEMONS = ("mailer-daemon", "postmaster", "mail-daemon")
TEXT_LIMIT = 20_000  # characters of a plain-text bounce that are searched for a status


class UnreadableMessageError(ValueError):
    """Not an e-mail message at all, or a delivery report without recipients."""


@dataclass(frozen=True)
class Bounce:
    """One recipient of a bounce: what happened to it and which sent e-mail it belongs to."""

    tag: str | None  # the VERP tag, lower case; None when no recipient header holds one
    action: str  # "failed", "delayed", "delivered", "relayed" or "expanded" (lower case)
    status: str  # enhanced status code, e.g. "5.1.1"; "" when the report gives none
    diagnostic: str = ""  # e.g. "smtp; 550 5.1.1 User unknown"
    final_recipient: str = ""  # the failed address (never logged)

    @property
    def permanent(self) -> bool:
        """A final failure (5.x.x): the address will not work."""
        return self.action == "failed" and self.status.startswith("5.")


def parse_bounce(raw: bytes) -> list[Bounce]:
    """The recipients a bounce reports on; [] for mail that is not a bounce (auto-replies).

    Raises UnreadableMessageError for bytes without any header field, and for a delivery report
    that names no recipient.
    """
    message = message_from_bytes(raw, policy=policy.default)
    if not message.keys():
        raise UnreadableMessageError("no header fields")
    tag = find_tag(message)
    report = next((part for part in _parts(message) if part.get_content_type() in REPORT_TYPES),
                  None)
    if report is not None:
        return _from_report(report, tag)
    return _from_text(message, tag)


def find_tag(message: EmailMessage) -> str | None:
    """The VERP tag in the first recipient header that holds ``+<tag>@``."""
    for name in RECIPIENT_HEADERS:
        for value in message.get_all(name) or []:
            match = TAG.search(str(value))
            if match:
                return match.group(1).lower()
    return None


def _parts(message: EmailMessage) -> Iterator[EmailMessage]:
    """The message and its multipart descendants, not descending into attached messages."""
    yield message
    if message.get_content_maintype() == "multipart" and message.is_multipart():
        for part in message.iter_parts():
            yield from _parts(part)


def _from_report(report: EmailMessage, tag: str | None) -> list[Bounce]:
    recipients = [fields for fields in _field_blocks(report)
                  if "action" in fields or "final-recipient" in fields]
    if not recipients:
        raise UnreadableMessageError("delivery report without recipients")
    return [Bounce(tag=tag, action=fields.get("action", "").lower(),
                   status=_status(fields.get("status", "")),
                   diagnostic=fields.get("diagnostic-code", ""),
                   final_recipient=fields.get("final-recipient", "").partition(";")[2].strip()
                   or fields.get("final-recipient", ""))
            for fields in recipients]


def _field_blocks(report: EmailMessage) -> list[dict[str, str]]:
    """The report's blocks of fields (per message, then per recipient), names lower case."""
    payload = report.get_payload()
    if not isinstance(payload, list):
        blocks = _parse_blocks(report.get_payload(decode=True))
    elif report.get_content_type() == "message/delivery-status":
        blocks = payload
    else:  # message/global-delivery-status is parsed like an attached message: header + body
        blocks = payload[:1] + _parse_blocks(payload[0].get_payload(decode=True))
    return [{name.lower(): " ".join(str(value).split()) for name, value in block.items()}
            for block in blocks]


def _parse_blocks(data: bytes | None) -> list[EmailMessage]:
    text = (data or b"").decode("utf-8", "replace").replace("\r\n", "\n")
    parser = HeaderParser(policy=policy.default)
    return [parser.parsestr(block.strip() + "\n") for block in re.split(r"\n\s*\n", text)
            if block.strip()]


def _status(value: str) -> str:
    match = STATUS.search(value)
    return match.group(0) if match else ""


def _from_text(message: EmailMessage, tag: str | None) -> list[Bounce]:
    """A non-standard bounce (e.g. qmail): a mailer daemon's text with a 5.x.x status."""
    sender = str(message.get("From", "")).lower()
    automatic = str(message.get("Auto-Submitted", "")).lower()
    if not any(daemon in sender for daemon in DAEMONS) or automatic.startswith("auto-replied"):
        return []
    body = message.get_body(("plain",))
    data = body.get_payload(decode=True) if body is not None else None
    text = (data or b"").decode("utf-8", "replace")[:TEXT_LIMIT]
    for line in text.splitlines():
        status = _status(line)
        if status.startswith("5."):
            return [Bounce(tag=tag, action="failed", status=status,
                           diagnostic=" ".join(line.split()))]
    return []
