import pytest

from tests import factories


@pytest.fixture
def board(association):
    return factories.make_body(association, "styrelse", kind="board", name="Styrelsen")


@pytest.fixture
def seated(board):
    """Three members with logins, one substitute with a login and one substitute of the
    register with only an e-mail address."""
    members = [factories.make_member(board) for _ in range(3)]
    substitute = factories.make_member(board, role="substitute")
    person = factories.make_person(board.association, email="ersattare@example.org")
    factories.assign(board, person, role="substitute")
    return {"members": members, "substitute": substitute, "address": "ersattare@example.org"}
