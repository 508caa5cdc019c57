"""When the database is down or too slow, answer 503 instead of a 500.

The JSON API (`/api/`) gets a JSON body with `Retry-After`, so a hospital's system retries the settlement later
(with the same `request_id`, which is idempotent); citizen pages get the friendly error page (`500.html`, which
touches no database) with status 503. Registered last in MIDDLEWARE, so its `process_exception` runs first.
"""

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

RETRY_AFTER_S = 5


def is_database_unavailable(exc: BaseException) -> bool:
    # QueryCanceled (statement_timeout) is an OperationalError in Django's wrapping of psycopg errors.
    return isinstance(exc, (OperationalError, InterfaceError))


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {"code": "SERVICE_UNAVAILABLE",
                 "message": _("The service is temporarily unavailable. Please retry later with the same request_id.")},
                status=503, json_dumps_params={"ensure_ascii": False},
            )
        else:
            response = HttpResponse(loader.get_template("500.html").render({"request": None}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_S)
        return response
