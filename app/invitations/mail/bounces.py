"""Asynchronous bounces: a signed VERP return path on every e-mail, and the DSNs read back.

With ``MAIL_BOUNCE_ADDRESS`` set (``bounces@panel.zennegem.be``) every recruitment and survey
e-mail leaves with the envelope sender ``bounces+<tag>@panel.zennegem.be``, where the tag is
``<kind><owner id>.<step>.<sig>``: kind ``i`` (invitation) or ``a`` (assignment) and ``sig`` the
first 12 hex characters of HMAC-SHA256(SECRET_KEY, "<kind><owner id>.<step>"). A bounce that
reaches that address names the exact e-mail; the signature stops a forged DSN from marking
arbitrary residents undeliverable. Changing SECRET_KEY makes the tags of e-mails already sent
unverifiable: their bounces are then ignored.

``flask mail bounces MAILDIR`` reads the DSNs delivered to a Maildir (``process_maildir``).
"""

import hashlib
import hmac
import logging
import mailbox
import re
from os import PathLike

import sqlalchemy as sa
from flask import current_app

from app import audit
from app.extensions import db
from app.invitations import services
from app.invitations.mail.dsn import Bounce, parse_bounce
from app.models import Assignment, Invitation, MailLog

OWNERS = {"i": "invitation_id", "a": "assignment_id"}
TAG = re.compile(r"([ia])([1-9][0-9]*)\.([a-z0-9_-]+)\.([0-9a-f]{12})")
OPEN_INVITATION = ("created", "sent", "reminded")  # joined or declined stays as it is
OUTCOMES = ("bounced", "delayed", "ignored", "unreadable", "error")
ADDRESS = re.compile(r"[^\s<>()\[\]\"',;:]+@[^\s<>()\[\]\"',;:]+")
log = logging.getLogger(__name__)


def _signature(payload: str) -> str:
    key = current_app.config["SECRET_KEY"]
    key = key if isinstance(key, bytes) else key.encode()
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()[:12]


def make_tag(kind: str, owner_id: int, step: str) -> str:
    payload = f"{kind}{owner_id}.{step}"
    return f"{payload}.{_signature(payload)}"


def return_path(kind: str, owner_id: int, step: str) -> str | None:
    """The VERP envelope sender of one e-mail; None when MAIL_BOUNCE_ADDRESS is unset."""
    address = current_app.config.get("MAIL_BOUNCE_ADDRESS")
    if not address:
        return None
    local, at, domain = address.rpartition("@")
    if not (at and local and domain):
        raise ValueError("MAIL_BOUNCE_ADDRESS moet een e-mailadres zijn (bounces@domein).")
    return f"{local}+{make_tag(kind, owner_id, step)}@{domain}"


def verify_tag(tag: str | None) -> tuple[str, int, str] | None:
    """(kind, owner id, step) of a genuine tag; None when it is malformed or forged."""
    match = TAG.fullmatch((tag or "").lower())
    if match is None:
        return None
    kind, owner_id, step, signature = match.groups()
    if not hmac.compare_digest(signature, _signature(f"{kind}{owner_id}.{step}")):
        return None
    return kind, int(owner_id), step


def apply(bounce: Bounce) -> str:
    """Mark the e-mail a bounce reports on; adds and flushes, the caller commits.

    ``bounced`` (a 5.x.x failure, newly marked), ``delayed`` (a 4.x.x or delayed report:
    nothing changes) or ``ignored`` (unknown or forged tag, already marked, other reports).
    """
    owner = verify_tag(bounce.tag)
    if owner is None:
        return "ignored"
    if not bounce.permanent:
        return "delayed" if bounce.action in ("failed", "delayed") else "ignored"
    kind, owner_id, step = owner
    entry = db.session.scalar(sa.select(MailLog).where(
        getattr(MailLog, OWNERS[kind]) == owner_id, MailLog.step == step))
    if entry is None or entry.status == "bounced":
        return "ignored"
    entry.status, entry.retry_after = "bounced", None
    entry.smtp_code, entry.error = _reply_code(bounce.diagnostic), _error_text(bounce)
    if kind == "i":
        _invitation_bounced(entry, bounce.status)
    else:
        _assignment_bounced(entry)
    audit.record("mail_bounced_async", entry,
                 details={OWNERS[kind]: owner_id, "step": step, "status": bounce.status})
    db.session.flush()
    return "bounced"


def _invitation_bounced(entry: MailLog, status: str) -> None:
    invitation = db.session.get(Invitation, entry.invitation_id)
    if invitation.status in OPEN_INVITATION:
        invitation.status = "undeliverable"
    services.add_events([invitation.id], f"mail_{entry.step}_bounced_async",
                        details={"status": status})


def _assignment_bounced(entry: MailLog) -> None:
    from app.surveys import distribution  # app.surveys imports this package's mailer

    distribution.email_bounced(db.session.get(Assignment, entry.assignment_id))


def _reply_code(diagnostic: str) -> int | None:
    """The SMTP reply code of an ``smtp;`` diagnostic (a DSN may carry none)."""
    match = re.match(r"\s*smtp\s*;\s*([2-5][0-9][0-9])\b", diagnostic, re.IGNORECASE)
    return int(match.group(1)) if match else None


def _error_text(bounce: Bounce) -> str:
    """Status and diagnostic, with addresses removed (a forwarding target we never had)."""
    limit = MailLog.__table__.c.error.type.length
    return ADDRESS.sub("[adres]", f"DSN {bounce.status}: {bounce.diagnostic}")[:limit]


def process_message(raw: bytes) -> str:
    """Parse and apply one bounce message; commits. ``unreadable`` when it cannot be parsed."""
    try:
        bounces = parse_bounce(raw)
    except Exception:  # a malformed message must never stop the run
        return "unreadable"
    outcomes = {apply(bounce) for bounce in bounces}
    db.session.commit()
    return next((outcome for outcome in ("bounced", "delayed") if outcome in outcomes), "ignored")


def process_maildir(path: str | PathLike) -> dict[str, int]:
    """Apply every message of the Maildir not yet flagged seen, then flag it seen.

    Commits per message. A message whose database work fails is rolled back, left unseen
    (retried next run) and counted as ``error``.
    """
    maildir = mailbox.Maildir(path, factory=None, create=False)
    counts = dict.fromkeys(OUTCOMES, 0)
    for key in sorted(maildir.keys()):
        try:
            message = maildir.get_message(key)
            if "S" in message.get_flags():
                continue
            raw = maildir.get_bytes(key)
        except (KeyError, OSError):  # removed meanwhile, or not readable
            log.warning("bounce message %s could not be read", key)
            counts["unreadable"] += 1
            continue
        try:
            outcome = process_message(raw)
        except Exception:
            db.session.rollback()
            log.exception("bounce message %s: processing failed", key)
            counts["error"] += 1
            continue
        counts[outcome] += 1
        message.set_subdir("cur")
        message.add_flag("S")
        maildir[key] = message
    return counts
