from app.register import jobs as _jobs  # noqa: F401  (registers the job handlers)
from app.register.views import bp

__all__ = ["bp"]
