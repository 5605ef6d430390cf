"""Benchmark: respondent pages under gunicorn (4 workers) on loopback, against a bare Flask page.

Targets (issue 6): respondent page ≥ 0.5 × the bare page's requests/s (measured in the same
run), answer submissions ≥ 100/s with p99 < 300 ms, and 200 concurrent simulated respondents
completing a survey with zero lost and zero duplicated responses.

Run: ``.venv/bin/python benchmarks/bench_respond.py [--seconds 15] [--database-url URL]``
(default: a fresh SQLite file in WAL mode; ``DATABASE_URL`` in the environment is ignored).
Load comes from ``wrk`` (apt-get install wrk) and, for the respondents, a separate Python
process with one thread per respondent. The bare and the respondent page are measured in
alternating slices, so load from other jobs on the machine hits both alike; the rate limiter
stays enabled, as in production. Gunicorn is always stopped at the end.
"""

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import Targets, add_database_option, database_label, database_url  # noqa: E402

SECRETS = {"SECRET_KEY": "bench-secret-key", "PERSON_KEY_SECRET": "bench-person-key-0123456"}
OPTIONS = [{"value": str(value), "label": {"nl": f"Antwoord {value}"}} for value in range(1, 6)]


def definition() -> dict:
    """Two sections: ten single-choice questions (the measured page), then one more."""
    first = [{"code": f"Q{number}", "type": "single", "required": True, "options": OPTIONS,
              "text": {"nl": f"Vraag {number}: hoe tevreden bent u?"}} for number in range(1, 11)]
    last = [{"code": "Q11", "type": "text", "text": {"nl": "Nog iets?"}}]
    return {"format": "stadspanel-survey", "version": 1, "languages": ["nl"],
            "title": {"nl": "Benchmark"},
            "sections": [{"code": "S1", "title": {"nl": "Deel 1"}, "questions": first},
                         {"code": "S2", "title": {"nl": "Deel 2"}, "questions": last}]}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare_database(url: str, assignments: int) -> list[tuple[int, str, str]]:
    """Fresh tables, one open survey and `assignments` assignments: (id, token, form token)."""
    from app import create_app
    from app.extensions import db
    from app.respond.access import form_token
    from app.surveys import distribution, services

    app = create_app({**SECRETS, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        survey = services.create_survey(definition())
        services.open_survey(survey)
        db.session.flush()
        rows = []
        for _ in range(assignments):
            assignment = distribution._new_assignment(survey, "web", "nl")
            db.session.add(assignment)
            db.session.flush()
            token, _code = distribution.reissue(assignment)
            rows.append((assignment.id, token, form_token(assignment)))
        db.session.commit()
        db.engine.dispose()
    return rows


def start_gunicorn(target: str, port: int, environment: dict,
                   worker: tuple[str, int] = ("sync", 1)) -> subprocess.Popen:
    """Four workers of class `worker[0]` (`worker[1]` threads each), as for production."""
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-w", "4", "-b", f"127.0.0.1:{port}",
               "--worker-class", worker[0],  # sync with --threads > 1 would become gthread
               "--threads", str(worker[1] if worker[0] == "gthread" else 1),
               "--log-level", "warning", target]
    process = subprocess.Popen(command, cwd=ROOT, env=environment, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn on port {port} did not start")


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wrk(url: str, seconds: int, *, connections: int = 16, header: str | None = None,
        script: Path | None = None) -> dict:
    """Run wrk; requests/s, p99 latency (ms) and non-2xx/3xx count from its report."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if header:
        command += ["-H", header]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True,
                            timeout=seconds + 60).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rate": rate, "p99_ms": float(p99.group(1)) * scale,
            "errors": int(errors.group(1)) if errors else 0}


def session_cookie(base: str, token: str) -> str:
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(f"{base}/antwoorden/t/{token}")
    except urllib.error.HTTPError as redirect:
        return redirect.headers["Set-Cookie"].split(";")[0]
    raise RuntimeError("the personal link did not redirect")


def post_script(folder: Path, tokens: list[str]) -> Path:
    """A wrk Lua script posting page 1 (all ten answers) for many assignments in turn.

    Each assignment gets two answer sets in alternation, so every post changes ten answers
    (an unchanged re-post would write nothing).
    """
    variants = ["&".join(f"q-Q{number}={(number + shift) % 5 + 1}" for number in range(1, 11))
                for shift in (0, 1)]
    bodies = ",\n".join(json.dumps(f"form_token={token}&action=save&{answers}")
                        for answers in variants for token in tokens)
    path = folder / "post.lua"
    path.write_text(
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        f"local bodies = {{\n{bodies}\n}}\nlocal counter = 0\n"
        "request = function()\n  counter = counter + 1\n"
        "  return wrk.format(nil, nil, nil, bodies[(counter % #bodies) + 1])\nend\n")
    return path


def respondent(base: str, token: str) -> str:
    """One simulated respondent: link, page 1, page 2, review, and a double-clicked submit."""
    import http.cookiejar
    import urllib.parse
    import urllib.request

    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def fetch(url: str, data: bytes | None = None) -> tuple[str, str]:
        with opener.open(url, data, timeout=60) as reply:  # read and close every reply
            return reply.read().decode(), reply.geturl()

    page, _ = fetch(f"{base}/antwoorden/t/{token}")
    form = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    first = {f"q-Q{number}": str(number % 5 + 1) for number in range(1, 11)}
    for section, answers in (("S1", first), ("S2", {"q-Q11": "Meer bomen"})):
        data = urllib.parse.urlencode({**answers, "action": "next", "form_token": form})
        fetch(f"{base}/antwoorden/vragenlijst/deel/{section}", data.encode())
    final = urllib.parse.urlencode({"form_token": form}).encode()
    for _ in range(2):
        _, landing = fetch(f"{base}/antwoorden/vragenlijst/overzicht", final)
    return landing


def run_respondents(base: str, tokens: list[str]) -> None:
    """Client process: all respondents at once, one thread each; prints a JSON summary."""
    from concurrent.futures import ThreadPoolExecutor

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(tokens)) as pool:
        results = list(pool.map(lambda token: _safe(respondent, base, token), tokens))
    print(json.dumps({"seconds": time.perf_counter() - started,
                      "thanked": sum(url.endswith("/bedankt") for url in results),
                      "failures": [url for url in results if not url.endswith("/bedankt")][:5]}))


def _safe(function, *arguments) -> str:
    try:
        return function(*arguments)
    except Exception as error:  # noqa: BLE001 - reported as a failure of this respondent
        return f"error: {error!r}"


def count_responses(url: str, survey_rows: int) -> dict:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT r.status, COUNT(*), COUNT(DISTINCT r.assignment_id) FROM responses r "
            "GROUP BY r.status")).all()
        answers = connection.execute(sa.text(
            "SELECT COUNT(*) FROM answers a JOIN responses r ON r.id = a.response_id "
            "WHERE r.status = 'complete'")).scalar()
    engine.dispose()
    return {"by_status": {status: (count, distinct) for status, count, distinct in rows},
            "complete_answers": answers, "expected_answers": survey_rows * 11}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--respondents", type=int, default=200)
    parser.add_argument("--worker-class", default="sync", choices=("sync", "gthread"),
                        help="gunicorn worker class for both apps (default sync, as in the "
                             "README; it measured faster than gthread with 4 threads)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    add_database_option(parser)
    parser.add_argument("--client", nargs=2, metavar=("BASE", "TOKENS_FILE"), help="internal")
    options = parser.parse_args()
    if options.client:
        run_respondents(options.client[0], json.loads(Path(options.client[1]).read_text()))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        return _bench(options, Path(folder))


def _bench(options, folder: Path) -> int:
    url = database_url(options, folder)
    rows = prepare_database(url, options.respondents + 500)
    crowd, posting, reader = rows[:options.respondents], rows[options.respondents:], rows[-1]
    environment = {**os.environ, **SECRETS, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    bare_port, app_port = free_port(), free_port()
    bare = application = None
    try:
        worker = (options.worker_class, options.threads)
        bare = start_gunicorn("benchmarks.bare_app:app", bare_port, environment, worker)
        application = start_gunicorn("app:create_app()", app_port, environment, worker)
        base = f"http://127.0.0.1:{app_port}"
        bare_result, page = _alternating(
            f"http://127.0.0.1:{bare_port}/", f"{base}/antwoorden/vragenlijst/deel/S1",
            f"Cookie: {session_cookie(base, reader[1])}", options.seconds)
        stop(bare)
        posts = wrk(f"{base}/antwoorden/vragenlijst/deel/S1", options.seconds,
                    script=post_script(folder, [row[2] for row in posting[:-1]]))
        tokens_file = folder / "tokens.json"
        tokens_file.write_text(json.dumps([row[1] for row in crowd]))
        client = subprocess.run([sys.executable, __file__, "--client", base, str(tokens_file)],
                                capture_output=True, text=True, timeout=600, check=True)
        crowd_result = json.loads(client.stdout.strip().splitlines()[-1])
    finally:
        stop(bare)
        stop(application)
    return _report(url, bare_result, page, posts, crowd_result, options.respondents)


def _alternating(bare_url: str, page_url: str, cookie: str, seconds: int,
                 rounds: int = 3) -> tuple[dict, dict]:
    """Bare and respondent page in turns (load from other jobs on the machine hits both)."""
    slice_seconds = max(1, seconds // rounds)
    bare, page = [], []
    for _ in range(rounds):
        bare.append(wrk(bare_url, slice_seconds))
        page.append(wrk(page_url, slice_seconds, header=cookie))
    return _combined(bare), _combined(page)


def _combined(results: list[dict]) -> dict:
    return {"rate": sum(result["rate"] for result in results) / len(results),
            "p99_ms": max(result["p99_ms"] for result in results),
            "errors": sum(result["errors"] for result in results)}


def _report(url, bare, page, posts, crowd, expected) -> int:
    counts = count_responses(url, expected)
    complete, distinct = counts["by_status"].get("complete", (0, 0))
    ratio = page["rate"] / bare["rate"]
    print(f"database: {database_label(url)}; gunicorn 4 workers")
    print(f"bare Flask page (cached 10-question form): {bare['rate']:8.1f} requests/s")
    print(f"respondent page (10 questions, DB, session): {page['rate']:8.1f} requests/s "
          f"(errors {page['errors']}), ratio {ratio:.2f}")
    print(f"answer submissions: {posts['rate']:8.1f} /s, p99 {posts['p99_ms']:.1f} ms "
          f"(errors {posts['errors']})")
    print(f"{expected} concurrent respondents: {crowd['thanked']} thanked in "
          f"{crowd['seconds']:.1f} s; complete responses {complete} "
          f"(distinct assignments {distinct}), lost {expected - complete}, "
          f"duplicated {complete - distinct}; answers {counts['complete_answers']}"
          f"/{counts['expected_answers']}; failures {crowd['failures']}")
    targets = Targets("bench_respond")
    targets.check("respondent page / bare page", ratio, 0.7, unit="x", at_most=False)
    targets.check("answer submissions", posts["rate"], 100, unit="/s", at_most=False)
    targets.check("answer submission p99", posts["p99_ms"], 300, unit="ms")
    targets.check("responses lost or duplicated", (expected - complete) + (complete - distinct)
                  + (expected - crowd["thanked"]), 0, unit="")
    return targets.finish()


if __name__ == "__main__":
    sys.exit(main())
