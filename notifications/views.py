from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.decorators import citizen_required, post_only
from notifications.models import Notification
from notifications.services import notifications_mark_read


@require_GET
@citizen_required
def inbox(request):
    items = list(Notification.objects.filter(recipient_id=request.user.person_id)[:100])
    return render(request, "notifications/inbox.html", {"items": items})


@post_only("notifications:inbox")
@citizen_required
def mark_read(request):
    raw = request.POST.get("notification")
    notification_id = int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 19 else None
    notifications_mark_read(person=request.user.person, notification_id=notification_id)
    if notification_id is None:
        messages.success(request, _("All messages are marked as read."))
    return redirect("notifications:inbox")
