import io

import sqlalchemy as sa
from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app import audit, jobs
from app.extensions import db
from app.forms import choices
from app.invitations import services, texts
from app.invitations.blueprint import bp
from app.invitations.forms import ActionForm, BatchForm, LetterForm, MailForm, ReminderForm
from app.invitations.letters import render_calibration_sheet
from app.invitations.letters.content import LetterError
from app.invitations.letters.envelopes import PROFILES
from app.invitations.mail import mailing
from app.models import Draw, Invitation, InvitationBatch, Job, LetterRun, MailLog, Panel
from app.security import roles_required


def _batch_form() -> BatchForm:
    form = BatchForm()
    draws = db.session.scalars(sa.select(Draw).where(Draw.panel_id.is_not(None))
                               .order_by(Draw.id.desc()).limit(200)).all()
    form.draw_id.choices = choices(
        (draw.id, f"{draw.id} · {draw.panel.name} · {draw.sample_size}") for draw in draws)
    if not form.is_submitted() and current_app.config["ENVELOPE_PROFILE"] in PROFILES:
        form.envelope_profile.data = current_app.config["ENVELOPE_PROFILE"]
    return form


@bp.get("/")
@roles_required("researcher")
def index():
    batches = db.session.scalars(sa.select(InvitationBatch)
                                 .order_by(InvitationBatch.id.desc())).all()
    panels = db.session.scalars(sa.select(Panel).order_by(Panel.name)).all()
    return render_template("invitations/index.html", batches=batches, panels=panels,
                           form=_batch_form(), profiles=PROFILES,
                           contacts=texts.letter_contacts())


@bp.post("/nieuw")
@roles_required("researcher")
def create_batch():
    form = _batch_form()
    if form.validate_on_submit():
        try:
            batch = services.create_batch(
                db.get_or_404(Draw, form.draw_id.data), deadline=form.deadline.data,
                include_reserves=form.include_reserves.data,
                envelope_profile=form.envelope_profile.data, user_id=current_user.id)
        except services.InvitationError as error:
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            return redirect(url_for("invitations.batch", batch_id=batch.id))
    batches = db.session.scalars(sa.select(InvitationBatch)
                                 .order_by(InvitationBatch.id.desc())).all()
    panels = db.session.scalars(sa.select(Panel).order_by(Panel.name)).all()
    return render_template("invitations/index.html", batches=batches, panels=panels, form=form,
                           profiles=PROFILES, contacts=texts.letter_contacts()), 422


def _batch_page(batch: InvitationBatch, status: int = 200, **forms):
    job_ids = [run.job_id for run in batch.letter_runs if run.job_id]
    jobs_here = [job for job in db.session.scalars(sa.select(Job).where(
        Job.kind.in_(["letters.render", "mail.send"]), Job.status != "done")
        .order_by(Job.id.desc()).limit(200))
        if job.id in job_ids or job.params.get("batch_id") == batch.id]
    running = [job for job in jobs_here if job.status in ("queued", "running")]
    failed = [job for job in jobs_here if job.status == "failed"][:1]
    context = {"letter_form": LetterForm(), "reminder_form": ReminderForm(),
               "mail_form": MailForm(), "action_form": ActionForm(), **forms}
    return render_template("invitations/batch.html", batch=batch, runs=batch.letter_runs,
                           running=running, failed=failed, profiles=PROFILES,
                           counts=services.batch_counts(batch),
                           contacts=texts.letter_contacts(),
                           stuck=mailing_claims(batch),
                           candidates=len(mailing.candidates(batch, "invite")),
                           **context), status


def mailing_claims(batch: InvitationBatch) -> list[MailLog]:
    return list(db.session.scalars(
        sa.select(MailLog).join(Invitation, Invitation.id == MailLog.invitation_id)
        .where(Invitation.batch_id == batch.id, MailLog.status == "claimed")
        .order_by(MailLog.id)))


@bp.get("/reeks/<int:batch_id>")
@roles_required("researcher")
def batch(batch_id: int):
    return _batch_page(db.get_or_404(InvitationBatch, batch_id))


@bp.post("/reeks/<int:batch_id>/brieven")
@roles_required("researcher")
def letters(batch_id: int):
    batch = db.get_or_404(InvitationBatch, batch_id)
    form = LetterForm()
    if not form.validate_on_submit():
        return _batch_page(batch, 422, letter_form=form)
    return _start_run(batch, form, "letter_form", kind="invitation", rotate=form.rotate.data)


@bp.post("/reeks/<int:batch_id>/herinneringen")
@roles_required("researcher")
def reminders(batch_id: int):
    batch = db.get_or_404(InvitationBatch, batch_id)
    form = ReminderForm()
    if not form.validate_on_submit():
        return _batch_page(batch, 422, reminder_form=form)
    return _start_run(batch, form, "reminder_form", kind="reminder",
                      no_reaction_since=form.no_reaction_since.data)


def _start_run(batch: InvitationBatch, form, form_name: str, **options):
    try:
        run = services.start_letter_run(batch, user_id=current_user.id, **options)
    except (LetterError, services.InvitationError) as error:
        form.form_errors.append(str(error))
        return _batch_page(batch, 422, **{form_name: form})
    db.session.commit()
    jobs.dispatch(run.job_id)
    return redirect(url_for("invitations.batch", batch_id=batch.id))


@bp.get("/reeks/<int:batch_id>/druk/<int:run_id>.<any(pdf, csv):extension>")
@roles_required("researcher")
def download(batch_id: int, run_id: int, extension: str):
    run = db.get_or_404(LetterRun, run_id)
    if run.batch_id != batch_id or run.rendered_at is None:
        abort(404)
    data = run.pdf if extension == "pdf" else run.mailing_list
    audit.record("letters_downloaded", run, details={"format": extension, "personal_data": True})
    db.session.commit()
    name = f"{'brieven' if run.kind == 'invitation' else 'herinneringen'}-{batch_id}-{run.id}"
    return send_file(io.BytesIO(data), as_attachment=True, download_name=f"{name}.{extension}",
                     mimetype="application/pdf" if extension == "pdf" else "text/csv")


@bp.post("/reeks/<int:batch_id>/mail")
@roles_required("researcher")
def mail(batch_id: int):
    batch = db.get_or_404(InvitationBatch, batch_id)
    form = MailForm()
    if not form.validate_on_submit():
        return _batch_page(batch, 422, mail_form=form)
    try:
        job = services.start_mail(batch, form.step.data, user_id=current_user.id)
    except LetterError as error:
        form.form_errors.append(str(error))
        return _batch_page(batch, 422, mail_form=form)
    db.session.commit()
    jobs.dispatch(job.id)
    flash(_("De e-mails worden op de achtergrond verstuurd."), "success")
    return redirect(url_for("invitations.batch", batch_id=batch.id))


@bp.post("/reeks/<int:batch_id>/mail/<int:log_id>/opnieuw")
@roles_required("researcher")
def release_mail(batch_id: int, log_id: int):
    batch = db.get_or_404(InvitationBatch, batch_id)
    log = db.get_or_404(MailLog, log_id)
    if log not in mailing_claims(batch) or not ActionForm().validate_on_submit():
        abort(404)
    mailing.release(log)
    audit.record("mail_released", log, details={"invitation_id": log.invitation_id})
    db.session.commit()
    return redirect(url_for("invitations.batch", batch_id=batch.id))


@bp.get("/kalibratie/<any(DL_LEFT, DL_RIGHT, C5):profile>.pdf")
@roles_required("researcher")
def calibration(profile: str):
    data = render_calibration_sheet(PROFILES[profile], texts.contact_rows())
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=f"kalibratie-{profile}.pdf")
