from django.urls import reverse

from accounts.models import User
from audit.models import RefusalEntry


def test_the_self_check_logs_what_it_found(client, people):
    client.force_login(User.objects.get(person=people["spouse"]))
    client.post(reverse("selfcheck:check"), {"situation": "member_cannot_use",
                                             "person": str(people["father_in_law"].pk), "relation": "parent"})
    logged = set(RefusalEntry.objects.filter(channel="selfcheck").values_list("code", "region_id"))
    assert logged == {("NOT_BOUND", "320300"), ("FAMILY_ACCOUNT_ONLY", "320300"),
                      ("CROSS_PROVINCE_NOT_ALLOWED", "320300")}
