from app.respond.views import bp

__all__ = ["bp"]
