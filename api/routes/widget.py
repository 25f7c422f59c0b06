"""The patient chat widget: three static files under /widget/, embedded by the portal in an iframe.

The portal opens ``/widget/#token=<portal JWT>&procedure=<optional>``. The token is in the URL
fragment, which browsers never send to a server, so it is never in a request line or an access log;
the widget sends it only as ``Authorization: Bearer`` to /api/chat and /api/conversations/{id}.
"""
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, RedirectResponse

from api.deps import SettingsDep

WIDGET_DIR = Path(__file__).resolve().parent.parent / "static" / "widget"
# A fixed list, not a directory mount: nothing else under static/ can be fetched by name.
FILES = {"index.html": "text/html; charset=utf-8", "widget.js": "text/javascript; charset=utf-8", "widget.css": "text/css; charset=utf-8"}

router = APIRouter(prefix="/widget", tags=["widget"], include_in_schema=False)


def security_headers(frame_ancestors: str) -> dict:
    # No inline script or style anywhere in the widget, so 'self' is enough for everything.
    csp = f"default-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'; frame-ancestors {frame_ancestors}"
    return {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-cache",
    }


def _file(name: str, settings) -> FileResponse:
    return FileResponse(WIDGET_DIR / name, media_type=FILES[name], headers=security_headers(settings.widget_frame_ancestors))


@router.get("")
def widget_root() -> RedirectResponse:
    # Relative URLs in index.html (widget.js, widget.css) need the trailing slash.
    return RedirectResponse("widget/", status_code=308)


@router.get("/")
def widget_page(settings: SettingsDep) -> FileResponse:
    return _file("index.html", settings)


@router.get("/widget.js")
def widget_script(settings: SettingsDep) -> FileResponse:
    return _file("widget.js", settings)


@router.get("/widget.css")
def widget_style(settings: SettingsDep) -> FileResponse:
    return _file("widget.css", settings)
