"""Flask's signed-cookie session with its serializer built once per key set, not per request.

``SecureCookieSessionInterface.get_signing_serializer`` builds a new ``URLSafeTimedSerializer``
on every request, and itsdangerous's constructor serialises an empty dict to find out whether
the serializer produces text: about 0.004 ms of a respondent page's ~0.45 ms (measured
2026-12-03; cProfile overstates it several times). The serializer holds no per-request state,
so the one for the current (secret key, fallback keys) is kept; a changed ``SECRET_KEY`` or
``SECRET_KEY_FALLBACKS`` builds a new one. Signing, verification and the cookie are Flask's.
"""

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class CachedSerializerSessionInterface(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._cached: tuple[tuple, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if self._cached is None or self._cached[0] != keys:
            self._cached = keys, super().get_signing_serializer(app)
        return self._cached[1]
