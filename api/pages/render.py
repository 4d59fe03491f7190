"""The Jinja2 environment of the pages: templates under ``api/templates``, helpers to link IRIs, and the CSP header."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context

from api.pages.links import css_key, href, local_key

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"
STATIC_ROUTE = "static"
"""The name of the app's static mount (``api/static`` at ``/static``); the pages' assets are under ``pages/``."""

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
"""A stricter Content-Security-Policy than the site's (api/middleware/headers.py): the pages have no inline style
either. The other security headers come from that middleware."""



@pass_context
def _href(context: Context, iri: str) -> str:
    """The page of an IRI under this server, below the app's root path when it is mounted under a prefix."""
    path = href(iri)
    return str(context.get("root_path", "")) + path if path.startswith("/") else path


templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.filters["href"] = _href
templates.env.filters["key"] = local_key
templates.env.filters["css"] = css_key
templates.env.globals["static_route"] = STATIC_ROUTE


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    """Render ``pages/<name>`` with ``context`` under the strict CSP, with an ETag of the page (304 when it matches)."""
    context = {"root_path": request.scope.get("root_path", ""), **context}
    response = templates.TemplateResponse(request, f"pages/{name}", context, status_code=status_code)
    # revalidate every time: the page changes with the data, and revalidation is cheap
    headers = {"Content-Security-Policy": CSP, "Cache-Control": "no-cache"}
    if status_code == 200:
        headers["ETag"] = '"' + hashlib.sha256(bytes(response.body)).hexdigest()[:32] + '"'
        if headers["ETag"] in {t.strip() for t in request.headers.get("if-none-match", "").split(",")}:
            return Response(status_code=304, headers=headers)
    response.headers.update(headers)
    return response
