"""Help pages in the portal's own words. Rules shown here are read from the policy in force, never typed in."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from registry.models import Province, SharingPolicy
from registry.policy import NoPolicy, policy_in_force

# slug -> (title, template). The order is the order of the help index.
PAGES = {
    "family-sharing": _("What family sharing is"),
    "who-can-share": _("Who can share with whom"),
    "what-it-pays": _("What shared money pays for"),
    "card-cannot-be-shared": _("The money can be shared, the card cannot"),
    "family-account-vs-sharing": _("Family account or family sharing?"),
    "how-to-bind": _("How to bind: online or at a service hall"),
}


def policies_in_force() -> list[SharingPolicy]:
    """The national default, then each province's own version in force today."""
    today = timezone.localdate()
    national = (SharingPolicy.objects.filter(province__isnull=True, effective_from__lte=today)
                .order_by("-effective_from"))
    found = [national.first()] if national.exists() else []
    provinces = (Province.objects.filter(policies__effective_from__lte=today).distinct().order_by("code")
                 .prefetch_related("regions"))
    for province in provinces:
        region = province.regions.all()[:1]
        if region:
            try:
                found.append(policy_in_force(region[0], today))
            except NoPolicy:
                pass
    return [p for p in found if p is not None]


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
