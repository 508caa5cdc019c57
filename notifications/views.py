from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.decorators import citizen_required, post_only
from notifications.models import Notification
from notifications.selectors import Inbox
from notifications.services import notifications_mark_read

PER_PAGE = 20


@citizen_required
@require_GET
def inbox(request):
    page = Paginator(Inbox(request.user.person_id, first_page=PER_PAGE), PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"items": list(page.object_list), "page": page})


@citizen_required
@require_GET
def open_notification(request, notification_id):
    """Opening a message marks it read and goes where it points (a page of the portal), else back to the list."""
    notification = get_object_or_404(Notification, pk=notification_id, recipient_id=request.user.person_id)
    notifications_mark_read(person=request.user.person, notification_id=notification.pk)
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, {request.get_host()}, require_https=request.is_secure()):
        return redirect(link)
    return redirect(f"{reverse('notifications:inbox')}#notification-{notification.pk}")


@citizen_required
@post_only("notifications:inbox")
def mark_read(request):
    raw = request.POST.get("notification")
    notification_id = int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 19 else None
    notifications_mark_read(person=request.user.person, notification_id=notification_id)
    if notification_id is None:
        messages.success(request, _("All messages are marked as read."))
    return redirect("notifications:inbox")
