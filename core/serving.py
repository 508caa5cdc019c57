"""What a served worker does once it has loaded the portal (portal/gunicorn_conf.py; the bench runs it too).

Everything alive then (Django, the apps, the URL patterns, both translation catalogues) lives as long as the
worker: `gc.freeze()` moves it out of the garbage collector's reach. Without it, a full collection walked all of it
— 65–120 ms during which every thread of the worker stood still, the slowest settlements of a run
(docs/gc-freeze.md). Objects made later are collected as usual.
"""

import gc


def warm_and_freeze() -> None:
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 - imports every app's views and urls now, not at the first request
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Gongjitong")  # loads the catalogue
    gc.collect()
    gc.freeze()
