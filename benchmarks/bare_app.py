"""The reference for bench_respond.py: a bare Flask app that renders a cached 10-question form.

Serve with ``gunicorn -w 4 benchmarks.bare_app:app``. The template is compiled once; each
request renders it with the same 10 questions (5 radio options each), like a respondent page
without a database, sessions or security headers.
"""

from flask import Flask, render_template
from jinja2 import DictLoader

QUESTIONS = [{"code": f"Q{number}", "text": f"Vraag {number}: hoe tevreden bent u?",
              "options": [(str(value), f"Antwoord {value}") for value in range(1, 6)]}
             for number in range(1, 11)]
TEMPLATE = """<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Vragenlijst</title>
</head><body><main><h1>Deel 1 van 2</h1><form method="post">
{% for q in questions %}<fieldset><legend>{{ q.text }}</legend>
{% for value, label in q.options %}<div><input type="radio" id="{{ q.code }}-{{ value }}"
 name="{{ q.code }}" value="{{ value }}"><label for="{{ q.code }}-{{ value }}">{{ label }}</label>
</div>{% endfor %}</fieldset>{% endfor %}<button type="submit">Volgende</button></form></main>
</body></html>"""

app = Flask(__name__)
app.jinja_loader = DictLoader({"form.html": TEMPLATE})  # compiled once, then cached


@app.get("/")
def form():
    return render_template("form.html", questions=QUESTIONS)
