"""In-site messages (站内消息). Addressed to an insured person: a member may have no web account yet."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.models import InsuredPerson


class Notification(models.Model):
    recipient = models.ForeignKey(InsuredPerson, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name=_("recipient"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.title
