from app.register.views import bp

__all__ = ["bp"]
