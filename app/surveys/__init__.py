from app.surveys.views import bp

__all__ = ["bp"]
