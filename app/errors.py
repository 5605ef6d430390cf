"""Dutch error pages that never leak a stack trace."""

from flask import Flask, g, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException

from app.extensions import db, login_manager

RETRY_AFTER_SECONDS = 30
# The database refused or dropped the connection, or the pool had none left in time.
UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)

MESSAGES = {
    400: _l("De aanvraag is ongeldig."),
    403: _l("U hebt geen toegang tot deze pagina."),
    404: _l("Deze pagina bestaat niet (meer)."),
    405: _l("Deze actie is hier niet toegelaten."),
    413: _l("Het bestand is te groot."),
    422: _l("De gegevens zijn niet geldig."),
    429: _l("Te veel pogingen. Wacht even en probeer het dan opnieuw."),
    503: _l("De databank is even niet bereikbaar. Uw gegevens zijn niet verloren; "
            "probeer het over een halve minuut opnieuw."),
    500: _l("Er ging iets mis aan onze kant. Uw gegevens zijn niet verloren; "
            "probeer het later opnieuw."),
}


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        message = _("Het formulier was verlopen of onvolledig. Probeer het opnieuw; "
                    "uw ingevulde gegevens staan hieronder nog.")
        return render_template("errors/error.html", code=400, message=message,
                               back=request.referrer), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        message = str(MESSAGES.get(code, error.name))
        return render_template("errors/error.html", code=code, message=message), code

    @app.errorhandler(sa_exc.SQLAlchemyError)
    def database_error(error: sa_exc.SQLAlchemyError):
        if not isinstance(error, UNAVAILABLE):
            return unexpected(error)
        _safe_rollback()
        app.logger.error("Database unavailable on %s: %s", request.path, type(error).__name__)
        g._login_user = login_manager.anonymous_user()  # the page must not ask the database
        page = render_template("errors/error.html", code=503, message=str(MESSAGES[503]))
        return page, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error on %s", request.path)
        return render_template("errors/error.html", code=500, message=str(MESSAGES[500])), 500


def _safe_rollback() -> None:
    try:
        db.session.rollback()
    except sa_exc.SQLAlchemyError:
        db.session.remove()
