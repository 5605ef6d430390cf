from app.entry.views import bp

__all__ = ["bp"]
