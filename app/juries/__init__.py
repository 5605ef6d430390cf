from app.juries import candidacy_views as _candidacy_views  # noqa: F401  (adds routes to bp)
from app.juries.views import bp

__all__ = ["bp"]
