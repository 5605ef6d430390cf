import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app import audit
from app.draws import services as draw_services
from app.extensions import db
from app.invitations.participation import SILENT_AFTER, participation, silent_active_members
from app.models import Member, Panel
from app.panels.forms import PanelForm
from app.security import roles_required
from sampling.errors import SamplingError

bp = Blueprint("panels", __name__, url_prefix="/panels")


@bp.route("/", methods=["GET", "POST"])
@roles_required("researcher")
def index():
    form = PanelForm()
    if form.validate_on_submit():
        if db.session.scalar(sa.select(Panel.id).where(Panel.name == form.name.data.strip())):
            form.name.errors.append(_("Er bestaat al een panel met deze naam."))
        else:
            panel = Panel(name=form.name.data.strip(), description=form.description.data or "",
                          target_size=form.target_size.data, strata=list(form.strata.data))
            db.session.add(panel)
            db.session.flush()
            audit.record("panel_created", panel)
            db.session.commit()
            flash(_("Panel aangemaakt."), "success")
            return redirect(url_for("panels.show", panel_id=panel.id))
    counts = dict(db.session.execute(
        sa.select(Member.panel_id, sa.func.count()).where(Member.status == "active")
        .group_by(Member.panel_id)).all())
    panels = db.session.scalars(sa.select(Panel).order_by(Panel.name)).all()
    return render_template("panels/index.html", form=form, panels=panels, counts=counts), (
        422 if form.errors else 200)


@bp.get("/<int:panel_id>")
@roles_required("researcher")
def show(panel_id: int):
    panel = db.get_or_404(Panel, panel_id)
    stats = participation(panel.id)
    table = draw_services.panel_composition(panel, stats)
    proposal, error = None, None
    try:
        proposal = draw_services.topup_proposal(panel, table)
    except SamplingError as exc:
        error = str(exc)
    views = draw_services.composition_by_variable(table, list(panel.strata)) if len(table) else {}
    return render_template("panels/show.html", panel=panel, table=table, proposal=proposal,
                           error=error, views=views,
                           minimum_age=draw_services.panel_minimum_age(panel),
                           silent=silent_active_members(panel.id, stats), silent_after=SILENT_AFTER)
