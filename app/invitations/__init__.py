from app.invitations import jobs as _jobs  # noqa: F401  (registers the job handlers)
from app.invitations import lookup_views as _lookup_views  # noqa: F401  (adds routes to bp)
from app.invitations import panel_views as _panel_views  # noqa: F401  (adds routes to bp)
from app.invitations import views as _views  # noqa: F401  (adds routes to bp)
from app.invitations.blueprint import bp

__all__ = ["bp"]
