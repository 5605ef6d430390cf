"""The paper questionnaire as a PDF (A4, reportlab): one questionnaire or a batch.

Pure package: a survey definition and plain values in, PDF bytes out. ``questionnaire`` lays out
the pages (header, codes, page breaks), ``blocks`` turns questions into blocks of flowables,
``answers`` draws the answer areas per question type with the ``flowables`` (tick boxes, digit
boxes, writing lines); ``style`` holds fonts and sizes, ``text`` the fixed wording and routing.
The app side (a batch as a background job) is ``app/surveys/paper_jobs.py``.
"""

from app.surveys.paper.questionnaire import render_paper, render_paper_batch

__all__ = ["render_paper", "render_paper_batch"]
