"""The widget's static files and security headers, from the real app (no Rasa needed).

What the widget does in a browser is tested in test_widget_browser.py (real Chromium).
"""
import re

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from api.main import create_app
from bot.settings import Settings
from bot.stack import free_port
from tests.conftest import TEST_SECRET


def client_for(tmp_path, **overrides) -> TestClient:
    settings = Settings(
        app_env="test", portal_jwt_secret=TEST_SECRET, database_url=f"sqlite:///{tmp_path / 'app.db'}",
        rasa_url=f"http://127.0.0.1:{free_port()}", rasa_timeout_seconds=2, **overrides,
    )
    return TestClient(create_app(settings))


@pytest.mark.parametrize(
    "path, content_type, marker",
    [
        ("/widget/", "text/html", '<script src="widget.js" defer></script>'),
        ("/widget/widget.js", "text/javascript", "textContent"),
        ("/widget/widget.css", "text/css", ".escalation"),
    ],
)
def test_files_are_served_with_security_headers(tmp_path, path, content_type, marker):
    with client_for(tmp_path) as client:
        response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(content_type)
    assert marker in response.text
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'self'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"


def test_no_inline_script_style_or_html_insertion(tmp_path):
    with client_for(tmp_path) as client:
        html = client.get("/widget/").text
        js = client.get("/widget/widget.js").text
    # A strict CSP blocks inline code: every <script> must load a file, and no style="" attributes.
    assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", html))
    assert "style=" not in html and not re.search(r"\son[a-z]+\s*=", html)
    # Texts go in with textContent; none of the HTML-parsing sinks is used.
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in js, sink


def test_frame_ancestors_from_the_setting(tmp_path):
    with client_for(tmp_path, widget_frame_ancestors="'self' https://portal.example.nl") as client:
        csp = client.get("/widget/").headers["content-security-policy"]
    assert csp.endswith("frame-ancestors 'self' https://portal.example.nl")


@pytest.mark.parametrize("value", ["'self'; script-src *", "https://a.example, https://b.example", "'self'\r\nX-Evil: 1", " "])
def test_frame_ancestors_cannot_add_directives(value):
    with pytest.raises(ValidationError, match="WIDGET_FRAME_ANCESTORS"):
        Settings(widget_frame_ancestors=value)


def test_widget_without_slash_redirects_and_other_files_are_not_served(tmp_path):
    with client_for(tmp_path) as client:
        redirect = client.get("/widget", follow_redirects=False)
        assert redirect.status_code == 308 and redirect.headers["location"] == "widget/"
        assert client.get("/widget/index.htm").status_code == 404
