from app.results import reporting as _reporting  # noqa: F401  (registers the report job)
from app.results.views import bp

__all__ = ["bp"]
