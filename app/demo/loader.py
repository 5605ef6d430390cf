"""Fill an empty database with the demo city, through the same services staff use."""

from datetime import date

import sqlalchemy as sa

from app.admin.services import create_user
from app.extensions import db


def load_demo(*, residents: int, seed: int, password: str, users) -> str:
    for email, name, role in users:
        create_user(email, name, role, password)
    db.session.commit()
    lines = [f"{len(users)} demo-gebruikers aangemaakt.", _study()]
    lines.append(_load_register(residents, seed))
    from app.demo.story import tell
    from app.models import User

    admin = db.session.scalar(sa.select(User).where(User.role == "researcher"))
    lines.extend(tell(seed=seed, user_id=admin.id, invitation_count=residents // 16))
    db.session.commit()
    return "\n".join(lines)


def _study() -> str:
    """The (fictional) decision the demo panel rests on: letters and the privacy page use it."""
    from app.privacy import studies

    study = studies.save_study(studies.StudyValues(
        name="Stadspanel Zennegem 2026–2030", decision_body="College van burgemeester en schepenen",
        decision_date=date(2026, 1, 12), decision_reference="CBS/2026/001 (fictief)",
        purpose="Een representatief inwonerspanel samenstellen en tot drie keer per jaar "
                "bevragen over het beleid van de stad.",
        legal_basis="Taak van algemeen belang (artikel 6.1.e AVG), collegebesluit CBS/2026/001",
        controller="Stad Zennegem (fictief), Markt 1, 1500 Zennegem",
        dpo_contact="privacy@zennegem.example, 02 000 00 00",
        letter_sender="Stad Zennegem (fictief)\nDienst Participatie\nMarkt 1, 1500 Zennegem",
        letter_phone="02 000 00 10", letter_email="stadspanel@zennegem.example",
        letter_signature="Eva Janssens\nDiensthoofd Participatie"))
    db.session.commit()
    return f"Studie '{study.name}' aangemaakt."


def _load_register(residents: int, seed: int) -> str:
    from app.demo.register_file import generate_register_csv
    from app.register.services import import_register_bytes

    data = generate_register_csv(residents, seed=seed)
    result = import_register_bytes(
        data, filename="zennegem-demo.csv", reference_date=date(2026, 1, 1),
        legal_basis="Demo: collegebesluit 2026/001 (fictief) — samenstelling Stadspanel",
    )
    db.session.commit()
    return f"Register: {result.valid_rows} inwoners geïmporteerd."
