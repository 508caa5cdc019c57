from django.urls import reverse


def test_staff_find_a_citizen_by_id_number_and_see_the_full_number(client, hall_staff, alice):
    client.force_login(hall_staff)
    response = client.post(reverse("hall:workspace"), {"certno": alice.person.certno, "documents": ["id_card"]},
                           follow=True)
    assert response.status_code == 200
    assert alice.person.certno in response.text and "¥3000.00" in response.text


def test_staff_are_told_when_nobody_has_the_number(client, hall_staff, db):
    client.force_login(hall_staff)
    response = client.post(reverse("hall:workspace"), {"certno": "11010519491231002X", "documents": ["id_card"]})
    assert "PERSON_NOT_IN_REGISTRY" in response.text


def test_staff_get_a_clear_error_for_a_malformed_number(client, hall_staff):
    client.force_login(hall_staff)
    response = client.post(reverse("hall:workspace"), {"certno": "12345"})
    assert response.status_code == 200 and "error-summary" in response.text


def test_citizens_never_see_the_hall_workspace(client, alice):
    client.force_login(alice)
    assert client.get(reverse("hall:workspace")).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, db):
    assert client.get(reverse("hall:workspace")).status_code == 302


def test_refuses_other_methods(client, hall_staff):
    client.force_login(hall_staff)
    assert client.put(reverse("hall:workspace")).status_code == 405


def test_the_id_number_never_goes_into_the_url(client, hall_staff):
    client.force_login(hall_staff)
    assert 'method="post"' in client.get(reverse("hall:workspace")).text


def test_citizens_cannot_enter_the_admin(client, alice):
    client.force_login(alice)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_every_lookup_is_audited(client, hall_staff, alice):
    from audit.models import AuditEvent

    client.force_login(hall_staff)
    client.post(reverse("hall:workspace"), {"certno": alice.person.certno, "documents": ["id_card"]})
    event = AuditEvent.objects.get(event="hall.lookup")
    assert event.actor == hall_staff and event.hall == hall_staff.hall and event.subject_id == str(alice.person.pk)


def test_staff_cannot_browse_citizens_of_another_province(client, hall_staff, make_person):
    beijing = make_person(name="北京人", address="110105", region="110000", balance="777.00")
    client.force_login(hall_staff)
    response = client.post(reverse("hall:workspace"), {"certno": beijing.certno, "documents": ["id_card"]})
    assert "OUTSIDE_HALL_SCOPE" in response.text and "777.00" not in response.text
