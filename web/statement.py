"""``GET /tillganglighet``: the accessibility statement as a plain page, for anyone, signed in or not.

The DOS law wants the statement easy to find; a plain server-rendered page (the same sections as
the page under Om, ui/statement.py) needs no script and no sign-in. ``?lang=en`` or the browser's
Accept-Language chooses English, as on /signin.
"""

from __future__ import annotations

import html

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from presentation.i18n import translate
from ui.statement import statement_html
from web.signin import language_of

_OTHER = {"sv": ("en", "English"), "en": ("sv", "Svenska")}


def _page(language: str) -> str:
    title = html.escape(translate("statement.title", language))
    other, name = _OTHER[language]
    return f"""<!DOCTYPE html>
<html lang="{language}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – Effekt</title>
<link rel="stylesheet" href="/signin.css"></head>
<body><main>
<h1>{title}</h1>
{statement_html(language, level=2)}
<p><a href="/tillganglighet?lang={other}" lang="{other}">{name}</a> · <a href="/">Effekt</a></p>
</main></body></html>"""


async def statement_page(request: Request) -> Response:
    page = await run_in_threadpool(_page, language_of(request))
    return HTMLResponse(page, headers={"cache-control": "no-cache"})


ROUTES = [Route("/tillganglighet", statement_page, methods=["GET"])]
