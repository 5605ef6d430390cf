"""``flask juries verify ID``: replay every lottery of a jury (both phases) and compare."""

import click
from flask.cli import AppGroup

from app.extensions import db
from app.juries import ceremony, retention
from app.models import Jury

juries_cli = AppGroup("juries", help="Juries and mini-publics drawn by lot.")


@juries_cli.command("verify")
@click.argument("jury_id", type=int)
def verify_command(jury_id: int) -> None:
    """Replay the lotteries of jury JURY_ID; exit 1 unless every one matches."""
    jury = db.session.get(Jury, jury_id)
    if jury is None:
        raise click.ClickException(f"Jury {jury_id} bestaat niet.")
    if not jury.lotteries:
        raise click.ClickException(f"Jury {jury_id} heeft nog geen loting.")
    results = ceremony.verify(jury)
    for record, replay in results:
        click.echo(f"Loting {record.id} ({record.kind}): zaad {record.seed}, algoritme "
                   f"{record.algorithm}, poolhash {record.pool_hash}")
        click.echo(f"  portefeuillehash {record.portfolio_hash}, gekozen panel "
                   f"{record.chosen_number}: {', '.join(record.chosen) or '—'}")
        for difference in replay.differences:
            click.echo(f"  verschil: {difference}")
        click.echo("  " + ("klopt" if replay.ok else "KLOPT NIET"))
    current = ceremony.current_pool_hash(jury)
    same = current == results[-1][0].pool_hash
    state = "ongewijzigd" if same else f"gewijzigd ({current})"
    click.echo(f"De pool in de databank is {state} sinds de laatste loting.")
    if not all(replay.ok for _, replay in results):
        click.echo("NIET BEVESTIGD: minstens één loting verschilt bij herhaling.")
        raise SystemExit(1)
    click.echo("BEVESTIGD: elke loting geeft bij herhaling exact dezelfde portefeuille en "
               "hetzelfde panel.")


@juries_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only count.")
def purge_command(dry_run: bool) -> None:
    """Unlink unselected candidates whose study's retention period has passed."""
    if dry_run:
        click.echo(f"{retention.plan()} kandidaten zouden ontkoppeld worden.")
        return
    count = retention.purge()
    db.session.commit()
    click.echo(f"{count} kandidaten ontkoppeld (pseudoniem en kenmerken blijven).")
