"""What a report says, before any renderer draws it.

``data`` holds the plain input and output of a report (``ReportData``), ``tables`` the weighted
tables per question, ``text`` Dutch number formats, headlines and key findings, and
``method_text`` every method sentence.
"""
