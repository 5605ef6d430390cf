from app.auth import mfa_views as _mfa_views  # noqa: F401  (adds routes to bp)
from app.auth.views import bp

__all__ = ["bp"]
