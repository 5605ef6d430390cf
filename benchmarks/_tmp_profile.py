import sys, cProfile, pstats, tempfile
from benchmarks.profile_respond import *
from benchmarks.profile_respond import timed_requests, PAGE, SECRETS, prepare_database
from app import create_app
url="postgresql+psycopg://postgres@127.0.0.1:5432/bench_lead"
rows = prepare_database(url, 2)
app = create_app({**SECRETS, "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": True})
client = app.test_client()
client.get(f"/antwoorden/t/{rows[0][1]}")
timed_requests(client, PAGE, 50)
p=cProfile.Profile(); p.enable(); timed_requests(client, PAGE, 2000); p.disable()
s=pstats.Stats(p)
for f in sys.argv[1:]:
    s.print_callers(f)
