"""Staff route that e-mails a jury's invitations or reminders (a background job)."""

from flask import redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import jobs
from app.extensions import db
from app.juries import mailing
from app.juries.blueprint import bp
from app.juries.forms import JuryMailForm
from app.juries.services import JuryError
from app.juries.views import _show
from app.models import Jury
from app.security import roles_required


@bp.post("/juries/<int:jury_id>/mail")
@roles_required("researcher")
def mail(jury_id: int):
    jury = db.get_or_404(Jury, jury_id)
    form = JuryMailForm()
    if not form.validate_on_submit():
        return _show(jury, 422, error=_("Het formulier is niet geldig: ") + "; ".join(
            " ".join(map(str, errors)) for errors in form.errors.values()))
    try:
        job = mailing.start(jury, form.step.data, user_id=current_user.id)
    except JuryError as error:
        db.session.rollback()
        return _show(jury, 422, error=str(error))
    db.session.commit()
    jobs.dispatch(job.id)
    return redirect(url_for("juries.show", jury_id=jury.id, bericht="mail"))
