ELDER_COOKIE = "elder_mode"


class ElderModeMiddleware:
    """Elder mode (长辈模式) is a remembered choice: a cookie, so it works before login and without JavaScript."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.elder_mode = request.COOKIES.get(ELDER_COOKIE) == "1"
        return self.get_response(request)
