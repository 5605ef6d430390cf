from app.entry import views, views_review
from app.entry.blueprint import bp

__all__ = ["bp", "views", "views_review"]
