"""The benchmarks' sample inputs stay valid as the app's checks grow (bench_letters broke once
when letters began to require a phone number and an e-mail address)."""

from app.invitations.letters import render_letters
from app.invitations.letters.content import validate_content
from app.invitations.letters.envelopes import DL_LEFT
from benchmarks.bench_letters import sample_content, sample_recipients


def test_the_letter_benchmark_content_passes_the_letter_checks():
    content = sample_content()
    validate_content(content)
    pdf = render_letters(sample_recipients(2), content, DL_LEFT)
    assert pdf.startswith(b"%PDF") and b"/Type /Page" in pdf
