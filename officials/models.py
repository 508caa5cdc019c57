"""Summary tables for the statistics page, rebuilt by `manage.py refresh_statistics` (and after the demo loads).

On the full bench data (300 k bindings, 1 M refusal-log rows) the live aggregates take seconds; these tables hold
the same counts per month and pooling region, a few thousand rows, so that the page reads them in milliseconds.
Money and settlements made before the refresh's cut (the last full hour) come from MoneyMonthly and
SettlementMonthly, the current month's row holding what was made in it up to the cut; what was made since (an hour
or two of rows, through the creation-time indexes) is read live, so the figures are exact and the page stays fast."""

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


class MoneyMonthly(models.Model):
    """Money shared in a month up to the refresh's cut, by the authorizer's region and the member's: payments and
    their net (less the refunds made before the cut)."""

    month = models.DateField()
    payer_region = models.ForeignKey(PoolingRegion, on_delete=models.CASCADE, related_name="+")
    member_region = models.ForeignKey(PoolingRegion, on_delete=models.CASCADE, related_name="+")
    n = models.PositiveIntegerField()
    net = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        indexes = [models.Index(fields=["month"], name="moneymonthly_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.payer_region_id}→{self.member_region_id}: {self.net}"


class SettlementMonthly(models.Model):
    """Settlements and refunds in a month up to the refresh's cut, by the institution's region."""

    month = models.DateField()
    region = models.ForeignKey(PoolingRegion, on_delete=models.CASCADE, related_name="+")
    settlements = models.PositiveIntegerField(default=0)
    amount = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    shared = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    refunds = models.PositiveIntegerField(default=0)
    refunded = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    class Meta:
        indexes = [models.Index(fields=["month"], name="settlementmonthly_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.region_id}: {self.settlements}"


class SummaryRefresh(models.Model):
    refreshed_at = models.DateTimeField()
    # MoneyMonthly and SettlementMonthly count what was made before this moment (a full hour): the current
    # month's row holds what was made in it up to then. Null on refreshes made before the cut was stored: all read live.
    covered_until = models.DateTimeField(null=True)

    def __str__(self):
        return f"{self.refreshed_at:%Y-%m-%d %H:%M}"
