"""``flask draws verify ID``: replay a stored draw and confirm the identical selection."""

import click
from flask.cli import AppGroup

from app.draws import services
from app.extensions import db
from app.models import Draw

draws_cli = AppGroup("draws", help="Stratified random draws.")


@draws_cli.command("verify")
@click.argument("draw_id", type=int)
def verify_command(draw_id: int) -> None:
    """Re-run draw DRAW_ID from its stored frame snapshot; exit 1 unless identical."""
    draw = db.session.get(Draw, draw_id)
    if draw is None:
        raise click.ClickException(f"Trekking {draw_id} bestaat niet.")
    result = services.verify(draw)
    click.echo(f"Trekking {draw.id}: seed {draw.seed}, algoritme {draw.algorithm}")
    click.echo(f"  kader-hash opgeslagen: {draw.frame_hash}")
    click.echo(f"  kader-hash klopt: {'ja' if result.frame_hash_matches else 'NEE'}")
    current = services.current_frame_hash(draw)
    click.echo("  het huidige kader is " + ("ongewijzigd" if current == draw.frame_hash
                                            else f"gewijzigd sinds de trekking ({current})"))
    for difference in result.differences[:20]:
        click.echo(f"  verschil: {difference}")
    if not result.ok:
        click.echo("NIET BEVESTIGD: de herhaalde trekking verschilt.")
        raise SystemExit(1)
    click.echo("BEVESTIGD: de herhaalde trekking selecteert exact dezelfde personen.")
