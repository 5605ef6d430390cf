from app.invitations.views import bp

__all__ = ["bp"]
