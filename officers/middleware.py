from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import middleware as auth_middleware
from django.http import JsonResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


class ChineseFirstLocaleMiddleware:
    """Simplified Chinese unless the officer chose English in the footer.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and
    most of the bureau's browsers say en-US; the bureau's language is Chinese.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class PasswordChangeRequiredMiddleware:
    """An officer whose password an administrator set must choose their own first.

    Until they do, every page except the password change itself, logging out
    and switching the language leads to the password change.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse("password_change"), reverse("logout"), reverse("set_language")}
            static = (settings.STATIC_URL, settings.MEDIA_URL)
            if request.path not in allowed and not request.path.startswith(static):
                return redirect("password_change")
        return self.get_response(request)


class SessionIdleRefreshMiddleware:
    """Keep the 30-minute idle logout without writing the session on every request.

    Rewriting the session row on each request doubled the writes of every
    answer save on exam day. The expiry is pushed back at most once a minute
    instead, so an officer is logged out between 29 and 30 minutes after their
    last request. Place after SessionMiddleware.
    """

    REFRESH_EVERY = 60  # seconds
    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            import time

            now = int(time.time())
            last = session.get(self.KEY, 0)
            if not isinstance(last, int) or now - last >= self.REFRESH_EVERY:
                session[self.KEY] = now
        return response


class PrivateNoStoreMiddleware:
    """Nothing shown to a signed-in officer is kept by a browser or a proxy cache.

    Pages, PDFs, exports and documents carry personal results, keys and evaluations;
    marking every answer to a signed-in officer `private, no-store` is the one
    default that cannot forget a view. A view that chose a private policy of its own
    (lesson video, cached in the officer's browser only for seeking) keeps it; static
    files are not touched.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(settings.STATIC_URL):
            return response
        if "private" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "private, no-store"
        return response


def wants_json(request) -> bool:
    """A page's script asking (fetch with JSON), not a browser navigating.

    A browser never sends a JSON body or asks for JSON only when following a
    link or posting a form, so this never turns a page into JSON.
    """
    content_type = request.headers.get("Content-Type", "").split(";")[0].strip()
    accept = request.headers.get("Accept", "")
    return (
        content_type == "application/json"
        or request.headers.get("X-Requested-With") == "XMLHttpRequest"
        or ("application/json" in accept and "text/html" not in accept)
    )


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's login-required, answering a page's script in JSON instead of a redirect.

    A save posted after the session ended (30 minutes idle, or logged out in
    another tab) used to follow the redirect to the login page: the script read
    HTML, and a save it could not parse was shown as refused. It now gets 401
    with a Chinese message and a login URL that returns to the page the officer
    was on (its Referer, if on this site), never to the endpoint itself, which
    would answer a GET with 405.
    """

    def handle_no_permission(self, request, view_func):
        if not wants_json(request):
            return super().handle_no_permission(request, view_func)
        return session_expired_response(request, view_func=view_func)


def session_expired_response(request, *, view_func=None) -> JsonResponse:
    """401 {"error", "login_url", "session_expired": true} for a script whose session ended."""
    login_url = resolve_url(getattr(view_func, "login_url", None) or settings.LOGIN_URL)
    referer = request.headers.get("Referer", "")
    back = ""
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        back = parts.path + (f"?{parts.query}" if parts.query else "")
    if back:
        login_url = f"{login_url}?{urlencode({REDIRECT_FIELD_NAME: back})}"
    response = JsonResponse(
        {"error": _("Your login has expired: log in again."), "login_url": login_url, "session_expired": True},
        status=401,
    )
    response["Cache-Control"] = "private, no-store"
    return response
