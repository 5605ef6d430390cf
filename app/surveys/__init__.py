from app.surveys import paper_jobs, views_distribution, views_editor
from app.surveys.views import bp

__all__ = ["bp", "paper_jobs", "views_distribution", "views_editor"]
