"""Fifty people press "Book" for the same slot at the same moment: exactly one gets it.

Real threads, each with its own database connection and its own logged-in client, post the
booking form to the real view against committed data (``transactional_db``); a barrier
releases them together. The exclusion constraint decides, not the application: the
losers' inserts wait for the winner's transaction and then fail, and each of them gets the
form back with the clear refusal, never a 500.
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from association.tenancy import scopes_disabled
from governance.rooms.models import Booking
from tests import factories
from tests.rooms.conftest import next_weekday

REQUESTS = 50


def _max_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        return int(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_requests_for_one_slot_exactly_one_succeeds():
    from governance.rooms.services import create_resource

    assert _max_connections() > REQUESTS + 5
    association = factories.make_association("umearegionen", name="Umeåregionen")
    with scopes_disabled():
        room = create_resource(association=association, actor=None, name="Mötesrum", capacity=12)
    people = [factories.make_staff(association, "viewer") for _ in range(5)]
    clients = []
    for number in range(REQUESTS):
        client = Client()
        client.force_login(people[number % len(people)])
        clients.append(client)
    day = next_weekday(2)
    url = f"/{association.slug}/lokaler/boka/"
    barrier = threading.Barrier(REQUESTS)
    results: list = [None] * REQUESTS

    def press_book(number: int) -> None:
        try:
            barrier.wait(timeout=60)
            response = clients[number].post(url, {
                "resource": room.pk, "date": day.isoformat(), "start": "10:00",
                "end": "11:00", "title": f"Bokning {number}",
            })  # fmt: skip
            results[number] = (response.status_code, response.content.decode())
        except Exception as error:  # reported by the assertions below
            results[number] = (None, repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press_book, args=(n,)) for n in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)

    statuses = [status for status, _ in results]
    assert statuses.count(302) == 1, statuses
    assert statuses.count(200) == REQUESTS - 1, statuses
    with scopes_disabled():
        (winner,) = Booking.objects.filter(resource=room)
    winning_title = winner.title
    for status, body in results:
        if status != 200:
            continue
        # The refusal names the slot and the booking it collides with.
        assert "redan bokat" in body, body[:2000]
        assert "10:00–11:00" in body
        assert winning_title in body
