"""Invitation e-mails: the message (plain text and HTML) and an SMTP connection that classifies
failures.

A synchronous 5xx reply to RCPT or DATA is a hard bounce: the address is undeliverable and is
never tried again. A 4xx reply, a dropped connection or a timeout is temporary: the mail is
deferred and retried later. A refused envelope sender (MAIL FROM) is our configuration, not the
resident's address, so it is deferred too, whatever its code.

Asynchronous bounces (the relay accepts the mail, the destination later mails back a DSN) are
not seen here: ``send`` takes the VERP envelope sender that ``bounces.py`` (this package) signs
per e-mail, and ``flask mail bounces MAILDIR`` reads the DSNs that come back to it (``dsn.py``
parses them).
"""

import contextlib
import html
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from app.invitations.letters.content import PRIVACY_LABELS, LetterTemplate, fill_template


@dataclass(frozen=True)
class MailResult:
    status: str  # "sent", "bounced" (5xx) or "deferred" (4xx, connection trouble)
    code: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 30

    @classmethod
    def from_config(cls, config: Mapping) -> "MailSettings":
        return cls(config["SMTP_HOST"], int(config["SMTP_PORT"]), config["MAIL_FROM"],
                   config.get("SMTP_USER"), config.get("SMTP_PASSWORD"),
                   bool(config.get("SMTP_STARTTLS")), config.get("MAIL_TIMEOUT_SECONDS", 30))


def build_message(*, to: str, sender: str, template: LetterTemplate, values: Mapping[str, str],
                  reminder: bool, unsubscribe_url: str) -> EmailMessage:
    """A personal invitation with plain-text and HTML parts and the Art. 14 notice."""
    subject = fill_template(template.reminder_subject if reminder else template.subject, values)
    body = fill_template(template.reminder_body if reminder else template.body, values)
    closing = fill_template(template.closing, values)
    instructions = (f"Doe mee via uw persoonlijke link: {values['link']}\n"
                    f"Of surf naar {values['website']} en typ uw code: {values['code']}")
    unsubscribe = f"Geen e-mails meer van ons? Meld u af: {unsubscribe_url}"
    privacy = _privacy_lines(template)
    text = "\n\n".join([body, instructions, closing, *privacy, unsubscribe]) + "\n"
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = subject, sender, to
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(_html(subject, body, values, closing, privacy, unsubscribe_url),
                            subtype="html")
    return message


def _privacy_lines(template: LetterTemplate) -> list[str]:
    labels = PRIVACY_LABELS["nl"]
    notice = template.privacy
    names = ("controller", "dpo_contact", "purpose", "legal_basis", "source", "data_categories",
             "recipients", "retention", "rights", "objection", "complaint")
    return [labels["title"]] + [f"{labels[name]} {getattr(notice, name)}" for name in names]


def _html(subject: str, body: str, values: Mapping[str, str], closing: str,
          privacy: list[str], unsubscribe_url: str) -> str:
    def paragraphs(text: str) -> str:
        return "".join(f"<p>{html.escape(part).replace(chr(10), '<br>')}</p>"
                       for part in text.split("\n\n") if part.strip())

    link = html.escape(values["link"], quote=True)
    return (
        f'<!doctype html><html lang="nl"><head><meta charset="utf-8">'
        f"<title>{html.escape(subject)}</title></head><body>{paragraphs(body)}"
        f'<p><a href="{link}">Doe mee via uw persoonlijke link</a></p>'
        f"<p>Of surf naar {html.escape(values['website'])} en typ uw code: "
        f"<strong>{html.escape(values['code'])}</strong></p>{paragraphs(closing)}"
        f"<h2>{html.escape(privacy[0])}</h2>"
        + "".join(f"<p>{html.escape(line)}</p>" for line in privacy[1:])
        + f'<p><a href="{html.escape(unsubscribe_url, quote=True)}">Geen e-mails meer van ons? '
        f"Meld u af.</a></p></body></html>")


class SmtpConnection:
    """One SMTP session for a batch, reopened after the server drops it."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> "SmtpConnection":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._smtp.quit()
            self._smtp = None

    def _open(self) -> smtplib.SMTP:
        if self._smtp is None:
            settings = self.settings
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
            if settings.starttls:
                smtp.starttls()
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            self._smtp = smtp
        return self._smtp

    def send(self, message: EmailMessage, envelope_from: str | None = None) -> MailResult:
        """Send one message; never raises for SMTP or network failures.

        ``envelope_from`` is the SMTP MAIL FROM (Return-Path); None uses the From header.
        """
        try:
            self._open().send_message(message, from_addr=envelope_from)
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            return _classified(code, reply)
        except smtplib.SMTPSenderRefused as error:
            self.close()
            return MailResult("deferred", error.smtp_code, _text(error.smtp_error)[:500])
        except smtplib.SMTPResponseException as error:
            self.close()
            return _classified(error.smtp_code, error.smtp_error)
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            return MailResult("deferred", None, type(error).__name__)
        return MailResult("sent")


def _classified(code: int, reply: bytes | str) -> MailResult:
    status = "bounced" if 500 <= code < 600 else "deferred"
    return MailResult(status, code, _text(reply)[:500])


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
