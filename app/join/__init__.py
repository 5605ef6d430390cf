from app.join import member_views as _member_views  # noqa: F401  (adds routes to bp)
from app.join.views import bp

__all__ = ["bp"]
