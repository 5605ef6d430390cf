"""Flask extensions, created unbound and initialised in ``create_app``."""

from collections.abc import Callable

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


class ShortCircuitLimiter(Limiter):
    """Flask-Limiter that lets the requests ``pass_through`` names go before any limit lookup.

    Flask-Limiter consults its request filters only after resolving the endpoint's limits and
    exemption scopes, which cost about a tenth of a respondent page view; ``pass_through`` is
    asked first. It must name only requests that carry no limit at all (here: GET and HEAD on
    the respondent pages, whose one limit is on the code entry's POST).
    """

    pass_through: Callable[[], bool] | None = None

    def _check_request_limit(self, callable_name: str | None = None,
                             in_middleware: bool = True) -> None:
        if in_middleware and self.pass_through is not None and self.pass_through():
            return
        super()._check_request_limit(callable_name=callable_name, in_middleware=in_middleware)


limiter = ShortCircuitLimiter(key_func=get_remote_address, default_limits=[])
