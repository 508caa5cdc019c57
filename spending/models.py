from django.db import models

from registry.models import InsuredPerson


class PaymentMonth(models.Model):
    """What one authorizer's account paid for one member in one local month, per sharing source: the sums of
    `settlement.Payment` rows (shared and quota only), kept exact by database triggers in the same transaction as
    every payment insert, refund or delete (spending/summary.py). The spending pages read totals and the monthly
    chart here, so their cost does not grow with the number of payments."""

    payer = models.ForeignKey(InsuredPerson, on_delete=models.DO_NOTHING, related_name="+")
    member = models.ForeignKey(InsuredPerson, on_delete=models.DO_NOTHING, related_name="+")
    source = models.CharField(max_length=6)
    month = models.DateField(help_text="First day of the month, in the portal's time zone.")
    paid = models.DecimalField(max_digits=16, decimal_places=2)
    refunded = models.DecimalField(max_digits=16, decimal_places=2)
    count = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["payer", "member", "source", "month"], name="payment_month_key"),
        ]
        indexes = [models.Index(fields=["member", "source", "month"], name="payment_month_member")]

    def __str__(self):
        return f"{self.payer_id}→{self.member_id} {self.month:%Y-%m} {self.paid}"
