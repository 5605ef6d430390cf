"""Reading bounces (app/invitations/mail/dsn.py): RFC 3464 reports from Postfix, Gmail and Exchange,
a plain qmail bounce, and mail that is no bounce at all."""

import ast
from pathlib import Path

import pytest

from app.invitations.mail.dsn import Bounce, UnreadableMessageError, parse_bounce

TAG = "i12.invite.0123456789ab"
VERP = f"bounces+{TAG}@panel.zennegem.be"

POSTFIX = f"""Return-Path: <>
Delivered-To: {VERP}
Received: by relay.zennegem.be (Postfix) id 4Xk2; Mon,  3 Mar 2025 10:00:05 +0100 (CET)
Date: Mon,  3 Mar 2025 10:00:05 +0100 (CET)
From: MAILER-DAEMON@relay.zennegem.be (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: {VERP}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="4Xk2.1740992405/relay.zennegem.be"
Message-Id: <20250303090005.4Xk2@relay.zennegem.be>

This is a MIME-encapsulated message.

--4Xk2.1740992405/relay.zennegem.be
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host relay.zennegem.be.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<jan@example.org>: host mx.example.org[192.0.2.7] said: 550 5.1.1
    <jan@example.org>: Recipient address rejected: User unknown (in reply to
    RCPT TO command)

--4Xk2.1740992405/relay.zennegem.be
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.zennegem.be
X-Postfix-Queue-ID: 4Xk2
X-Postfix-Sender: rfc822; {VERP}
Arrival-Date: Mon,  3 Mar 2025 10:00:03 +0100 (CET)

Final-Recipient: rfc822; jan@example.org
Original-Recipient: rfc822;jan@example.org
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 550 5.1.1 <jan@example.org>: Recipient address rejected:
    User unknown

--4Xk2.1740992405/relay.zennegem.be
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

Return-Path: <{VERP}>
From: panel@zennegem.be
To: jan@example.org
Subject: Doe mee aan Stadspanel Zennegem

--4Xk2.1740992405/relay.zennegem.be--
""".encode()

GMAIL = b"""Delivered-To: bounces@panel.zennegem.be
X-Original-To: bounces+a7.reminder1.00ff00ff00ff@panel.zennegem.be
Return-Path: <>
From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: bounces+a7.reminder1.00ff00ff00ff@panel.zennegem.be
Auto-Submitted: auto-replied
Subject: Delivery Status Notification (Failure)
MIME-Version: 1.0
Content-Type: multipart/report; boundary="000000000000abcd"; report-type=delivery-status

--000000000000abcd
Content-Type: multipart/related; boundary="000000000000ef01"

--000000000000ef01
Content-Type: multipart/alternative; boundary="000000000000ef02"

--000000000000ef02
Content-Type: text/plain; charset="UTF-8"

** Address not found **

Your message wasn't delivered to an.peeters@gmail.com because the address couldn't be found.

--000000000000ef02
Content-Type: text/html; charset="UTF-8"

<html><body><h1>Address not found</h1></body></html>

--000000000000ef02--
--000000000000ef01--
--000000000000abcd
Content-Type: message/delivery-status

Reporting-MTA: dns; googlemail.com
Received-From-MTA: dns; relay.zennegem.be
Arrival-Date: Tue, 04 Mar 2025 01:02:03 -0800 (PST)

Final-Recipient: rfc822; an.peeters@gmail.com
Action: failed
Status: 5.1.1
Remote-MTA: dns; gmail-smtp-in.l.google.com. (2a00:1450:400c:c0b::1b, the server for the
 domain gmail.com.)
Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does not exist.
 Please try double-checking the recipient's email address for typos or unnecessary spaces.
Last-Attempt-Date: Tue, 04 Mar 2025 01:02:04 -0800 (PST)

--000000000000abcd
Content-Type: text/rfc822-headers

From: panel@zennegem.be
To: an.peeters@gmail.com
Subject: Nieuwe bevraging: Buurtbevraging

--000000000000abcd--
"""

EXCHANGE = b"""Received: from AM0PR01MB1234.eurprd01.prod.exchangelabs.com
From: postmaster@contoso.com
To: <bounces+i3.invite.abcdefabcdef@panel.zennegem.be>
Subject: Undeliverable: Doe mee aan Stadspanel Zennegem
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="B_NDR"
MIME-Version: 1.0
X-MS-Exchange-Message-Is-Ndr:

--B_NDR
Content-Type: text/html; charset="us-ascii"

<html><body><p>Your message to jan@contoso.com couldn't be delivered.</p></body></html>

--B_NDR
Content-Type: message/delivery-status

Reporting-MTA: dns;AM0PR01MB1234.eurprd01.prod.exchangelabs.com
Received-From-MTA: dns;relay.zennegem.be
Arrival-Date: Tue, 4 Mar 2025 09:00:00 +0000

Final-Recipient: rfc822;jan@contoso.com
Action: failed
Status: 5.1.10
Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP
 address lookup

--B_NDR
Content-Type: message/rfc822

From: panel@zennegem.be
To: jan@contoso.com
Subject: Doe mee aan Stadspanel Zennegem
Content-Type: multipart/report; report-type=delivery-status; boundary="INNER"

--INNER
Content-Type: message/delivery-status

Reporting-MTA: dns; nowhere

Final-Recipient: rfc822; someone-else@example.org
Action: failed
Status: 5.0.0

--INNER--

--B_NDR--
"""

DELAYED = f"""Delivered-To: {VERP}
From: MAILER-DAEMON@relay.zennegem.be (Mail Delivery System)
To: {VERP}
Subject: Delayed Mail (still being retried)
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="D"

--D
Content-Type: text/plain

This is the mail system at host relay.zennegem.be.

--D
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.zennegem.be

Final-Recipient: rfc822; jan@example.org
Action: delayed
Status: 4.4.1
Diagnostic-Code: X-Postfix; connect to mx.example.org[192.0.2.7]:25: Connection timed out
Will-Retry-Until: Mon, 10 Mar 2025 10:00:03 +0100 (CET)

--D--
""".encode()

QMAIL = f"""Return-Path: <>
Delivered-To: {VERP}
From: MAILER-DAEMON@mx.example.org
To: {VERP}
Subject: failure notice

Hi. This is the qmail-send program at mx.example.org.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<jan@example.org>:
192.0.2.7 does not like recipient.
Remote host said: 550 5.1.1 <jan@example.org>... User unknown
Giving up on 192.0.2.7.
""".encode()

AUTO_REPLY = f"""Return-Path: <>
Delivered-To: {VERP}
From: Jan Peeters <jan@example.org>
To: {VERP}
Subject: Afwezig: Doe mee aan Stadspanel Zennegem
Auto-Submitted: auto-replied

Ik ben afwezig tot maandag. Dringend? Bel 5.1.1 op het onthaal.
""".encode()


def test_postfix_report_gives_the_failed_recipient_and_the_tag():
    assert parse_bounce(POSTFIX) == [Bounce(
        tag=TAG, action="failed", status="5.1.1",
        diagnostic="smtp; 550 5.1.1 <jan@example.org>: Recipient address rejected: User unknown",
        final_recipient="jan@example.org")]
    assert parse_bounce(POSTFIX)[0].permanent


def test_gmail_report_takes_the_tag_from_x_original_to_when_delivered_to_has_none():
    [bounce] = parse_bounce(GMAIL)
    assert bounce.tag == "a7.reminder1.00ff00ff00ff"
    assert (bounce.action, bounce.status) == ("failed", "5.1.1") and bounce.permanent
    assert bounce.diagnostic.startswith("smtp; 550-5.1.1 The email account that you tried")
    assert "Please try double-checking" in bounce.diagnostic  # folded line joined
    assert bounce.final_recipient == "an.peeters@gmail.com"


def test_exchange_report_reads_the_outer_report_not_the_returned_message():
    [bounce] = parse_bounce(EXCHANGE)
    assert bounce.tag == "i3.invite.abcdefabcdef"
    assert bounce.status == "5.1.10" and bounce.final_recipient == "jan@contoso.com"
    assert bounce.diagnostic.endswith("Recipient not found by SMTP address lookup")


def test_delayed_report_is_not_permanent():
    [bounce] = parse_bounce(DELAYED)
    assert (bounce.tag, bounce.action, bounce.status) == (TAG, "delayed", "4.4.1")
    assert not bounce.permanent
    failed_but_temporary = Bounce(tag=TAG, action="failed", status="4.4.7")
    assert not failed_but_temporary.permanent


def test_plain_qmail_bounce_is_read_from_its_text():
    [bounce] = parse_bounce(QMAIL)
    assert (bounce.tag, bounce.action, bounce.status) == (TAG, "failed", "5.1.1")
    assert bounce.diagnostic.startswith("Remote host said: 550 5.1.1")


def test_auto_reply_and_ordinary_mail_are_no_bounce():
    assert parse_bounce(AUTO_REPLY) == []
    spam = b"From: winner@example.net\nTo: bounces@panel.zennegem.be\nSubject: Prize\n\n5.1.1\n"
    assert parse_bounce(spam) == []


def test_daemon_text_without_a_permanent_status_is_no_bounce():
    warning = QMAIL.replace(b"550 5.1.1", b"451 4.2.1")
    assert parse_bounce(warning) == []


def test_report_without_a_tag_keeps_the_recipients_with_tag_none():
    untagged = POSTFIX.replace(f"+{TAG}".encode(), b"")
    assert [bounce.tag for bounce in parse_bounce(untagged)] == [None]


def test_report_with_two_recipients_gives_two_bounces():
    second = (b"\nFinal-Recipient: rfc822; piet@example.org\nAction: delayed\nStatus: 4.2.2\n"
              b"\n--4Xk2.1740992405/relay.zennegem.be\nContent-Description: Undelivered")
    raw = POSTFIX.replace(b"\n--4Xk2.1740992405/relay.zennegem.be\nContent-Description: "
                          b"Undelivered", second, 1)
    assert [(b.final_recipient, b.action, b.status) for b in parse_bounce(raw)] == [
        ("jan@example.org", "failed", "5.1.1"), ("piet@example.org", "delayed", "4.2.2")]


def test_utf8_global_delivery_status_is_read_too():
    raw = (POSTFIX.replace(b"Content-Type: message/delivery-status",
                           b"Content-Type: message/global-delivery-status")
           .replace(b"rfc822; jan@example.org", "utf-8; jozéf@voorbeeld.be".encode()))
    [bounce] = parse_bounce(raw)
    assert (bounce.status, bounce.final_recipient) == ("5.1.1", "jozéf@voorbeeld.be")


def test_garbage_and_reports_without_recipients_are_unreadable():
    with pytest.raises(UnreadableMessageError):
        parse_bounce(b"\x00\xff\xfe\x01 not an e-mail at all \x02\n\n\x03")
    with pytest.raises(UnreadableMessageError):
        parse_bounce(b"")
    empty = (b"From: MAILER-DAEMON@relay.zennegem.be\nMIME-Version: 1.0\nContent-Type: "
             b'multipart/report; report-type=delivery-status; boundary="E"\n\n--E\n'
             b"Content-Type: message/delivery-status\n\nReporting-MTA: dns; relay\n\n--E--\n")
    with pytest.raises(UnreadableMessageError):
        parse_bounce(empty)


def test_the_parser_is_pure():
    source = Path(__file__).resolve().parents[3] / "app" / "invitations" / "mail" / "dsn.py"
    imported = set()
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported <= {"re", "collections", "dataclasses", "email"}, imported
