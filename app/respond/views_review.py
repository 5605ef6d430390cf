"""Respondent pages after the sections: review, final submit, thank-you, language switch."""

from flask import redirect, request, url_for
from sqlalchemy.exc import IntegrityError

from app.extensions import csrf, db
from app.respond import gate, services
from app.respond.views import _from_form, _from_session, _open_respondent, _render, _status_page, bp
from app.security import public
from app.surveys.display import display


@bp.get("/vragenlijst/overzicht")
@public
def review():
    respondent, stop = _open_respondent()
    if stop is not None:
        return stop
    return _review_page(respondent, missing=services.missing_required(respondent),
                        show_missing=request.args.get("onvolledig") == "1")


def _review_page(respondent, *, missing, show_missing, status=200):
    language = respondent.language
    rows = [(section, [(question, display(question, respondent.answers.get(question.code),
                                          language))
                       for question in services.page_questions(respondent, section)])
            for section in services.sections(respondent)]
    return _render(respondent, "respond/review.html", status, rows=rows,
                   missing=missing if show_missing else [])


@bp.post("/vragenlijst/overzicht")
@csrf.exempt
@public
def submit():
    for attempt in (1, 2):
        respondent = _from_form()
        reason = services.availability(respondent)
        if reason:  # already completed (a double click) or closed: never a second response
            return _status_page(respondent, reason) if reason != "completed" else \
                redirect(url_for("respond.done"))
        if services.missing_required(respondent):
            return redirect(url_for("respond.review", onvolledig=1))
        try:
            with gate.write_gate():
                services.submit(respondent)
                db.session.commit()
            break
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise
    return redirect(url_for("respond.done"))


@bp.get("/vragenlijst/bedankt")
@public
def done():
    respondent = _from_session()
    if respondent is None:
        return redirect(url_for("respond.index"))
    if services.availability(respondent) != "completed":
        return redirect(url_for("respond.resume"))
    return _render(respondent, "respond/done.html")


@bp.post("/vragenlijst/taal")
@csrf.exempt
@public
def language():
    respondent = _from_form()
    services.set_language(respondent, request.form.get("language", ""))
    db.session.commit()
    back = request.form.get("section")
    if back and services.find_section(respondent, back):
        return redirect(url_for("respond.section", code=back))
    return redirect(url_for("respond.resume"))
