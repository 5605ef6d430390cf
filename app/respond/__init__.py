from app.respond import views_review
from app.respond.views import bp

__all__ = ["bp", "views_review"]
