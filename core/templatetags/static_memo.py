"""Django's `static` template library with each `{% static "path" %}` URL remembered per static files storage.

Registered as `static` in TEMPLATES OPTIONS "libraries" (portal/settings.py), so every `{% load static %}` gets it.
Everything is Django's but the tag's URL: with the manifest storage, `staticfiles_storage.url(path)` looks the path
up in the manifest, splits and joins it, quotes it: ~10 µs, and a page asks for four to six of them. The URL of a
path depends on nothing but the storage, so it is kept on the storage object: a settings change that makes a new
storage (STATIC_URL, STORAGES) starts with nothing remembered. With DEBUG, Django's code runs as is.
"""

from django.apps import apps
from django.conf import settings
from django.template import Library
from django.templatetags import static
from django.utils.functional import empty

register = Library()
register.tags.update(static.register.tags)
register.filters.update(static.register.filters)

_ATTRIBUTE = "_portal_static_urls"


class StaticNode(static.StaticNode):
    def url(self, context):
        path = self.path.resolve(context)
        if settings.DEBUG or not isinstance(path, str) or not apps.is_installed("django.contrib.staticfiles"):
            return self.handle_simple(path)
        from django.contrib.staticfiles.storage import staticfiles_storage

        storage = staticfiles_storage._wrapped
        urls = None if storage is empty else storage.__dict__.get(_ATTRIBUTE)
        if urls is not None and path in urls:
            return urls[path]
        url = self.handle_simple(path)  # Django's (and the storage is set up if it was not yet)
        staticfiles_storage._wrapped.__dict__.setdefault(_ATTRIBUTE, {})[path] = url
        return url


@register.tag("static")
def do_static(parser, token):
    """Django's `{% static %}`; see the module's docstring."""
    return StaticNode.handle_token(parser, token)
