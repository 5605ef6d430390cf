import ast
from pathlib import Path

import pytest

from app import create_app

ROOT = Path(__file__).resolve().parents[2]


def test_404_is_dutch_and_never_leaks(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "bestaat niet" in text and 'lang="nl"' in text


def test_500_shows_no_stack_trace(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom-test")
    def boom():
        raise RuntimeError("secret internals")

    response = client.get("/boom-test")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "secret internals" not in text and "Traceback" not in text
    assert "ging iets mis" in text


def test_security_headers(client):
    response = client.get("/auth/login")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


def test_production_refuses_to_start_without_secrets(monkeypatch, tmp_path):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": None, "PERSON_KEY_SECRET": "x"})
    with pytest.raises(RuntimeError, match="PERSON_KEY_SECRET"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": "x", "PERSON_KEY_SECRET": None})


def test_language_switch_to_french_and_back(client):
    client.post("/taal", data={"language": "fr", "next": "/auth/login"})
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'lang="fr"' in page and "Connexion" in page
    client.post("/taal", data={"language": "nl"})
    assert "Aanmelden" in client.get("/auth/login").get_data(as_text=True)


@pytest.mark.parametrize("package", ["sampling", "reports"])
def test_pure_libraries_never_import_flask_or_the_app(package):
    forbidden = {"flask", "flask_sqlalchemy", "sqlalchemy", "app", "flask_babel"}
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in forbidden, f"{path}: imports {name}"


PURE_APP_PACKAGES = ("app/surveys/definition", "app/surveys/paper", "app/invitations/letters")


@pytest.mark.parametrize("package", PURE_APP_PACKAGES)
def test_pure_app_packages_import_only_themselves_and_pure_code(package):
    """The definition, paper questionnaire and letter packages take plain data, no database."""
    allowed = {folder.replace("/", ".") for folder in PURE_APP_PACKAGES}
    modules = sorted((ROOT / package).glob("*.py"))
    assert len(modules) >= 5
    for path in modules:
        for node in ast.walk(ast.parse(path.read_text())):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            for name in names:
                assert name.split(".")[0] not in {"flask", "flask_sqlalchemy", "sqlalchemy",
                                                  "flask_babel"}, f"{path}: imports {name}"
                if name.split(".")[0] == "app":
                    assert ".".join(name.split(".")[:3]) in allowed, f"{path}: imports {name}"


def test_admin_sees_every_top_level_page(client, login_as):
    login_as("admin")
    for url in ["/dashboard", "/register/", "/panels/", "/trekkingen/", "/uitnodigingen/",
                "/bevragingen/", "/antwoorden/", "/invoer/", "/resultaten/", "/beheer/gebruikers",
                "/beheer/audit"]:
        assert client.get(url).status_code == 200, url
