"""Juries: staff pages (pool, quotas, ceremony), the public lottery page and the candidacy."""

import io

import sqlalchemy as sa
from flask import abort, current_app, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import audit
from app.extensions import db
from app.forms import choices
from app.juries import candidacy, ceremony, mailing, services
from app.juries import lottery as engine
from app.juries.blueprint import bp
from app.juries.forms import (
    ActionForm,
    InviteForm,
    JuryForm,
    JuryMailForm,
    PanelPoolForm,
    PublishForm,
    SeedForm,
    UploadForm,
    quota_form,
)
from app.juries.protocol import render_jury_protocol
from app.juries.services import JuryError
from app.juries.upload import import_list
from app.models import Jury, JuryCandidate, JuryLottery, Panel
from app.privacy.studies import study_choices
from app.security import public, roles_required
from reports.safe import write_csv
from sampling.errors import SamplingError

FAILURES = (JuryError, SamplingError)


@bp.get("/juries/")
@roles_required("researcher", "councillor")
def index():
    juries = db.session.scalars(sa.select(Jury).order_by(Jury.id.desc())).all()
    return render_template("juries/index.html", juries=juries)


@bp.route("/juries/nieuw", methods=["GET", "POST"])
@roles_required("researcher")
def new():
    form = JuryForm()
    form.study_id.choices = choices([(0, "—"), *study_choices()])
    if form.validate_on_submit():
        try:
            values = services.JuryValues(
                form.name.data, form.purpose.data or "", form.panel_size.data,
                form.study_id.data or None, form.one_per_household.data,
                services.parse_self_features(form.self_features.data))
            jury = services.create_jury(values, user_id=current_user.id)
        except JuryError as error:
            form.self_features.errors = [*form.self_features.errors, str(error)]
        else:
            db.session.commit()
            return redirect(url_for("juries.show", jury_id=jury.id))
    status = 422 if form.errors else 200
    return render_template("juries/new.html", form=form), status


def _panel_form() -> PanelPoolForm:
    form = PanelPoolForm()
    panels = db.session.scalars(sa.select(Panel).order_by(Panel.name)).all()
    form.panel_id.choices = [(panel.id, panel.name) for panel in panels]
    return form


def _show(jury: Jury, status: int = 200, **context):
    forms = {"invite_form": InviteForm(), "panel_form": _panel_form(),
             "upload_form": UploadForm(), "publish_form": PublishForm(),
             "seed_form": SeedForm(), "action_form": ActionForm(), "mail_form": JuryMailForm(),
             **context}
    return render_template(
        "juries/show.html", jury=jury, labels=services.feature_labels(jury),
        candidates=services.candidates(jury), counts=services.counts(jury),
        invitations=candidacy.invitations(jury), **forms), status


@bp.get("/juries/<int:jury_id>")
@roles_required("researcher")
def show(jury_id: int):
    return _show(db.get_or_404(Jury, jury_id))


@bp.get("/juries/<int:jury_id>/overzicht")
@roles_required("researcher", "councillor")
def overview(jury_id: int):
    jury = db.get_or_404(Jury, jury_id)
    return render_template("juries/overview.html", jury=jury, labels=services.feature_labels(jury),
                           pool=services.counts(jury),
                           panel=services.counts(jury, ("selected",)),
                           members=[c.pseudonym for c in ceremony.members(jury)])


def _act(jury: Jury, action, *, form=None, message: str, target: str = "juries.show"):
    """Run ``action`` (a service call) for a POST form; commit and redirect, or show errors."""
    form = form or ActionForm()
    if not form.validate_on_submit():
        return _show(jury, 422, error=_("Het formulier is niet geldig: ") + "; ".join(
            f"{form[name].label.text}: {' '.join(map(str, errors))}"
            for name, errors in form.errors.items()))
    try:
        action(form)
    except FAILURES as error:
        db.session.rollback()
        return _show(jury, 422, error=str(error))
    db.session.commit()
    return redirect(url_for(target, jury_id=jury.id, bericht=message))


@bp.post("/juries/<int:jury_id>/uitnodigen")
@roles_required("researcher")
def invite(jury_id: int):
    jury = db.get_or_404(Jury, jury_id)

    def action(form) -> None:
        candidacy.invite_from_register(
            jury, n=form.number.data, minimum_age=form.minimum_age.data, seed=form.seed.data,
            deadline=form.deadline.data, user_id=current_user.id)
        mailing.attach_known_addresses(jury)

    return _act(jury, action, form=InviteForm(), message="uitgenodigd")


@bp.post("/juries/<int:jury_id>/brieven.pdf")
@roles_required("researcher")
def letters(jury_id: int):
    jury = db.get_or_404(Jury, jury_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        data = candidacy.letters_pdf(jury)
    except (ValueError, JuryError) as error:
        db.session.rollback()
        return _show(jury, 422, error=str(error))
    db.session.commit()
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=f"jury-{jury.id}-brieven.pdf")


@bp.post("/juries/<int:jury_id>/panelleden")
@roles_required("researcher")
def add_panel(jury_id: int):
    jury = db.get_or_404(Jury, jury_id)
    form = _panel_form()
    return _act(jury, lambda form: services.add_panel_members(
        jury, db.get_or_404(Panel, form.panel_id.data)), form=form, message="panelleden")


@bp.post("/juries/<int:jury_id>/lijst")
@roles_required("researcher")
def upload(jury_id: int):
    jury = db.get_or_404(Jury, jury_id)
    return _act(jury, lambda form: import_list(jury, form.file.data.read(),
                                               form.file.data.filename or ""),
                form=UploadForm(), message="lijst")


def _quota_rows(jury: Jury, form, rows: list[dict]) -> list[dict]:
    return [{**row, "min": form[f"min_{index}"].data, "max": form[f"max_{index}"].data}
            for index, row in enumerate(rows)]


@bp.route("/juries/<int:jury_id>/quota", methods=["GET", "POST"])
@roles_required("researcher")
def quotas(jury_id: int):
    jury = db.get_or_404(Jury, jury_id)
    rows = services.default_quotas(jury)
    form = quota_form(rows, services.feature_labels(jury), jury.panel_size,
                      formdata=request.form if request.method == "POST" else None)
    result, error = None, None
    if form.validate_on_submit():
        try:
            result = services.save_quotas(jury, _quota_rows(jury, form, rows))
        except FAILURES as problem:
            error = str(problem)
        db.session.commit()  # the audit event of the check, and the quotas when feasible
    status = 422 if form.errors or error or (result and not result.feasible) else 200
    return render_template("juries/quotas.html", jury=jury, form=form, rows=rows,
                           result=result, error=error, counts=services.counts(jury),
                           labels=services.feature_labels(jury)), status


@bp.post("/juries/<int:jury_id>/loting")
@roles_required("researcher")
def publish(jury_id: int):
    jury = db.get_or_404(Jury, jury_id)
    return _act(jury, lambda form: ceremony.publish(jury, size=form.size.data,
                                                    user_id=current_user.id),
                form=PublishForm(), message="fase1")


@bp.post("/juries/<int:jury_id>/vervanging")
@roles_required("researcher")
def replace(jury_id: int):
    jury = db.get_or_404(Jury, jury_id)
    return _act(jury, lambda form: ceremony.replace(jury, size=form.size.data,
                                                    user_id=current_user.id),
                form=PublishForm(), message="vervanging")


@bp.post("/juries/loting/<int:lottery_id>/zaad")
@roles_required("researcher")
def seed(lottery_id: int):
    record = db.get_or_404(JuryLottery, lottery_id)
    return _act(record.jury, lambda form: ceremony.draw(
        record, seed=int(form.seed.data.strip()), user_id=current_user.id),
        form=SeedForm(), message="fase2")


@bp.post("/juries/<int:jury_id>/kandidaten/<int:candidate_id>/terugtrekken")
@roles_required("researcher")
def withdraw(jury_id: int, candidate_id: int):
    candidate = db.get_or_404(JuryCandidate, candidate_id)
    if candidate.jury_id != jury_id:
        abort(404)
    return _act(candidate.jury, lambda form: services.withdraw(candidate),
                message="teruggetrokken")


@bp.post("/juries/<int:jury_id>/verifieren")
@roles_required("researcher")
def verify(jury_id: int):
    jury = db.get_or_404(Jury, jury_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    results = ceremony.verify(jury)
    audit.record("jury_verified", jury, details={"ok": all(r.ok for _, r in results)})
    db.session.commit()
    return _show(jury, verification=results)


@bp.get("/juries/loting/<int:lottery_id>/protocol.pdf")
@roles_required("researcher")
def protocol(lottery_id: int):
    record = db.get_or_404(JuryLottery, lottery_id)
    data = render_jury_protocol(record)
    audit.record("jury_protocol_downloaded", record)
    db.session.commit()
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=f"jury-{record.jury_id}-loting-{record.id}-protocol.pdf")


@bp.get("/loting/<int:lottery_id>")
@public
def lottery(lottery_id: int):
    """The public page: pseudonyms, chances, aggregate counts and hashes; no features per person."""
    record = db.get_or_404(JuryLottery, lottery_id)
    pool = engine.read_pool(engine.unpack(record.pool_snapshot))
    panel = sorted({*(record.fixed or []), *(record.chosen or [])}) if record.drawn else None
    counts = engine.composition(pool, record.quotas, panel,
                                minimum=current_app.config["MIN_CELL_SIZE"])
    return render_template("juries/lottery.html", record=record, pseudonyms=list(pool.index),
                           counts=counts, labels=services.feature_labels(record.jury),
                           portfolio=engine.stored_portfolio(record).panels)


@bp.get("/loting/<int:lottery_id>/portefeuille.txt")
@public
def lottery_portfolio(lottery_id: int):
    record = db.get_or_404(JuryLottery, lottery_id)
    return send_file(io.BytesIO(engine.unpack(record.portfolio_text)),
                     mimetype="text/plain; charset=utf-8",
                     download_name=f"loting-{record.id}-portefeuille.txt")


@bp.get("/juries/loting/<int:lottery_id>/pool.txt")
@roles_required("researcher")
def lottery_pool(lottery_id: int):
    """The pool with its features per pseudonym: for witnesses and auditors, not the web."""
    record = db.get_or_404(JuryLottery, lottery_id)
    audit.record("jury_pool_exported", record.jury,
                 details={"lottery_id": record.id, "personal_data": True})
    db.session.commit()
    return send_file(io.BytesIO(engine.unpack(record.pool_snapshot)),
                     mimetype="text/plain; charset=utf-8", as_attachment=True,
                     download_name=f"loting-{record.id}-pool.txt")


@bp.get("/juries/<int:jury_id>/leden.csv")
@roles_required("researcher")
def members_export(jury_id: int):
    jury = db.get_or_404(Jury, jury_id)
    data = write_csv(services.members_frame(jury))
    audit.record("jury_members_exported", jury, details={"personal_data": True})
    db.session.commit()
    return send_file(io.BytesIO(data), mimetype="text/csv", as_attachment=True,
                     download_name=f"jury-{jury.id}-leden.csv")
