"""``flask mail bounces MAILDIR``: read the bounces (DSNs) delivered to the bounce address."""

import mailbox

import click
from flask.cli import AppGroup

from app.invitations.mail import bounces

mail_cli = AppGroup("mail", help="E-mail: bounces.")


@mail_cli.command("bounces")
@click.argument("maildir", type=click.Path(file_okay=False))
def bounces_command(maildir: str) -> None:
    """Mark the e-mails that bounced, from the DSNs in MAILDIR not yet flagged seen.

    Run it from cron; exit 1 only when a message could not be stored (it is retried).
    """
    try:
        counts = bounces.process_maildir(maildir)
    except (mailbox.NoSuchMailboxError, FileNotFoundError) as error:
        raise click.ClickException(f"{maildir} is geen Maildir (new/ en cur/ ontbreken).") \
            from error
    line = (f"{counts['bounced']} onbestelbaar, {counts['delayed']} uitgesteld, "
            f"{counts['ignored']} genegeerd, {counts['unreadable']} onleesbaar")
    if counts["error"]:
        line += f", {counts['error']} niet verwerkt (volgende keer opnieuw)"
    click.echo(line)
    if counts["error"]:
        raise SystemExit(1)
