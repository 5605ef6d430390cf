"""Flask's signed-cookie session with its serializer built once per key set, not per request.

``SecureCookieSessionInterface.get_signing_serializer`` builds a new ``URLSafeTimedSerializer``
on every request, and itsdangerous's constructor serialises an empty dict to find out whether
the serializer produces text: together about a tenth of a respondent page view
(``benchmarks/profile_respond.py``). The serializer holds no per-request state, so one per
(secret key, fallback keys) is kept; a changed ``SECRET_KEY`` or ``SECRET_KEY_FALLBACKS``
builds a new one. Signing, verification and the cookie itself are Flask's, unchanged.
"""

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class CachedSerializerSessionInterface(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._serializers: dict[tuple, URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            self._serializers = {keys: serializer}  # only the current key set is kept
        return serializer
