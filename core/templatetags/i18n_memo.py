"""Django's `i18n` template library with `{% translate "constant" %}` remembered per catalogue.

Registered as `i18n` in TEMPLATES OPTIONS "libraries" (portal/settings.py), so every `{% load i18n %}` — ours, crispy's,
the admin's — gets it. Everything is Django's but the `translate`/`trans` tag, and that differs only for a constant
string without filters or `noop` (with or without a constant `context` and `as var`): its result depends on nothing
but the active catalogue, so it is computed once per catalogue by Django's own code and kept on the catalogue object.
A citizen page renders 10–49 of them; each cost a lazy proxy, a gettext through the fallback chain, an escape and a
`mark_safe`.

Why on the catalogue object: the one Django reads (`trans_real.catalog()`, what `gettext` reads) is looked up at
each render, so `translation.activate`/`override` — per request, in tests, in `{% language %}` — take effect at once,
and a settings change that reloads translations (LANGUAGES, LOCALE_PATHS, …) creates new catalogues with nothing
remembered. With USE_I18N off, Django's code runs as is.
"""

from django.conf import settings
from django.template import Library, Variable
from django.template.base import render_value_in_context
from django.templatetags import i18n
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import trans_real

register = Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)

_ATTRIBUTE = "_portal_template_texts"


def _constant(expression):
    """The string of a filter-free constant (`"text"`), else None."""
    if expression.filters:
        return None
    variable = expression.var
    if isinstance(variable, str):  # how FilterExpression keeps a constant (the `context "…"` argument)
        return variable
    if (isinstance(variable, Variable) and variable.lookups is None and not variable.translate
            and isinstance(variable.literal, str)):  # TranslateNode wraps its constant in a Variable
        return variable.literal
    return None


_NOT_CONSTANT = object()


class TranslateNode(i18n.TranslateNode):
    def __init__(self, filter_expression, noop, asvar=None, message_context=None):
        super().__init__(filter_expression, noop, asvar, message_context)
        msgid = None if noop else _constant(self.filter_expression)
        if message_context is None:
            msg_context = None
        else:
            msg_context = _constant(message_context)
            if msg_context is None:
                msg_context = _NOT_CONSTANT
        # (msgid, message context or None): what gettext/pgettext are called with; None when it may vary.
        self.memo_key = (None if msgid is None or msg_context is _NOT_CONSTANT
                         else (str(msgid), None if msg_context is None else str(msg_context)))

    def translated(self, context) -> str:
        """What Django's TranslateNode.render returns for this tag without `as`: its own steps."""
        self.filter_expression.var.translate = not self.noop
        if self.message_context:
            self.filter_expression.var.message_context = self.message_context.resolve(context)
        output = self.filter_expression.resolve(context)
        value = render_value_in_context(output, context)
        is_safe = isinstance(value, SafeData)
        value = value.replace("%%", "%")
        return mark_safe(value) if is_safe else value

    def render(self, context):
        key = self.memo_key
        if key is None or not settings.USE_I18N:
            return super().render(context)
        catalog = trans_real.catalog()
        texts = getattr(catalog, _ATTRIBUTE, None)
        if texts is None:
            texts = {}
            setattr(catalog, _ATTRIBUTE, texts)
        value = texts.get(key)
        if value is None:
            value = self.translated(context)
            if isinstance(value, SafeData):  # always (a constant is safe), so autoescape cannot change it
                texts[key] = value
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = i18n.do_translate(parser, token)
    return TranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)


_INTENDED = {f"'{name}' is used for multiple template tag modules: '{module}', 'django.templatetags.{name}'"
             for name, module in (("i18n", __name__), ("static", "core.templatetags.static_memo"))}


def library_names_check(app_configs=None, **kwargs):
    """Django's templates.W003 (two modules under one library name) for every name but `i18n` and `static`, which
    this module and static_memo replace on purpose: settings silence templates.W003, and core.apps registers this in
    its place."""
    from django.core import checks
    from django.template import engines
    from django.template.backends.django import DjangoTemplates

    return [checks.Warning(warning.msg, obj=warning.obj, id="core.W003")
            for backend in engines.all() if isinstance(backend, DjangoTemplates)
            for warning in backend._check_for_template_tags_with_the_same_name() if warning.msg not in _INTENDED]
