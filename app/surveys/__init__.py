from app.surveys import mail_jobs, paper_jobs, views_distribution, views_editor, views_mail
from app.surveys.views import bp

__all__ = ["bp", "mail_jobs", "paper_jobs", "views_distribution", "views_editor", "views_mail"]
