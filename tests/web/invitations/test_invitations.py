"""Invitation batches from draws, letter PDFs read back, letter texts, reminders, paper replies."""

import io
import re
from datetime import date, timedelta

import pypdf
import pypdfium2 as pdfium
import pytest
import sqlalchemy as sa
import zxingcpp

from app.draws import services as draw_services
from app.draws.frame import Exclusions
from app.extensions import db
from app.invitations import keys, services, texts
from app.invitations.codes import normalise_code
from app.models import (
    AuditEvent,
    Invitation,
    InvitationBatch,
    LetterRun,
    Member,
    Panel,
    Selection,
    Suppression,
)
from tests.web.register.test_register_import import SAMPLE, do_import

CONFIG = {"CONTROLLER_NAME": "Stad Zennegem, Markt 1, 1500 Zennegem",
          "DPO_CONTACT": "privacy@zennegem.be", "PUBLIC_BASE_URL": "https://panel.zennegem.be",
          "MAIL_RATE_PER_MINUTE": 0, "LETTER_SENDER": "Stad Zennegem|Markt 1|1500 Zennegem",
          "LETTER_PHONE": "02 123 45 67", "LETTER_EMAIL": "panel@zennegem.be",
          "LETTER_SIGNATURE": "An Peeters|Diensthoofd Participatie"}
CODE_PATTERN = re.compile(r"\b[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}\b")
DEADLINE = date.today() + timedelta(days=30)


@pytest.fixture
def app_config():
    return dict(CONFIG)


def make_draw(n: int = 6, reserve: float = 0.0, panel_name: str = "Stadspanel"):
    """Import the sample register once, then draw `n` for a new panel."""
    if not db.session.scalar(sa.select(Panel.id)):
        do_import(SAMPLE.read_bytes())
    panel = Panel(name=panel_name, strata=["sex"])
    db.session.add(panel)
    db.session.flush()
    draw = draw_services.run_draw(
        purpose="recruitment", strata=["sex"], n=n, method="proportional", seed=11 + panel.id,
        rules=Exclusions(minimum_age=18, invited_within_months=None), panel=panel,
        reserve=reserve)
    db.session.commit()
    return draw


def make_batch(n: int = 6, reserve: float = 0.0, include_reserves: bool = False,
               panel_name: str = "Stadspanel") -> InvitationBatch:
    """A new panel with a draw of `n` and its invitations."""
    draw = make_draw(n, reserve, panel_name)
    batch = services.create_batch(draw, deadline=DEADLINE, include_reserves=include_reserves,
                                  envelope_profile="DL_LEFT", user_id=None)
    db.session.commit()
    return batch


def invitations_of(batch: InvitationBatch) -> list[Invitation]:
    return list(db.session.scalars(sa.select(Invitation).where(Invitation.batch_id == batch.id)
                                   .order_by(Invitation.id)))


def print_letters(client, batch: InvitationBatch, **data) -> LetterRun:
    response = client.post(f"/uitnodigingen/reeks/{batch.id}/brieven", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    run = db.session.scalars(sa.select(LetterRun).where(LetterRun.batch_id == batch.id)
                             .order_by(LetterRun.id.desc())).first()
    assert run.rendered_at is not None
    return run


def pdf_codes(pdf: bytes) -> list[str]:
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return CODE_PATTERN.findall(text)


def test_batch_has_one_hashed_invitation_per_selected_resident(app):
    batch = make_batch(n=6, reserve=0.5)
    invitations = invitations_of(batch)
    main = db.session.scalars(sa.select(Selection).where(
        Selection.draw_id == batch.draw_id, Selection.is_reserve.is_(False))).all()
    assert sorted(i.selection_id for i in invitations) == sorted(s.id for s in main)
    for invitation in invitations:
        code, token = keys.invitation_secrets(invitation)
        assert invitation.code_hash == keys.code_hash(code) != code
        assert invitation.token_hash == keys.token_hash(token)
        assert code not in str(invitation.__dict__)
    assert len({i.code_hash for i in invitations}) == len(invitations)
    with pytest.raises(services.InvitationError):
        services.create_batch(batch.draw, deadline=DEADLINE, include_reserves=False,
                              envelope_profile="DL_LEFT", user_id=None)
    reserves = services.create_batch(batch.draw, deadline=DEADLINE, include_reserves=True,
                                     envelope_profile="DL_LEFT", user_id=None)
    reserve_ids = db.session.scalars(sa.select(Selection.id).where(
        Selection.draw_id == batch.draw_id, Selection.is_reserve.is_(True))).all()
    assert sorted(i.selection_id for i in invitations_of(reserves)) == sorted(reserve_ids)
    assert len(reserve_ids) >= 3


def test_suppressed_residents_are_not_invited(app):
    batch = make_batch(n=4)
    person_key = invitations_of(batch)[0].selection.resident.person_key
    db.session.add(Suppression(person_key=person_key, reason="test"))
    db.session.commit()
    assert services._uninvited(batch.draw, True) == []  # all others already invited
    selection_ids = [s.id for s in batch.draw.selections]
    db.session.execute(sa.delete(Invitation).where(Invitation.batch_id == batch.id))
    db.session.commit()
    remaining = services._uninvited(batch.draw, False)
    assert len(remaining) == len(selection_ids) - 1


def test_letters_from_a_batch_codes_work_and_qr_decodes_to_a_working_link(client, login_as):
    batch = make_batch(n=5)
    login_as("researcher")
    run = print_letters(client, batch)
    reader = pypdf.PdfReader(io.BytesIO(run.pdf))
    assert run.letter_count == 5 and len(reader.pages) in (5, 10)
    expected = sorted(keys.invitation_secrets(i)[0] for i in invitations_of(batch))
    assert sorted(pdf_codes(run.pdf)) == expected
    assert {i.status for i in invitations_of(batch)} == {"sent"}
    csv_text = client.get(f"/uitnodigingen/reeks/{batch.id}/druk/{run.id}.csv").data
    assert csv_text.decode("utf-8-sig").count("\r\n") == 6 and expected[0] not in str(csv_text)
    public = client.application.test_client()
    first_code = pdf_codes(run.pdf)[0]
    response = public.post("/doe-mee/", data={"code": first_code.lower().replace("-", " ")})
    assert response.status_code == 302 and response.headers["Location"].endswith("/doe-mee/uitleg")
    links = _qr_links(run.pdf, pages=len(reader.pages) // 5)
    assert len(links) == 5
    path = links[0].removeprefix("https://panel.zennegem.be")
    response = client.application.test_client().get(path)
    assert response.status_code == 302 and response.headers["Location"] == "/doe-mee/uitleg"


def _qr_links(pdf: bytes, pages: int) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    links = []
    for index in range(0, len(document), pages):
        image = document[index].render(scale=200 / 72).to_pil()
        links += [result.text for result in zxingcpp.read_barcodes(image)
                  if result.format.name == "QRCode"]
    return links


def test_reprint_gives_the_same_codes_and_new_codes_invalidate_old(client, login_as):
    batch = make_batch(n=3)
    login_as("researcher")
    first = pdf_codes(print_letters(client, batch).pdf)
    assert pdf_codes(print_letters(client, batch).pdf) == first
    rotated = pdf_codes(print_letters(client, batch, rotate="y").pdf)
    assert set(rotated).isdisjoint(first)
    public = client.application.test_client()
    assert public.post("/doe-mee/", data={"code": first[0]}).status_code == 422
    assert public.post("/doe-mee/", data={"code": rotated[0]}).status_code == 302


def test_reminder_letters_only_for_open_invitations_sent_before_the_date(client, login_as):
    batch = make_batch(n=4)
    login_as("researcher")
    print_letters(client, batch)
    first, second, *_ = invitations_of(batch)
    first.status = "declined"
    second.status = "joined"
    db.session.commit()
    too_early = (date.today() - timedelta(days=1)).isoformat()
    response = client.post(f"/uitnodigingen/reeks/{batch.id}/herinneringen",
                           data={"no_reaction_since": too_early})
    run = db.session.scalars(sa.select(LetterRun).where(LetterRun.kind == "reminder")).one()
    assert response.status_code == 302 and run.rendered_at is None  # nobody: job failed
    client.post(f"/uitnodigingen/reeks/{batch.id}/herinneringen",
                data={"no_reaction_since": date.today().isoformat()})
    run = db.session.scalars(sa.select(LetterRun).where(LetterRun.kind == "reminder")
                             .order_by(LetterRun.id.desc())).first()
    assert run.letter_count == 2
    open_codes = sorted(keys.invitation_secrets(i)[0] for i in invitations_of(batch)[2:])
    assert sorted(pdf_codes(run.pdf)) == open_codes
    assert "Herinnering" in pypdf.PdfReader(io.BytesIO(run.pdf)).pages[0].extract_text()


def test_letter_text_refuses_empty_privacy_fields_and_unknown_placeholders(client, login_as):
    login_as("researcher")
    panel = Panel(name="P")
    db.session.add(panel)
    db.session.commit()
    url = f"/uitnodigingen/panel/{panel.id}/brieftekst/nl"
    page = client.get(url)
    assert page.status_code == 200 and "privacy@zennegem.be" in page.get_data(as_text=True)
    data = _template_data(privacy_retention="")
    response = client.post(url, data=data)
    assert response.status_code == 422 and texts.template_record(panel.id, "nl") is None
    response = client.post(url, data=_template_data(body="Beste {voornaam}, {wachtwoord}"))
    assert response.status_code == 422
    assert "{wachtwoord}" in response.get_data(as_text=True)
    assert client.post(url, data=_template_data()).status_code == 302
    assert client.post(url, data=_template_data(subject="Nieuw")).status_code == 302
    record = texts.template_record(panel.id, "nl")
    assert record.version == 2 and record.subject == "Nieuw"
    assert texts.consent_version(panel.id, "nl") == "nl-v2"


def _template_data(**overrides) -> dict:
    values = texts.default_values()
    data = {name: values[name] for name in texts.TEXT_FIELDS}
    data.update({f"privacy_{name}": value for name, value in values["privacy"].items()})
    return {**data, **overrides}


def test_calibration_sheet_downloads(client, login_as):
    login_as("researcher")
    response = client.get("/uitnodigingen/kalibratie/C5.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_paper_reply_join_decline_and_object(client, login_as):
    batch = make_batch(n=3)
    login_as("data_entry")
    joiner, decliner, objector = invitations_of(batch)
    code = keys.invitation_secrets(joiner)[0]
    response = client.post("/uitnodigingen/papier", data={
        "code": code.replace("-", "").lower(), "reply": "join", "consent": "y",
        "contact_preference": "paper", "language": "nl"})
    assert response.status_code == 302
    member = db.session.scalar(sa.select(Member).where(Member.invitation_id == joiner.id))
    assert member.stratum == joiner.selection.stratum and member.contact_preference == "paper"
    assert member.consent_text_version.startswith("papier-")
    assert client.post("/uitnodigingen/papier", data={
        "code": keys.invitation_secrets(decliner)[0], "reply": "decline",
        "language": "nl"}).status_code == 302
    assert client.post("/uitnodigingen/papier", data={
        "code": keys.invitation_secrets(objector)[0], "reply": "object",
        "language": "nl"}).status_code == 302
    db.session.expire_all()
    assert [joiner.status, decliner.status, objector.status] == ["joined", "declined", "declined"]
    suppressed = db.session.scalars(sa.select(Suppression.person_key)).all()
    assert suppressed == [objector.selection.resident.person_key]
    unknown = client.post("/uitnodigingen/papier", data={
        "code": "2222-2222-22", "reply": "decline", "language": "nl"})
    assert unknown.status_code == 422 and "kennen we niet" in unknown.get_data(as_text=True)
    no_consent = client.post("/uitnodigingen/papier", data={
        "code": code, "reply": "join", "contact_preference": "paper", "language": "nl"})
    assert no_consent.status_code == 422
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert {"member_joined", "invitation_declined", "invitation_objection"} <= set(actions)


def test_objection_excludes_the_person_from_the_next_draw(client, login_as):
    batch = make_batch(n=3)
    objector = invitations_of(batch)[0]
    login_as("researcher")
    client.post("/uitnodigingen/papier", data={
        "code": keys.invitation_secrets(objector)[0], "reply": "object", "language": "nl"})
    frame, mask, excluded = draw_services.prepare(["sex"], Exclusions(minimum_age=18))
    key = objector.selection.resident.person_key
    assert not mask[frame["person_key"] == key].any()


def test_codes_are_normalised_like_the_letters(app):
    batch = make_batch(n=1)
    invitation = invitations_of(batch)[0]
    code = keys.invitation_secrets(invitation)[0]
    assert normalise_code(code) == code
    from app.invitations import joining

    assert joining.find_by_code(" " + code.lower().replace("-", " ") + " ") == invitation
    assert joining.find_by_code("OOOO-1111-II") is None


def test_a_person_who_objected_after_the_draw_gets_no_letter(client, login_as):
    batch = make_batch(n=3)
    objector = invitations_of(batch)[1]
    db.session.add(Suppression(person_key=objector.selection.resident.person_key,
                               reason="telefonisch bezwaar"))
    db.session.commit()
    login_as("researcher")
    run = print_letters(client, batch)
    assert run.letter_count == 2
    assert keys.invitation_secrets(objector)[0] not in pdf_codes(run.pdf)
