from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

ELDER_COOKIE = "elder_mode"


class ElderModeMiddleware:
    """Elder mode (长辈模式) is a remembered choice: a cookie, so it works before login and without JavaScript."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.elder_mode = request.COOKIES.get(ELDER_COOKIE) == "1"
        return self.get_response(request)


class ChineseByDefaultLocaleMiddleware(LocaleMiddleware):
    """The portal speaks Simplified Chinese unless the user chose another language on it.

    Django's LocaleMiddleware would follow the browser's Accept-Language; a bureau's portal must not switch an
    elderly citizen's pages to English because of a phone setting. The choice is the language cookie alone.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # Django's would look for a language prefix in the path (the portal has no i18n_patterns) and declare
        # `Vary: Accept-Language`, which the portal ignores: the reply varies by the language cookie.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every page and API reply the portal renders: a hall counter PC is shared, and
    neither its browser nor a proxy may keep a citizen's page. A view that sets Cache-Control itself keeps it;
    static files (WhiteNoise, earlier in the chain) keep their long-lived caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response
