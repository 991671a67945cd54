"""Querysets for the rooms pages, with what each page needs loaded."""

from datetime import datetime

from governance.rooms.models import Booking, Resource


def resources(association, *, active_only: bool = False):
    queryset = Resource.objects.filter(association=association)
    if active_only:
        queryset = queryset.filter(active=True)
    return queryset.order_by("kind", "name")


def resource(association, pk):
    return Resource.objects.filter(association=association, pk=pk)


def live_bookings_between(association, starts: datetime, ends: datetime):
    """Bookings not cancelled that overlap [starts, ends), with resource and booker."""
    return (
        Booking.objects.filter(
            association=association,
            cancelled_at__isnull=True,
            starts_at__lt=ends,
            ends_at__gt=starts,
        )
        .select_related("resource", "booked_by")
        .order_by("starts_at", "id")
    )


def bookings_of(association, user):
    return (
        Booking.objects.filter(association=association, booked_by=user)
        .select_related("resource", "cancelled_by")
        .order_by("-starts_at", "-id")
    )


def booking(association, pk):
    return Booking.objects.filter(association=association, pk=pk).select_related(
        "resource", "booked_by"
    )


def coming_bookings_of_others(association, user, now: datetime):
    return (
        Booking.objects.filter(association=association, cancelled_at__isnull=True, ends_at__gt=now)
        .exclude(booked_by=user)
        .select_related("resource", "booked_by")
        .order_by("starts_at", "id")
    )
