"""The server-rendered sign-in page: ``GET /signin`` draws the form, ``POST /signin`` checks it.

A real HTML form (so password managers work) that posts to itself. The POST is refused unless it
comes from this site: the ``Origin`` (or, without one, the ``Referer``) must name this host, and
the form's CSRF token must equal the one in a SameSite=Strict cookie set with the form (double
submit). The password check is :func:`data.accounts.attempt_sign_in`, so the lock-out rules and
the single message for a wrong name or password are the app's own. Success sets the HttpOnly
sign-in cookie (:data:`ui.cookie_signin.COOKIE_NAME`) and redirects to the page asked for; no
token ever appears in a URL. ``POST /signout`` ends the record and clears the cookie.
"""

from __future__ import annotations

import hmac
import html
import secrets
from urllib.parse import quote, urlparse

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from data.db import reading, writing
from data.demo_accounts import DEMO_PASSWORD, demo_accounts
from data.settings import get_settings
from data.sign_ins import SignInOutcome, attempt_sign_in, end_sign_in
from presentation.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate
from ui.cookie_signin import COOKIE_NAME, safe_next

CSRF_COOKIE = "effekt_csrf"
CSRF_FIELD = "csrf"
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
# The sign-in form is small; anything bigger is not from it.
_MAX_FORM_BYTES = 8 * 1024
_LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}


def language_of(request: Request) -> str:
    """``?lang=`` first, then the first of sv/en in Accept-Language, else Swedish."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def same_origin(request: Request) -> bool:
    """The request names this host in ``Origin``, or without Origin in ``Referer``; else refused."""
    claimed = request.headers.get("origin") or request.headers.get("referer")
    if not claimed or claimed == "null":
        return False
    host = request.headers.get("host", "")
    return bool(host) and urlparse(claimed).netloc == host


def cookie_secure(request: Request) -> bool:
    """The Secure flag: the setting when given; else on for HTTPS and for every non-loopback host."""
    setting = get_settings().cookie_secure
    if setting is not None:
        return setting
    return request.url.scheme == "https" or (request.url.hostname or "") not in _LOOPBACK


async def sign_in_page(request: Request) -> Response:
    if request.method == "POST":
        return await _sign_in_post(request)
    return await run_in_threadpool(_form_page, request, "", 200)


def _form_page(request: Request, error: str, status: int) -> Response:
    """The form with a fresh CSRF token (also set as a cookie), and the demo accounts when any."""
    language = language_of(request)
    csrf = secrets.token_urlsafe(24)
    page = _render(language, error, csrf, safe_next(request.query_params.get("next")), _demo_lines(language))
    response = HTMLResponse(page, status_code=status, headers={"cache-control": "no-store"})
    response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict", path="/signin",
                        secure=cookie_secure(request))
    return response


def _demo_lines(language: str) -> str:
    with reading() as session:
        accounts = demo_accounts(session=session)
    if not accounts:
        return ""
    items = "".join(f"<li><code>{html.escape(a.username)}</code>: {html.escape(translate(f'role.{a.role}', language))}</li>"
                    for a in accounts)
    explained = translate("http.signin.demo", language, password=DEMO_PASSWORD)
    return f"<h2>{html.escape(translate('signin.demo_title', language))}</h2><p>{html.escape(explained)}</p><ul>{items}</ul>"


def _render(language: str, error: str, csrf: str, next_path: str, demo: str) -> str:
    def text(key: str) -> str:
        return html.escape(translate(key, language))

    other = "en" if language == "sv" else "sv"
    alert = f'<p role="alert" class="error">{html.escape(error)}</p>' if error else ""
    action = f"/signin?next={quote(next_path, safe='/')}&amp;lang={language}"
    return f"""<!DOCTYPE html>
<html lang="{language}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{text('signin.title')} – Effekt</title>
<link rel="stylesheet" href="/signin.css"></head>
<body><main>
<h1>{text('signin.title')}</h1>{alert}
<form method="post" action="{action}">
<input type="hidden" name="{CSRF_FIELD}" value="{html.escape(csrf)}">
<label for="username">{text('signin.username')}</label>
<input id="username" name="username" type="text" autocomplete="username" required maxlength="100">
<label for="password">{text('signin.password')}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1000">
<button type="submit">{text('signin.submit')}</button>
</form>
<p><a href="/signin?next={quote(next_path, safe='/')}&amp;lang={other}" lang="{other}">{_LANGUAGE_NAMES[other]}</a></p>
{demo}
</main></body></html>"""


async def _sign_in_post(request: Request) -> Response:
    language = language_of(request)
    if not same_origin(request):
        return _refused(language)
    if int(request.headers.get("content-length") or 0) > _MAX_FORM_BYTES:
        return _refused(language)
    form = await request.form()
    sent, expected = str(form.get(CSRF_FIELD) or ""), request.cookies.get(CSRF_COOKIE) or ""
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        return _refused(language)
    username, password = str(form.get("username") or ""), str(form.get("password") or "")
    outcome = await run_in_threadpool(_attempt, username, password, _origin(request))
    if outcome.status != "ok" or not outcome.token:
        error = translate("signin.locked" if outcome.status == "locked" else "signin.failed", language)
        return await run_in_threadpool(_form_page, request, error, 401)
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    response.set_cookie(COOKIE_NAME, outcome.token, httponly=True, samesite="lax", path="/",
                        secure=cookie_secure(request))
    response.delete_cookie(CSRF_COOKIE, path="/signin")
    return response


def _attempt(username: str, password: str, origin: str) -> SignInOutcome:
    with writing() as session:
        return attempt_sign_in(session=session, username=username, password=password, origin=origin)


def _origin(request: Request) -> str:
    return f"web {request.client.host}" if request.client else "web"


def _refused(language: str) -> Response:
    """A cross-site or tokenless POST: nothing is checked, nothing counted, nothing set."""
    message = html.escape(translate("http.signin.cross_site", language))
    body = f'<!DOCTYPE html><html lang="{language}"><title>403</title><p>{message}</p>'
    return HTMLResponse(body, status_code=403)


async def sign_out(request: Request) -> Response:
    """``POST /signout``: end the record behind the cookie, clear it, back to the sign-in page."""
    if not same_origin(request):
        return _refused(language_of(request))
    token = request.cookies.get(COOKIE_NAME)
    await run_in_threadpool(_end, token)
    response = RedirectResponse(f"/signin?lang={language_of(request)}", status_code=303)
    response.delete_cookie(COOKIE_NAME, path="/", secure=cookie_secure(request), httponly=True, samesite="lax")
    return response


def _end(token: str | None) -> None:
    with writing() as session:
        end_sign_in(session=session, token=token)


_CSS = """body{font-family:system-ui,sans-serif;color:#141312;background:#fff;margin:0}
main{max-width:28rem;margin:4rem auto;padding:0 1rem}
label{display:block;margin-top:1rem;font-weight:600}
input{display:block;width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #555;border-radius:4px}
button{margin-top:1.5rem;padding:.6rem 1.4rem;font-size:1rem;background:#005A8C;color:#fff;border:0;border-radius:4px}
.error{color:#9b2c00;font-weight:600}code{background:#f2f2f2;padding:0 .2rem}"""


async def sign_in_css(_request: Request) -> Response:
    """The page's style as a file: the Content-Security-Policy allows no inline style for it."""
    return Response(_CSS, media_type="text/css", headers={"cache-control": "max-age=3600"})


ROUTES = [
    Route("/signin", sign_in_page, methods=["GET", "POST"]),
    Route("/signin.css", sign_in_css, methods=["GET"]),
    Route("/signout", sign_out, methods=["POST"]),
]
