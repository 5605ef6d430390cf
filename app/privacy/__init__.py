"""Privacy: studies, data-subject requests, retention, anonymisation, backups, the DPIA annex."""

from app.privacy import views_requests
from app.privacy.views import bp

__all__ = ["bp", "views_requests"]
