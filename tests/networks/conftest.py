import pytest

from association.tenancy import scopes_disabled
from tests import factories


def make_network(association, slug="natverk-utbildning", name="Strategiskt nätverk utbildning",
                 **fields):  # fmt: skip
    from networks.services import create_network

    fields.setdefault("kind", "strategic")
    with scopes_disabled():
        return create_network(association=association, actor=None, name=name, slug=slug, **fields)


def seat_user(network, user=None, **fields):
    """A login account in the network (a person with an assignment through the service)."""
    from networks.services import add_member

    user = user or factories.make_user()
    factories.make_term(network.association)
    names = {"first_name": user.first_name, "last_name": user.last_name}
    person = factories.make_person(
        network.association, user=user, email=user.email, phone="070-123 45 67",
        **{key: value for key, value in names.items() if value},
    )  # fmt: skip
    fields.setdefault("starts_on", factories.TERM_START)
    with scopes_disabled():
        add_member(network=network, actor=None, person=person, **fields)
    return user


@pytest.fixture
def network(association):
    return make_network(association)


@pytest.fixture
def other_network(association):
    return make_network(association, slug="natverk-social", name="Strategiskt nätverk socialtjänst")
