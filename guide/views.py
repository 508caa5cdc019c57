"""Help pages in the portal's own words. Rules shown here are read from the policy in force, never typed in."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from registry.policy import policies_in_force

# slug -> (title, template). The order is the order of the help index.
PAGES = {
    "family-sharing": _("What family sharing is"),
    "who-can-share": _("Who can share with whom"),
    "what-it-pays": _("What shared money pays for"),
    "card-cannot-be-shared": _("The money can be shared, the card cannot"),
    "family-account-vs-sharing": _("Family account or family sharing?"),
    "how-to-bind": _("How to bind: online or at a service hall"),
}


@require_GET
def index(request):
    return render(request, "guide/index.html", {"pages": PAGES})


@require_GET
def page(request, slug):
    if slug not in PAGES:
        raise Http404
    context = {"title": PAGES[slug], "slug": slug, "pages": PAGES}
    if slug in {"who-can-share", "what-it-pays"}:
        context["policies"] = policies_in_force()
    return render(request, f"guide/{slug}.html", context)
