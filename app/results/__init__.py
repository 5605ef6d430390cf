from app.results.views import bp

__all__ = ["bp"]
