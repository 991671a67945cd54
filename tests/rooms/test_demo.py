from django.core.management import call_command

from association.tenancy import scopes_disabled
from governance.rooms.models import Booking, Resource


def test_demo_office_on_renmarkstorget_is_seeded_once(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with scopes_disabled():
        resources = Resource.objects.filter(association__slug="umearegionen")
        room = resources.get(kind="meeting_room")
        assert room.capacity == 12 and "Renmarkstorget" in room.location
        assert resources.filter(kind="desk").count() == 6
        assert all(r.bookable_by == "staff_and_elected" for r in resources)
        bookings = Booking.objects.filter(association__slug="umearegionen").count()
        assert bookings >= 2
        room.capacity = 10  # a change the association made
        room.save()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with scopes_disabled():
        assert Resource.objects.filter(association__slug="umearegionen").count() == 7
        assert Booking.objects.filter(association__slug="umearegionen").count() == bookings
        room.refresh_from_db()
        assert room.capacity == 10
