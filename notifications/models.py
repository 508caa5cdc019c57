"""In-site messages (站内消息). Addressed to an insured person: a member may have no web account yet."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.models import InsuredPerson


class Notification(models.Model):
    # No index of its own: notification_unread (recipient, read_at) leads with it.
    recipient = models.ForeignKey(InsuredPerson, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name=_("recipient"), db_index=False)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))
    link = models.CharField(_("link"), max_length=300, blank=True)
    # {"title": …, "body": …}: each the English msgid and its parameters (notifications.messages), rendered in the
    # reader's language when read. `title` and `body` keep the text as sent: what rows from before show.
    message = models.JSONField(_("message code and parameters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.title

    @property
    def shown_title(self) -> str:
        from notifications.messages import render_stored

        return render_stored(self.message.get("title"), self.title)

    @property
    def shown_body(self) -> str:
        from notifications.messages import render_stored

        return render_stored(self.message.get("body"), self.body)


class SmsMessage(models.Model):
    """The SMS outbox: each text is sent by the task worker, outside the request, and retried; officials see what
    failed (admin). The text is erased once the message is sent or given up, so no code stays readable."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        RETRYING = "retrying", _("Retrying")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    mobile = models.CharField(_("mobile number"), max_length=40)
    # The recipient's pooling region, so that an official sees only the messages of their scope (admin).
    region = models.ForeignKey("registry.PoolingRegion", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("recipient's pooling region"))
    text = models.TextField(_("text"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS messages")

    def __str__(self):
        return f"{self.masked_mobile} {self.status}"

    @property
    def masked_mobile(self) -> str:
        return self.mobile[:3] + "****" + self.mobile[-4:] if len(self.mobile) == 11 else "***"
