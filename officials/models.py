"""Summary tables for the statistics page, rebuilt by `manage.py refresh_statistics` (and after the demo loads).

On the full bench data (300 k bindings, 1 M refusal-log rows) the live aggregates take seconds; these tables hold
the same counts per month and pooling region, a few thousand rows, so that the page reads them in milliseconds.
Money and settlements are read live (they aggregate over indexed periods)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.models import PoolingRegion


class RefusalMonthly(models.Model):
    month = models.DateField(_("month"))
    region = models.ForeignKey(PoolingRegion, null=True, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=10)
    code = models.CharField(_("reason code"), max_length=60)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["month"], name="refusalmonthly_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.region_id} {self.channel} {self.code}: {self.n}"


class BindingSummary(models.Model):
    """Bindings by the authorizer's region, effective status and relationship, as they were at the refresh."""

    region = models.ForeignKey(PoolingRegion, null=True, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20)
    relation = models.CharField(max_length=20)
    n = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.region_id} {self.status} {self.relation}: {self.n}"


class BindingMonthly(models.Model):
    month = models.DateField()
    region = models.ForeignKey(PoolingRegion, null=True, on_delete=models.CASCADE, related_name="+")
    new = models.PositiveIntegerField(default=0)
    ended = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["month"], name="bindingmonthly_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.region_id}: +{self.new} -{self.ended}"


class SummaryRefresh(models.Model):
    refreshed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.refreshed_at:%Y-%m-%d %H:%M}"
