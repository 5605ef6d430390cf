"""``flask backup PATH``, ``flask restore PATH``, ``flask retention run [--dry-run]`` and
``flask privacy dpia [--pdf PATH]``."""

from pathlib import Path

import click
from flask.cli import AppGroup

from app.extensions import db
from app.privacy import backup as backup_service
from app.privacy import dpia, retention

retention_cli = AppGroup("retention", help="Retention periods (GDPR Art. 5(1)(e)).")
privacy_cli = AppGroup("privacy", help="Privacy documents.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Write a full, consistent copy of the database to PATH."""
    try:
        backup_service.backup(path)
    except backup_service.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup geschreven naar {path} ({path.stat().st_size} bytes).")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite a database that is not empty.")
def restore_command(path: Path, force: bool) -> None:
    """Restore the backup at PATH into the configured (empty) database."""
    try:
        backup_service.restore(path, force=force)
    except backup_service.BackupError as error:
        raise click.ClickException(str(error)) from error
    counts = backup_service.fingerprint()
    rows = sum(count for count, _ in counts.values())
    click.echo(f"Teruggezet: {len(counts)} tabellen, {rows} rijen.")


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="Only count what would be removed.")
def retention_run_command(dry_run: bool) -> None:
    """Purge register data of people never drawn, and contact data after fieldwork."""
    report = retention.plan() if dry_run else retention.run()
    if not dry_run:
        from app.register import uploads

        removed = uploads.sweep()
        db.session.commit()
        click.echo(f"Achtergebleven registerbestanden verwijderd: {removed}")
    title = "Proefdraai (er werd niets gewist)" if dry_run else "Gewist"
    click.echo(f"{title}:")
    for name, count in report.as_dict().items():
        click.echo(f"  {name}: {count}")


@privacy_cli.command("dpia")
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the annex as PDF to this path.")
def dpia_command(pdf_path: Path | None) -> None:
    """Print the DPIA annex (Markdown) generated from the study and the settings."""
    text = dpia.dpia_markdown()
    click.echo(text)
    if pdf_path is not None:
        pdf_path.write_bytes(dpia.dpia_pdf(text))


COMMANDS = (backup_command, restore_command, retention_cli, privacy_cli)
