"""Privacy: studies, data-subject requests, retention, anonymisation, backups, the DPIA annex."""

from app.privacy import views, views_requests
from app.privacy.blueprint import bp

__all__ = ["bp", "views", "views_requests"]
