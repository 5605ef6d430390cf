"""Renderers: one ``ReportData`` in, the bytes of a document out.

``pdf`` (with ``pdf_parts`` and ``pdf_method``) the council report, ``slides`` the same as
landscape PDF slides, ``pptx`` (with ``pptx_parts``) an editable PowerPoint deck, ``charts`` the
vector charts they share, ``xlsx`` the researchers' workbook and ``spss`` the ``.sav`` file.
"""
