from app.juries import candidacy_views, mail_views, views
from app.juries.blueprint import bp

__all__ = ["bp", "candidacy_views", "mail_views", "views"]
