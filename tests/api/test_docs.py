"""OpenAPI documentation at /docs works without internet: Swagger UI's files come from the API."""
import re

import httpx
import pytest

from tests.browser import browser  # noqa: F401  (fixture)

pytestmark = pytest.mark.stack


def test_docs_page_loads_swagger_ui_from_the_api_itself(stack):
    page = httpx.get(f"{stack.api_url}/docs", timeout=10)
    assert page.status_code == 200
    assets = re.findall(r"""(?:src|href)=["']([^"']+\.(?:js|css))["']""", page.text)
    assert len(assets) == 2 and all(a.startswith("/") for a in assets), assets  # no CDN
    for asset in assets:
        assert httpx.get(f"{stack.api_url}{asset}", timeout=10).status_code == 200
    schema = httpx.get(f"{stack.api_url}/openapi.json", timeout=10).json()
    assert "/api/chat" in schema["paths"] and "/api/conversations/{conversation_id}" in schema["paths"]


def test_docs_render_the_chat_operations_in_a_browser(stack, browser):  # noqa: F811
    page = browser.new_page()
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(f"{stack.api_url}/docs")
    page.locator(".opblock-summary-path", has_text="/api/chat").first.wait_for(timeout=30_000)
    assert page.locator(".opblock-summary-path", has_text="/api/conversations/{conversation_id}").count() == 1
    assert not failed, failed
    page.close()
