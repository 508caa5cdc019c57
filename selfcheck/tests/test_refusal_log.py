from django.urls import reverse

from accounts.models import User
from audit.models import RefusalEntry


def test_the_self_check_logs_what_it_found(client, demo):
    client.force_login(User.objects.get(person=demo["spouse"]))
    client.post(reverse("selfcheck:check"), {"situation": "member_cannot_use",
                                             "person": str(demo["father_in_law"].pk), "relation": "parent"})
    codes = set(RefusalEntry.objects.filter(channel="selfcheck").values_list("code", flat=True))
    assert codes == {"NOT_BOUND", "FAMILY_ACCOUNT_ONLY", "CROSS_PROVINCE_NOT_ALLOWED"}
