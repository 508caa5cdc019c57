import pytest


@pytest.fixture
def demo(db):
    """The demo families of portal/demo.py (family accounts included)."""
    from demo import data as demo

    return demo.load()


@pytest.fixture
def bind():
    """A binding through the real service (typed signature), for any authorizer; the demo's live one if it exists."""
    from sharing.models import Binding
    from sharing.services import binding_create

    def make(authorizer, member, relation="child", **extra):
        from sharing.selectors import live_bindings_for_authorizer

        live = live_bindings_for_authorizer(authorizer).filter(member=member).first()
        if live is not None and not extra:
            return live
        return binding_create(authorizer=authorizer, member=member, relation=relation, actor=None,
                              signature_method=Binding.SignatureMethod.TYPED, typed_name=authorizer.name, **extra)

    return make
