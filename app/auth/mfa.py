"""Two-step sign-in with a time-based code (TOTP, RFC 6238) from an authenticator app.

Optional per account; required for admins when ``REQUIRE_ADMIN_MFA`` is set. While a user
enrols, the secret is derived from ``SECRET_KEY`` and their server-side session token, so it is
stored nowhere (not in the cookie either) until a correct code confirms it. A code is accepted
once: ``totp_last_step`` remembers the last 30-second step used. The confirmed secret is
stored sealed (``app/auth/sealed.py``), never in plain text.
"""

import base64
import hashlib
import hmac
import time

import pyotp
import segno
from flask import current_app

from app import audit
from app.auth import sealed
from app.models import User
from app.passwords import verify_password

STEP_SECONDS = 30
PURPOSE = "totp"


class MfaError(ValueError):
    """The code or password was refused; the message is Dutch and safe to show."""


def required_for(user: User) -> bool:
    return bool(current_app.config["REQUIRE_ADMIN_MFA"]) and user.role == "admin"


def needs_enrolment(user: User) -> bool:
    return required_for(user) and not user.totp_secret


def pending_secret(user: User) -> str:
    message = f"totp-enrolment:{user.id}:{user.session_token}".encode()
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), message, hashlib.sha256)
    return base64.b32encode(digest.digest()[:20]).decode()


def qr_svg(user: User, secret: str) -> str:
    issuer = f"Stadspanel {current_app.config['CITY_NAME']}"
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)
    return segno.make(uri, error="m").svg_inline(scale=4, title="QR-code")


def seal_secret(secret: str) -> str:
    return sealed.seal(secret, secret=current_app.config["PERSON_KEY_SECRET"], purpose=PURPOSE)


def stored_secret(user: User) -> str | None:
    """The user's confirmed TOTP secret, unsealed (None: none set)."""
    if not user.totp_secret:
        return None
    return sealed.unseal(user.totp_secret, secret=current_app.config["PERSON_KEY_SECRET"],
                         purpose=PURPOSE)


def check_code(user: User, code: str, secret: str | None = None) -> bool:
    """Whether ``code`` is valid now (±1 step) and newer than the last accepted one."""
    code = "".join(ch for ch in code if ch.isdigit())
    secret = secret or stored_secret(user)
    if not secret:
        return False
    totp = pyotp.TOTP(secret)
    now_step = int(time.time()) // STEP_SECONDS
    for step in (now_step - 1, now_step, now_step + 1):
        if step > (user.totp_last_step or 0) and hmac.compare_digest(
                totp.at(step * STEP_SECONDS), code):
            user.totp_last_step = step
            return True
    return False


def enable(user: User, code: str) -> None:
    secret = pending_secret(user)
    if not check_code(user, code, secret):
        raise MfaError("Deze code klopt niet. Controleer de tijd op uw telefoon en probeer de "
                       "volgende code.")
    user.totp_secret = seal_secret(secret)
    audit.record("mfa_enabled", user, actor=user)


def disable(user: User, password: str) -> None:
    if required_for(user):
        raise MfaError("Voor beheerders is tweestapsverificatie verplicht.")
    if not verify_password(user.password_hash, password):
        raise MfaError("Het wachtwoord klopt niet.")
    user.totp_secret = user.totp_last_step = None
    audit.record("mfa_disabled", user, actor=user)
