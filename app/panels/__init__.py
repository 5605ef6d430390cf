from app.panels.views import bp

__all__ = ["bp"]
