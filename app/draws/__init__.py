from app.draws.views import bp

__all__ = ["bp"]
