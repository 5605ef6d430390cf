"""``flask register import PATH --reference-date YYYY-MM-DD --legal-basis TEXT [--dry-run]``."""

from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup

from app.extensions import db
from app.models import RegisterImport
from app.register import districts, services
from sampling.register.headers import DUTCH_NAMES

register_cli = AppGroup("register", help="Population register imports.")
FileArgument = click.Path(exists=True, dir_okay=False, path_type=Path)


@register_cli.command("import")
@click.argument("path", type=FileArgument)
@click.option("--reference-date", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="Reference date of the export (ages are computed on it).")
@click.option("--legal-basis", required=True,
              help="Reference of the council or college decision that fixes the purpose.")
@click.option("--dry-run", is_flag=True, help="Validate and summarise; change nothing.")
@click.option("--max-error-share", default=0.05, show_default=True,
              help="Reject the file when more than this share of rows has errors.")
@click.option("--minimum-age", default=16, show_default=True)
@click.option("--districts", "street_table", type=FileArgument,
              help="CSV street;postcode;district (or street;district) for exports without wijk.")
@click.option("--chunked/--whole", default=None,
              help="Parse chunk by chunk in bounded memory (default: when the file is large).")
@click.option("--chunk-rows", default=200_000, show_default=True, type=click.IntRange(1000))
@click.option("--confirm-departures", is_flag=True,
              help="Import even when a large share of current residents would leave the frame.")
def import_command(path: Path, reference_date, legal_basis: str, dry_run: bool, **options) -> None:
    """Import a register export (CSV or XLSX); exits non-zero when the file is rejected."""
    try:
        record = _run(path, reference_date.date(), legal_basis, dry_run, **options)
    except (services.RegisterFileError, services.ImportRefusedError,
            districts.StreetTableError) as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    _print_summary(record, dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    if record.status == "rejected" or (dry_run and services.too_many_errors(record)) or (
            not dry_run and record.status == "preview"):
        raise SystemExit(1)


def _run(path: Path, reference_date: date, legal_basis: str, dry_run: bool, *,
         max_error_share: float, minimum_age: int, street_table: Path | None,
         chunked: bool | None, chunk_rows: int, confirm_departures: bool) -> RegisterImport:
    table = districts.read_street_table(street_table.read_bytes()) if street_table else None
    record = services.start_import(path, filename=path.name, reference_date=reference_date,
                                   legal_basis=legal_basis, max_error_share=max_error_share,
                                   minimum_age=minimum_age, street_districts=table)
    chunked = services.use_chunks(path) if chunked is None else chunked
    if dry_run:
        services.preview_import(record, path, chunked=chunked, progress=_echo_progress,
                                chunk_rows=chunk_rows)
    else:
        services.commit_import(record, path, chunked=chunked, progress=_echo_progress,
                               chunk_rows=chunk_rows, confirm_departures=confirm_departures)
    return record


def _echo_progress(rows: int) -> None:
    click.echo(f"  verwerkt: {rows} rijen", err=True)


def _print_summary(record, dry_run: bool) -> None:
    click.echo(f"{'Proefimport' if dry_run else 'Import'} {record.filename} "
               f"(peildatum {record.reference_date:%d/%m/%Y})")
    click.echo(f"  rijen: {record.total_rows}, geldig: {record.valid_rows}, "
               f"afgewezen: {record.error_rows}, waarschuwingen: {record.warning_count}")
    click.echo(f"  nieuw: {record.new_count}, gewijzigd: {record.updated_count}, "
               f"verhuisd: {record.moved_count}, vertrokken: {record.left_count}, "
               f"ongewijzigd: {record.unchanged_count}")
    for problem in record.problems[:20]:
        column = (f" [{DUTCH_NAMES.get(problem['column'], problem['column'])}]"
                  if problem["column"] else "")
        click.echo(f"  regel {problem['line']}{column}: {problem['message']} "
                   f"({'fout' if problem['severity'] == 'error' else 'waarschuwing'})")
    if len(record.problems) > 20:
        click.echo(f"  … en {len(record.problems) - 20} meer")
    if record.status == "rejected" or (record.status == "preview" and record.message):
        click.echo(record.message)
    elif dry_run:
        click.echo("  Proefimport: er werd niets opgeslagen.")
