"""Where a respondent page's time goes: one process, many GETs, profiled per function.

Prepares the same database as ``bench_respond.py`` (one open survey, a respondent session) and
requests the measured page (10 single-choice questions) ``--requests`` times through the WSGI
app in this process, without a server, then prints the cumulative time per function group
(``cProfile``): Flask/Werkzeug, the session and login, SQLAlchemy and the driver, Jinja
rendering, Flask-Babel, the app's own code. The bare page of ``bare_app.py`` is timed the same
way, so the ratio here is the respondent page's cost relative to a page without any of that.

Run: ``.venv/bin/python -m benchmarks.profile_respond [--requests 2000] [--database-url URL]``.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_respond import SECRETS, prepare_database  # noqa: E402
from benchmarks.common import add_database_option, database_label, database_url  # noqa: E402

PAGE = "/antwoorden/vragenlijst/deel/S1"
GROUPS = (("sqlalchemy", "SQLAlchemy"), ("sqlite3", "SQLite driver"),
          ("psycopg", "psycopg"), ("jinja2", "Jinja"), ("flask_babel", "Flask-Babel"),
          ("babel", "Babel"), ("flask_login", "Flask-Login"), ("flask_wtf", "Flask-WTF"),
          ("flask_limiter", "Flask-Limiter"), ("itsdangerous", "itsdangerous (cookies)"),
          ("werkzeug", "Werkzeug"), ("flask", "Flask"), ("/app/", "Stadspanel app"))


def timed_requests(client, url: str, count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        reply = client.get(url)
        if reply.status_code != 200:
            raise RuntimeError(f"{url} answered {reply.status_code}")
    return (time.perf_counter() - started) / count


def own_time_by_group(profile: cProfile.Profile) -> dict[str, float]:
    """Own (not cumulative) time per library, so the groups add up to the total."""
    totals: dict[str, float] = {}
    for (filename, _line, _name), (_calls, _n, own, _cum, _callers) in \
            pstats.Stats(profile).stats.items():
        label = next((label for key, label in GROUPS if key in filename), "other (stdlib …)")
        totals[label] = totals.get(label, 0.0) + own
    return totals


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    add_database_option(parser)
    options = parser.parse_args()
    from app import create_app
    from benchmarks.bare_app import app as bare

    with tempfile.TemporaryDirectory() as folder:
        url = database_url(options, folder)
        rows = prepare_database(url, 2)
        app = create_app({**SECRETS, "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": True})
        client = app.test_client()
        client.get(f"/antwoorden/t/{rows[0][1]}")
        timed_requests(client, PAGE, 50)
        bare_seconds = timed_requests(bare.test_client(), "/", options.requests)
        page_seconds = timed_requests(client, PAGE, options.requests)
        profile = cProfile.Profile()
        profile.enable()
        timed_requests(client, PAGE, options.requests)
        profile.disable()
    print(f"database: {database_label(url)}; {options.requests} requests each, one process")
    print(f"bare page {bare_seconds * 1000:.3f} ms, respondent page {page_seconds * 1000:.3f} ms, "
          f"ratio {bare_seconds / page_seconds:.2f} (test client, no server; then profiled:)")
    groups = own_time_by_group(profile)
    total = sum(groups.values())
    for label, seconds in sorted(groups.items(), key=lambda item: -item[1]):
        print(f"  {label:<24} {seconds / options.requests * 1000:7.3f} ms per request "
              f"({seconds / total:5.1%})")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
