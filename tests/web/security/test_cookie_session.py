"""The session serializer is built once per key set; a rotated SECRET_KEY still takes effect."""

from flask import session

from app.cookie_session import CachedSerializerSessionInterface


def _set_and_read(app):
    @app.get("/_cookie_test/set")
    def _set():
        session["probe"] = 42
        return "ok"

    @app.get("/_cookie_test/read")
    def _read():
        return str(session.get("probe"))


def test_serializer_is_reused_until_the_keys_change(app):
    interface = app.session_interface
    assert isinstance(interface, CachedSerializerSessionInterface)
    first = interface.get_signing_serializer(app)
    assert interface.get_signing_serializer(app) is first
    app.secret_key = "another secret key, rotated by the administrator"
    assert interface.get_signing_serializer(app) is not first


def test_rotated_key_refuses_old_cookies_unless_listed_as_fallback(app):
    _set_and_read(app)
    client = app.test_client()
    client.get("/_cookie_test/set")
    assert client.get("/_cookie_test/read").text == "42"
    old_key = app.secret_key
    app.secret_key = "a new secret key after a suspected leak, 64 chars long......."
    assert client.get("/_cookie_test/read").text == "None"  # signed with the old key
    client.get("/_cookie_test/set")
    app.config["SECRET_KEY_FALLBACKS"] = [old_key]
    stale = app.test_client()
    with app.test_request_context():
        old_serializer = CachedSerializerSessionInterface()
        app.secret_key, current = old_key, app.secret_key
        app.config["SECRET_KEY_FALLBACKS"] = None
        cookie = old_serializer.get_signing_serializer(app).dumps({"probe": 7})
        app.secret_key = current
        app.config["SECRET_KEY_FALLBACKS"] = [old_key]
    stale.set_cookie("session", cookie)
    assert stale.get("/_cookie_test/read").text == "7"  # the fallback key still verifies
    app.config["SECRET_KEY_FALLBACKS"] = None
    assert stale.get("/_cookie_test/read").text == "None"
