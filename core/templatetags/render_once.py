"""Rendering the page chrome cheaply: the header is the same for every citizen but for a few values.

`include_once` renders a partial once per page render and repeats it (the navigation appears twice in the header).
`include_cached` renders a partial once per process and kind of page — language, role, elder mode, whether each
navigation count is zero — with placeholders in place of the per-request values (CSRF token, the current path, the
counts), then fills them in for each request. The template stays the only source of the HTML; a test checks that
both ways give the same page.
"""

from django import template
from django.conf import settings
from django.template import loader
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

_HOLE = "\ue000{}\ue000"  # a private-use character: never in real content, never escaped
_CSRF, _PATH, _CONSENT, _UNREAD, _WAITING = (_HOLE.format(name) for name in ("csrf", "path", "c", "u", "w"))
_cache: dict[tuple, str] = {}


@register.simple_tag(takes_context=True)
def include_once(context, name: str):
    """`{% include name %}`, rendered once per page render and repeated where used again."""
    rendered = context.render_context.get("include_once")
    if rendered is None:
        rendered = context.render_context["include_once"] = {}
    if name not in rendered:
        rendered[name] = loader.get_template(name).template.render(context)
    return rendered[name]


class _PathOnly:
    """What the cached partials may read of the request: its path (a placeholder)."""

    def get_full_path(self):
        return _PATH


def _value(context, key) -> int:
    value = context.get(key, 0)
    return (value() if callable(value) else value) or 0


def _role(user) -> str:
    if user is None or not user.is_authenticated:
        return "anonymous"
    for role in ("is_citizen", "is_hall_staff", "is_staff"):
        if getattr(user, role, False):
            return role
    return "other"


@register.simple_tag(takes_context=True)
def include_cached(context, name: str):
    """`{% include name %}` for the header: see the module's docstring. Off with DEBUG (templates change)."""
    request, csrf_token = context.get("request"), context.get("csrf_token")
    if settings.DEBUG or request is None or not csrf_token or csrf_token == "NOTPROVIDED":
        return loader.get_template(name).template.render(context)
    consents, unread = _value(context, "nav_consent_count"), _value(context, "nav_unread_count")
    key = (name, get_language(), get_script_prefix(), _role(context.get("user")), bool(context.get("elder_mode")),
           bool(consents), bool(unread))
    cached = _cache.get(key)
    if cached is None:
        with context.push(csrf_token=_CSRF, request=_PathOnly(), nav_consent_count=_CONSENT if consents else 0,
                          nav_unread_count=_UNREAD if unread else 0, nav_waiting_count=_WAITING if consents or unread else 0):
            cached = _cache[key] = str(loader.get_template(name).template.render(context))
    return mark_safe(cached.replace(_CSRF, escape(str(csrf_token))).replace(_PATH, escape(request.get_full_path()))
                     .replace(_CONSENT, str(consents)).replace(_UNREAD, str(unread))
                     .replace(_WAITING, str(consents + unread)))


_forms: dict[tuple, str] = {}
_FORMS_KEPT = 512


def _form_key(form) -> tuple | None:
    """What a crispy rendering of `form` depends on, or None when it must not be cached (errors, CSRF)."""
    helper = getattr(form, "helper", None)
    if helper is None or (form.is_bound and form.errors) or not getattr(helper, "disable_csrf", False):
        return None
    fields = []
    for bound in form:
        field = bound.field
        choices = tuple((str(value), str(label)) for value, label in getattr(field, "choices", ()))
        fields.append((bound.name, str(bound.label), str(bound.help_text), field.required, choices,
                       repr(bound.value()), tuple(sorted(field.widget.attrs.items()))))
    return (type(form).__module__, type(form).__qualname__, get_language(), form.prefix, form.auto_id,
            form.is_bound, tuple(fields))


@register.simple_tag(takes_context=True)
def crispy_cached(context, form):
    """`{% crispy form %}` for GET filter forms, remembered per process: crispy renders a three-field form through
    dozens of templates (half of a spending page's time), and the same lists come back on every visit. Only forms
    whose helper and layout follow from their class and fields (the spending filters), never with errors or a CSRF
    token. Off with DEBUG. An object with `render_key()` and `form()` stands for a form built only when its key is
    not found."""
    from crispy_forms.templatetags.crispy_forms_tags import CrispyFormNode

    lazy = getattr(form, "render_key", None)  # a form not built yet (spending.forms.FirstShown) names its own key
    key = None if settings.DEBUG else ((type(form).__module__, type(form).__qualname__, *lazy()) if lazy
                                       else _form_key(form))
    if key is not None and key in _forms:
        return mark_safe(_forms[key])
    if lazy:
        form = form.form()
    with context.push(crispy_cached_form=form):
        rendered = CrispyFormNode("crispy_cached_form", None).render(context)
    if key is not None:
        if len(_forms) >= _FORMS_KEPT:
            _forms.clear()
        _forms[key] = str(rendered)
    return mark_safe(rendered)
