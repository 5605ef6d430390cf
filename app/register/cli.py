"""``flask register import PATH --reference-date YYYY-MM-DD --legal-basis TEXT [--dry-run]``."""

from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup

from app.extensions import db
from app.register import services
from sampling.errors import RegisterFileError

register_cli = AppGroup("register", help="Population register imports.")


@register_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--reference-date", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="Reference date of the export (ages are computed on it).")
@click.option("--legal-basis", required=True,
              help="Reference of the council or college decision that fixes the purpose.")
@click.option("--dry-run", is_flag=True, help="Validate and summarise; change nothing.")
@click.option("--max-error-share", default=0.05, show_default=True,
              help="Reject the file when more than this share of rows has errors.")
@click.option("--minimum-age", default=16, show_default=True)
def import_command(path: Path, reference_date, legal_basis: str, dry_run: bool,
                   max_error_share: float, minimum_age: int) -> None:
    """Import a register export (CSV or XLSX); exits non-zero when the file is rejected."""
    data = path.read_bytes()
    try:
        record = services.import_register_bytes(
            data, filename=path.name, reference_date=date.fromisoformat(
                reference_date.date().isoformat()),
            legal_basis=legal_basis, max_error_share=max_error_share, minimum_age=minimum_age,
        ) if not dry_run else _dry_run(data, path.name, reference_date.date(), legal_basis,
                                       max_error_share, minimum_age)
    except (RegisterFileError, services.ImportRefusedError) as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    _print_summary(record, dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    if record.status == "rejected" or (dry_run and services.too_many_errors(record)):
        raise SystemExit(1)


def _dry_run(data, filename, reference_date, legal_basis, max_error_share, minimum_age):
    record = services.start_import(data, filename=filename, reference_date=reference_date,
                                   legal_basis=legal_basis, max_error_share=max_error_share,
                                   minimum_age=minimum_age)
    parsed = services.parse(data, reference_date=reference_date, filename=filename,
                            minimum_age=minimum_age)
    services.summarise(record, parsed)
    return record


def _print_summary(record, dry_run: bool) -> None:
    click.echo(f"{'Proefimport' if dry_run else 'Import'} {record.filename} "
               f"(peildatum {record.reference_date:%d/%m/%Y})")
    click.echo(f"  rijen: {record.total_rows}, geldig: {record.valid_rows}, "
               f"afgewezen: {record.error_rows}, waarschuwingen: {record.warning_count}")
    click.echo(f"  nieuw: {record.new_count}, gewijzigd: {record.updated_count}, "
               f"verhuisd: {record.moved_count}, vertrokken: {record.left_count}, "
               f"ongewijzigd: {record.unchanged_count}")
    for problem in record.problems[:20]:
        column = f" [{problem['column']}]" if problem["column"] else ""
        click.echo(f"  regel {problem['line']}{column}: {problem['message']} "
                   f"({'fout' if problem['severity'] == 'error' else 'waarschuwing'})")
    if len(record.problems) > 20:
        click.echo(f"  … en {len(record.problems) - 20} meer")
    if record.status == "rejected":
        click.echo(record.message)
    elif dry_run:
        click.echo("  Proefimport: er werd niets opgeslagen.")
