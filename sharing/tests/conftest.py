import datetime

import pytest

from sharing.models import Binding


@pytest.fixture
def seeded(transactional_db):
    """Reference data back after the flush of an earlier transactional test."""
    from django.apps import apps

    from registry import seed
    from sharing import seed as sharing_seed

    seed.load(apps)
    sharing_seed.load(apps)


@pytest.fixture
def sign():
    """The typed-signature arguments of binding_create for an authorizer (a citizen user)."""

    def make(user, **extra):
        return dict(authorizer=user.person, actor=user, signature_method=Binding.SignatureMethod.TYPED,
                    typed_name=user.person.name, **extra)

    return make


@pytest.fixture
def parent_of_alice(make_person):
    return make_person(name="张老汉", birth=datetime.date(1958, 1, 1), insutype="390")


@pytest.fixture
def binding_statuses():
    return Binding.Status
