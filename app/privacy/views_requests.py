"""Data-subject requests: log, find the person, export, erase, restrict, object."""

import io
import json

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import audit
from app.extensions import db
from app.models import DataSubjectRequest, Resident
from app.privacy import people, rights
from app.privacy.blueprint import bp
from app.privacy.forms import ActionForm, ExportForm, LinkForm, RequestForm, SearchForm
from app.security import roles_required


@bp.route("/verzoeken", methods=["GET", "POST"])
@roles_required("researcher")
def requests():
    form = RequestForm()
    if form.validate_on_submit():
        record = rights.open_request(form.kind.data, form.received_on.data,
                                     note=form.note.data or "", user=current_user)
        db.session.commit()
        return redirect(url_for("privacy.request", request_id=record.id))
    return render_template("privacy/requests.html", form=form, records=rights.list_requests(),
                           today=rights.today()), 422 if form.errors else 200


def _page(record: DataSubjectRequest, *, search=None, matches=None, status: int = 200,
          action_form=None):
    person = db.session.get(Resident, record.resident_id) if record.resident_id else None
    return render_template(
        "privacy/request.html", record=record, person=person, today=rights.today(),
        search=search or SearchForm(formdata=None), matches=matches,
        link_form=LinkForm(formdata=None), action_form=action_form or ActionForm(formdata=None),
        export_form=ExportForm(formdata=None)), status


@bp.get("/verzoeken/<int:request_id>")
@roles_required("researcher")
def request(request_id: int):
    return _page(db.get_or_404(DataSubjectRequest, request_id))


@bp.post("/verzoeken/<int:request_id>/zoeken")
@roles_required("researcher")
def search(request_id: int):
    record = db.get_or_404(DataSubjectRequest, request_id)
    form = SearchForm()
    if not form.validate():
        return _page(record, search=form, status=422)
    if form.code.data:
        found = people.find_by_code(form.code.data)
        matches = [found] if found is not None else []
    else:
        matches = people.find_by_name(form.last_name.data or "", first_name=form.first_name.data
                                      or "", street=form.street.data or "",
                                      house_number=form.house_number.data or "",
                                      postcode=form.postcode.data or "")
    audit.record("dsr_search", record, details={"by_code": bool(form.code.data),
                                                "matches": len(matches)})
    db.session.commit()
    return _page(record, search=form, matches=matches)


@bp.post("/verzoeken/<int:request_id>/koppelen")
@roles_required("researcher")
def link(request_id: int):
    record = db.get_or_404(DataSubjectRequest, request_id)
    form = LinkForm()
    if not form.validate() or not str(form.resident_id.data).isdigit():
        abort(400)
    resident = db.get_or_404(Resident, int(form.resident_id.data))
    rights.link_person(record, resident, current_user)
    db.session.commit()
    return redirect(url_for("privacy.request", request_id=record.id))


@bp.post("/verzoeken/<int:request_id>/export")
@roles_required("researcher")
def export(request_id: int):
    record = db.get_or_404(DataSubjectRequest, request_id)
    if not ExportForm().validate() or record.resident_id is None:
        abort(400)
    data = people.bundle(db.get_or_404(Resident, record.resident_id))
    rights.log_step(record, "inzage geëxporteerd", current_user)
    db.session.commit()
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return send_file(io.BytesIO(text.encode("utf-8")), mimetype="application/json",
                     as_attachment=True, download_name=f"inzage-verzoek-{record.id}.json")


STEPS = {"erase": lambda record, form: rights.erase(record, current_user,
                                                    answers=form.answers.data),
         "restrict": lambda record, form: rights.restrict(record, current_user),
         "lift": lambda record, form: rights.lift_restriction(record, current_user),
         "object": lambda record, form: rights.object_to_processing(record, current_user),
         "done": lambda record, form: rights.close(record, current_user),
         "refused": lambda record, form: rights.close(record, current_user, refused=True)}


@bp.post("/verzoeken/<int:request_id>/stap")
@roles_required("researcher")
def step(request_id: int):
    record = db.get_or_404(DataSubjectRequest, request_id)
    form = ActionForm()
    if not form.validate():
        return _page(record, action_form=form, status=422)
    try:
        STEPS[form.action.data](record, form)
    except rights.RequestError as error:
        form.form_errors.append(str(error))
        return _page(record, action_form=form, status=422)
    db.session.commit()
    flash(_("De stap is uitgevoerd en gelogd."), "info")
    return redirect(url_for("privacy.request", request_id=record.id))
