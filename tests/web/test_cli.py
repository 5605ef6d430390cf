import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, User


def test_users_create(runner):
    result = runner.invoke(args=["users", "create", "Nieuw@Example.org", "--role", "councillor",
                                 "--name", "Nora Nieuw"], input="lang-genoeg-wachtwoord\n" * 2)
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "nieuw@example.org"))
    assert user.role == "councillor" and user.password_hash.startswith("$argon2id$")
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user_created"))


def test_users_create_refuses_a_short_password(runner):
    result = runner.invoke(args=["users", "create", "x@example.org", "--role", "admin"],
                           input="kort\nkort\n")
    assert result.exit_code != 0
    assert "12 tekens" in result.output


def test_users_create_refuses_an_unknown_role(runner):
    result = runner.invoke(args=["users", "create", "x@example.org", "--role", "god"])
    assert result.exit_code != 0
