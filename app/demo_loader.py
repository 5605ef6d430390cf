"""Fill an empty database with the demo city, through the same services staff use."""

from datetime import date

import sqlalchemy as sa

from app.admin.services import create_user
from app.extensions import db


def load_demo(*, residents: int, seed: int, password: str, users) -> str:
    for email, name, role in users:
        create_user(email, name, role, password)
    db.session.commit()
    lines = [f"{len(users)} demo-gebruikers aangemaakt."]
    lines.append(_load_register(residents, seed))
    from app.demo_story import tell
    from app.models import User

    admin = db.session.scalar(sa.select(User).where(User.role == "researcher"))
    lines.extend(tell(seed=seed, user_id=admin.id))
    db.session.commit()
    return "\n".join(lines)


def _load_register(residents: int, seed: int) -> str:
    from app.demo import generate_register_csv
    from app.register.services import import_register_bytes

    data = generate_register_csv(residents, seed=seed)
    result = import_register_bytes(
        data, filename="zennegem-demo.csv", reference_date=date(2026, 1, 1),
        legal_basis="Demo: collegebesluit 2026/001 (fictief) — samenstelling Stadspanel",
    )
    db.session.commit()
    return f"Register: {result.valid_rows} inwoners geïmporteerd."
