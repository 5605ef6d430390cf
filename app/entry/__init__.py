from app.entry import views_review
from app.entry.views import bp

__all__ = ["bp", "views_review"]
