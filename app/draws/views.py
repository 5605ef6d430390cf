import io
import re

import sqlalchemy as sa
from flask import Blueprint, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from app import audit
from app.draws import exports, services
from app.draws.forms import DrawForm
from app.draws.frame import Exclusions, parse_institution_addresses
from app.extensions import db
from app.forms import choices
from app.models import Draw, Panel
from app.privacy.studies import study_choices
from app.security import roles_required
from app.templating import stratum_label
from sampling.errors import SamplingError
from sampling.protocol import render_protocol_pdf
from sampling.strata import stratum_sizes
from sampling.summary import per_variable

bp = Blueprint("draws", __name__, url_prefix="/trekkingen")


@bp.get("/")
@roles_required("researcher")
def index():
    draws = db.session.scalars(sa.select(Draw).order_by(Draw.id.desc()).limit(100)).all()
    return render_template("draws/index.html", draws=draws)


def _form() -> DrawForm:
    form = DrawForm()
    panels = db.session.scalars(sa.select(Panel).order_by(Panel.name)).all()
    form.panel_id.choices = [(0, "—")] + [(panel.id, panel.name) for panel in panels]
    form.study_id.choices = choices([(0, "—"), *study_choices()])
    if not form.is_submitted() and len(form.study_id.choices) > 1:
        form.study_id.data = form.study_id.choices[1].value  # the latest study
    return form


def _rules(form: DrawForm) -> Exclusions:
    return Exclusions(
        minimum_age=form.minimum_age.data, opted_out=True,
        panel_id=form.panel_id.data or None if form.exclude_members.data else None,
        invited_within_months=form.invited_within_months.data or None,
        institution_addresses=parse_institution_addresses(form.institution_addresses.data or ""))


@bp.route("/nieuw", methods=["GET", "POST"])
@roles_required("researcher")
def new():
    form = _form()
    if not form.is_submitted() and request.args.get("aanvulling", "").isdigit():
        _prefill_topup(form, db.get_or_404(Panel, int(request.args["aanvulling"])))
    table, status = None, 200
    if form.validate_on_submit():
        try:
            table, draw = _preview_or_run(form)
        except SamplingError as error:
            form.form_errors.append(readable(str(error), list(form.strata.data or [])))
        else:
            if draw is not None:
                db.session.commit()
                return redirect(url_for("draws.show", draw_id=draw.id))
    if form.errors or form.form_errors:
        status = 422
    views = (per_variable(table, list(form.strata.data or []),
                          ["population", "eligible", "seats"]) if table is not None else {})
    return render_template("draws/new.html", form=form, table=table, views=views), status


def readable(message: str, strata: list[str]) -> str:
    """A sampling message with its stratum labels in words (``'18-24 | man | Centrum'``)."""
    return re.sub(r"'([^']+)'",
                  lambda found: f"'{stratum_label(found.group(1), strata)}'", message)


def _prefill_topup(form: DrawForm, panel: Panel) -> None:
    """The form for the top-up the panel page proposes: its strata, ages and numbers."""
    form.panel_id.data, form.purpose.data, form.method.data = panel.id, "topup", "fixed"
    form.strata.data = list(panel.strata)
    form.minimum_age.data = services.panel_minimum_age(panel)
    try:
        form.sample_size.data = sum(services.topup_targets(panel).values())
    except SamplingError as error:
        form.form_errors.append(str(error))


def _topup(form: DrawForm) -> tuple[list[str], int, dict]:
    """Strata, size and per-stratum targets of a top-up, recomputed from the panel now."""
    panel = db.session.get(Panel, form.panel_id.data) if form.panel_id.data else None
    if panel is None:
        raise SamplingError("Kies het panel dat u wilt aanvullen.")
    targets = services.topup_targets(panel)
    return list(panel.strata), sum(targets.values()), targets


def _preview_or_run(form: DrawForm):
    strata = list(form.strata.data or [])
    n, targets = form.sample_size.data, None
    if form.method.data == "fixed":
        strata, n, targets = _topup(form)
        form.strata.data, form.sample_size.data = strata, n
    rates = services.realised_rates(strata)
    default = float(form.response_rate.data) / 100
    frame, mask, _ = services.prepare(strata, _rules(form))
    seed = form.seed.data or services.new_seed()
    options = dict(minimum=form.minimum.data, targets=targets,
                   response_rates=_rates_for(frame, strata, rates, default))
    if not form.submit.data:
        table = services.allocation_table(frame, mask, strata, n, form.method.data, seed=seed,
                                          **options)
        if form.one_per_household.data:
            services.check_households(frame, mask, strata, table)
        return table, None
    panel = db.session.get(Panel, form.panel_id.data) if form.panel_id.data else None
    draw = services.run_draw(
        purpose=form.purpose.data, strata=strata, n=n,
        method=form.method.data, seed=seed, rules=_rules(form), panel=panel,
        reserve=form.reserve_percent.data / 100, one_per_household=form.one_per_household.data,
        user_id=current_user.id, study_id=form.study_id.data or None, **options)
    return None, draw


def _rates_for(frame, strata, realised: dict, default: float) -> dict:
    strata_present = stratum_sizes(frame, strata).index
    return {stratum: realised.get(stratum, default) for stratum in strata_present}


@bp.get("/<int:draw_id>")
@roles_required("researcher")
def show(draw_id: int):
    return _show_page(db.get_or_404(Draw, draw_id))


def _show_page(draw: Draw, **context):
    table = exports.stratum_frame(draw)
    views = per_variable(table, list(draw.strata), ["population", "eligible", "selected",
                                                    "reserve"]) if len(table) else {}
    return render_template("draws/show.html", draw=draw, views=views, **context)


@bp.get("/<int:draw_id>/protocol.pdf")
@roles_required("researcher")
def protocol(draw_id: int):
    draw = db.get_or_404(Draw, draw_id)
    data = render_protocol_pdf(exports.protocol_info(draw), exports.stratum_frame(draw))
    audit.record("draw_protocol_downloaded", draw)
    db.session.commit()
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=f"trekking-{draw.id}-protocol.pdf")


@bp.get("/<int:draw_id>/selectie.<any(csv, xlsx):extension>")
@roles_required("researcher")
def selection(draw_id: int, extension: str):
    draw = db.get_or_404(Draw, draw_id)
    data, mimetype = exports.selection_file(draw, extension)
    audit.record("draw_selection_exported", draw, details={"format": extension,
                                                          "personal_data": True})
    db.session.commit()
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True,
                     download_name=f"trekking-{draw.id}-selectie.{extension}")


@bp.post("/<int:draw_id>/verifieren")
@roles_required("researcher")
def verify(draw_id: int):
    draw = db.get_or_404(Draw, draw_id)
    result = services.verify(draw)
    audit.record("draw_verified", draw, details={"ok": result.ok})
    db.session.commit()
    return _show_page(draw, verification=result)
