"""`reverse()` remembered per URL resolver, for the paths that are asked for again and again (the `{% url %}` tag
of core/templatetags/fast_builtins.py, the link of a settlement's notifications).

`reverse()` costs ~15 µs and gives the same path for the same view name, arguments, current app, script prefix and
language; those are the key, kept on the resolver object, which Django replaces when URLconfs change
(`clear_url_caches`). Only for arguments that are str, int or UUID (their text is the path's text); anything else is
`reverse()` itself. A failure is never remembered: it raises NoReverseMatch as `reverse()` does.
"""

import uuid

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language

_ATTRIBUTE = "_portal_reversed"
_KEPT = 4096  # paths remembered per resolver (a row's link has its own id): forgotten all at once past that
_PLAIN = frozenset({str, SafeString, int, uuid.UUID})  # exact types: no bool, no str subclass with its own __str__


def _plain(value) -> bool:
    return type(value) in _PLAIN


def reverse_remembered(view_name, args=(), kwargs=None, current_app=None) -> str:
    kwargs = kwargs or {}
    if not (_plain(view_name) and all(map(_plain, args)) and all(map(_plain, kwargs.values()))
            and (current_app is None or _plain(current_app))):
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    resolver = get_resolver(get_urlconf())
    memo = resolver.__dict__.get(_ATTRIBUTE)
    if memo is None or len(memo) > _KEPT:
        memo = resolver.__dict__[_ATTRIBUTE] = {}
    key = (get_script_prefix(), get_language(), current_app, view_name, tuple(args),
           tuple(sorted(kwargs.items())) if kwargs else ())
    url = memo.get(key)
    if url is None:
        url = memo[key] = reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    return url
