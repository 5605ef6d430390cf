"""Command-line tools: users, demo data, background workers."""

import secrets

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup

from app import jobs
from app.extensions import db
from app.models import ROLES, User

users_cli = AppGroup("users", help="Staff accounts.")
jobs_cli = AppGroup("jobs", help="Background jobs.")

DEMO_USERS = (
    ("admin@demo.stadspanel.be", "Ada Beheer", "admin"),
    ("onderzoek@demo.stadspanel.be", "Rik Onderzoek", "researcher"),
    ("invoer@demo.stadspanel.be", "Ines Invoer", "data_entry"),
    ("invoer2@demo.stadspanel.be", "Ivo Invoer", "data_entry"),
    ("raad@demo.stadspanel.be", "Rita Raadslid", "councillor"),
)
DEMO_PASSWORD = "demo-stadspanel-2026"


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--name", default=None, help="Full name (default: the e-mail address).")
@click.password_option(prompt="Wachtwoord", help="At least 12 characters.")
def create_user_command(email: str, role: str, name: str | None, password: str) -> None:
    """Create a staff account with one role."""
    from app.admin.services import UserError, create_user

    try:
        user = create_user(email, name or email, role, password)
    except UserError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Gebruiker {user.email} aangemaakt met rol {user.role}.")


@jobs_cli.command("resume")
def resume_command() -> None:
    """Re-dispatch jobs that were queued or running when a process stopped."""
    ids = jobs.resume_unfinished()
    click.echo(f"{len(ids)} taken opnieuw gestart.")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run an RQ worker for background jobs (needs REDIS_URL); start as many as you like."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("REDIS_URL is niet ingesteld: taken lopen dan in het proces.")
    from redis import Redis
    from rq import Worker

    Worker([jobs.QUEUE_NAME], connection=Redis.from_url(url)).work(burst=burst)


@click.command("demo")
@click.option("--residents", default=40_000, show_default=True)
@click.option("--seed", default=2026, show_default=True)
def demo_command(residents: int, seed: int) -> None:
    """Load the demo city (register, users) into an empty database."""
    from app.demo.loader import load_demo

    if db.session.scalar(sa.select(sa.func.count()).select_from(User)):
        click.echo("De database bevat al gegevens; demo niet geladen.")
        return
    summary = load_demo(residents=residents, seed=seed, password=DEMO_PASSWORD,
                        users=DEMO_USERS)
    click.echo(summary)
    click.echo(f"Demo-aanmelding: {DEMO_USERS[0][0]} / {DEMO_PASSWORD} (alle demo-accounts "
               "hebben hetzelfde wachtwoord)")


@click.command("generate-secret")
def generate_secret_command() -> None:
    """Print a random secret for SECRET_KEY or PERSON_KEY_SECRET."""
    click.echo(secrets.token_hex(32))


def register(app: Flask) -> None:
    from app.draws.cli import draws_cli
    from app.invitations.mail.cli import mail_cli
    from app.juries.cli import juries_cli
    from app.privacy.cli import COMMANDS as PRIVACY_COMMANDS
    from app.register.cli import register_cli

    app.cli.add_command(register_cli)
    app.cli.add_command(draws_cli)
    app.cli.add_command(juries_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(worker_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(generate_secret_command)
    for command in PRIVACY_COMMANDS:
        app.cli.add_command(command)
