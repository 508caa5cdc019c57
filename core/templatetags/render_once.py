from django import template
from django.template import loader

register = template.Library()


@register.simple_tag(takes_context=True)
def include_once(context, name: str):
    """`{% include name %}`, rendered once per page render and repeated where used again: the navigation appears
    twice in the header (the row on wide screens, the "Menu" on phones) and is the costliest part of every page."""
    rendered = context.render_context.get("include_once")
    if rendered is None:
        rendered = context.render_context["include_once"] = {}
    if name not in rendered:
        rendered[name] = loader.get_template(name).template.render(context)
    return rendered[name]
