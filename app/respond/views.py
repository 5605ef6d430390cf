"""Public respondent pages: code or personal link, one section per page, review, submit."""

import secrets

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app.extensions import csrf, db, limiter
from app.respond import access, gate, services, state
from app.respond.forms import CodeForm
from app.security import public
from app.surveys.display import template_helpers

bp = Blueprint("respond", __name__, url_prefix="/antwoorden")


def _code_limit() -> str:
    return current_app.config["CODE_RATE_LIMIT"]


def _render(respondent, template: str, status: int = 200, **context):
    with force_locale(respondent.language):
        return render_template(template, respondent=respondent, language=respondent.language,
                               definition=respondent.definition,
                               form_token=access.form_token(respondent.assignment),
                               **template_helpers(respondent.definition, respondent.language),
                               **context), status


def _status_page(respondent, reason: str):
    return _render(respondent, "respond/status.html", 200 if reason == "completed" else 403,
                   reason=reason)


@bp.route("/", methods=["GET", "POST"])
@limiter.limit(_code_limit, methods=["POST"], scope="respondent-code")
@limiter.limit(lambda: current_app.config["CODE_GLOBAL_RATE_LIMIT"], methods=["POST"],
               scope="respondent-code-global", key_func=lambda: "all")
@public
def index():
    form = CodeForm()
    if form.validate_on_submit():
        assignment = access.assignment_by_code(form.code.data)
        if assignment is not None:
            access.remember(assignment.id)
            return redirect(url_for("respond.resume"))
        form.code.errors.append(_("Deze code kennen we niet. Controleer de code in uw brief of "
                                  "e-mail."))
    return render_template("respond/index.html", form=form), 422 if form.errors else 200


@bp.get("/t/<token>")
@public
def token(token: str):
    assignment = access.assignment_by_token(token)
    if assignment is None:
        return render_template("respond/unknown_link.html"), 404
    access.remember(assignment.id)
    return redirect(url_for("respond.resume"))  # the token leaves the address bar


def _from_session():
    assignment_id = access.current_assignment_id()
    return None if assignment_id is None else state.load(assignment_id, read_only=True)


def _from_form():
    assignment_id = access.assignment_id_from_form(request.form.get("form_token"))
    respondent = None if assignment_id is None else state.load(assignment_id)
    if respondent is None:
        abort(400)
    access.remember(assignment_id)
    return respondent


def _open_respondent():
    """This session's respondent when the survey can be answered, else the page to show."""
    respondent = _from_session()
    if respondent is None:
        return None, redirect(url_for("respond.index"))
    reason = services.availability(respondent)
    if reason:
        return None, _status_page(respondent, reason)
    return respondent, None


def _target_url(target: str) -> str:
    if target == services.REVIEW:
        return url_for("respond.review")
    return url_for("respond.section", code=target)


@bp.get("/vragenlijst")
@public
def resume():
    respondent, stop = _open_respondent()
    if stop is not None:
        return stop
    return redirect(_target_url(services.resume_target(respondent)))


@bp.get("/vragenlijst/deel/<code>")
@public
def section(code: str):
    respondent, stop = _open_respondent()
    if stop is not None:
        return stop
    found = services.find_section(respondent, code)
    if found is None:
        return redirect(url_for("respond.resume"))
    return _page(respondent, found, errors={}, raw={},
                 notice=request.args.get("nieuw") == "1")


def _page(respondent, found, *, errors, raw, notice=False, status=200):
    current, number, total = found
    questions = services.page_questions(respondent, current)
    context = {"section": current, "number": number, "total": total, "questions": questions,
               "answers": respondent.answers, "errors": errors, "raw": raw, "notice": notice}
    if errors or raw or any(question.code in respondent.answers for question in questions):
        return _render(respondent, "respond/page.html", status, **context)
    return _blank_page(respondent, context), status


_PLACEHOLDER = secrets.token_hex(16)
_PAGES: dict[tuple, tuple] = {}


def _blank_page(respondent, context) -> str:
    """A page nobody answered yet is the same for everyone but its form token: rendered once
    per (definition, section, language, position) with a placeholder, then filled in."""
    definition, language = respondent.definition, respondent.language
    key = (id(definition), language, context["section"].code, context["number"],
           context["total"], context["notice"], request.script_root,
           tuple(question.code for question in context["questions"]))
    cached = _PAGES.get(key)
    if cached is None or cached[0] is not definition:
        with force_locale(language):
            html = render_template(
                "respond/page.html", respondent=respondent, language=language,
                definition=definition, form_token=_PLACEHOLDER,
                **template_helpers(definition, language), **context)
        if len(_PAGES) > 512:
            _PAGES.clear()
        cached = _PAGES[key] = (definition, html)
    return cached[1].replace(_PLACEHOLDER, access.form_token(respondent.assignment))


@bp.post("/vragenlijst/deel/<code>")
@csrf.exempt
@public
def save(code: str):
    respondent, result = _save_with_retry(code)
    if result is None:
        return redirect(url_for("respond.resume"))
    if result.errors:
        found = services.find_section(respondent, code)
        return _page(respondent, found, errors=result.errors, raw=result.raw, status=422)
    if request.form.get("action") == "save":
        return redirect(url_for("respond.saved"))
    if result.notice:
        return redirect(url_for("respond.section", code=code, nieuw=1))
    return redirect(_target_url(result.target))


def _save_with_retry(code: str):
    """Save a page; on a unique-key race (two tabs, a double click) retry once on fresh data."""
    for attempt in (1, 2):
        respondent = _from_form()
        found = services.find_section(respondent, code)
        if services.availability(respondent) or found is None:
            return respondent, None
        try:
            with gate.write_gate():
                result = services.save_page(respondent, found[0], request.form,
                                            request.form.get("action", "next"))
                db.session.commit()
            return respondent, result
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise
    return None, None


@bp.get("/vragenlijst/bewaard")
@public
def saved():
    respondent = _from_session()
    if respondent is None:
        return redirect(url_for("respond.index"))
    return _render(respondent, "respond/saved.html")
