from app.surveys import paper_jobs, views, views_distribution, views_editor, views_mail
from app.surveys.blueprint import bp
from app.surveys.mail import jobs as mail_jobs

__all__ = ["bp", "mail_jobs", "paper_jobs", "views", "views_distribution", "views_editor",
           "views_mail"]
