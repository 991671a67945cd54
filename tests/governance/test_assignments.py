"""Every seat, term and substitute rule, allowed and refused, in the services and in the
database's own constraints."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from association.models import AuditEntry
from association.tenancy import scopes_disabled, tenant_scope
from governance import services
from governance.models import Assignment, Term
from tests import factories
from tests.factories import (
    NEXT_TERM_END,
    NEXT_TERM_NAME,
    NEXT_TERM_START,
    TERM_END,
    TERM_NAME,
    TERM_START,
    in_term,
)


@pytest.fixture
def committee(association):
    """The Umeåregionen guardianship committee's shape: Umeå 3+3, Örnsköldsvik 2+2."""
    body = factories.make_body(association, "overformyndarnamnd", kind="joint_committee")
    umea = factories.make_post(body, "2480", members=3, substitutes=3)
    ornskoldsvik = factories.make_post(body, "2284", members=2, substitutes=2)
    return body, umea, ornskoldsvik


BEFORE_TERM = date(TERM_START.year - 1, 12, 31)


def refused(call, field: str) -> str:
    with pytest.raises(ValidationError) as info, scopes_disabled():
        call()
    assert field in info.value.message_dict, info.value.message_dict
    return " ".join(info.value.message_dict[field])


def test_a_seat_takes_as_many_members_as_it_has_places(association, committee):
    body, umea, _ornskoldsvik = committee
    people = [factories.make_person(association) for _ in range(4)]
    for person in people[:3]:
        factories.assign(body, person, seat=umea)
    message = refused(lambda: factories.assign(body, people[3], seat=umea), "seat")
    assert "Umeå" in message and "3" in message
    # The places are counted by date: once one member leaves, the fourth may start.
    with scopes_disabled():
        first = Assignment.objects.get(person=people[0])
        services.update_assignment(
            assignment=first, actor=None, expected_version=first.version,
            data={"ends_on": in_term(2, 12, 31)},
        )  # fmt: skip
    factories.assign(body, people[3], seat=umea, starts_on=in_term(3, 1, 1))
    message = refused(
        lambda: factories.assign(
            body, factories.make_person(association), seat=umea, starts_on=in_term(2, 6, 1)
        ),
        "seat",
    )
    assert in_term(2, 6, 1).isoformat() in message


def test_members_and_substitutes_are_counted_apart(association, committee):
    body, _umea, ornskoldsvik = committee
    for _ in range(2):
        factories.assign(body, factories.make_person(association), seat=ornskoldsvik)
    for _ in range(2):
        factories.assign(
            body, factories.make_person(association), role="substitute", seat=ornskoldsvik
        )
    refused(
        lambda: factories.assign(
            body, factories.make_person(association), role="substitute", seat=ornskoldsvik
        ),
        "seat",
    )
    # A chair fills a member place too.
    refused(
        lambda: factories.assign(
            body, factories.make_person(association), role="chair", seat=ornskoldsvik
        ),
        "seat",
    )


def test_a_seat_cannot_shrink_below_the_places_filled(association, committee):
    body, umea, _ = committee
    for _ in range(3):
        factories.assign(body, factories.make_person(association), seat=umea)
    with pytest.raises(ValidationError), scopes_disabled():
        services.update_seat(seat=umea, actor=None, expected_version=umea.version,
                             data={"members": 2})  # fmt: skip


def test_the_same_person_cannot_sit_twice_in_one_body_at_once(association, committee):
    body, umea, ornskoldsvik = committee
    person = factories.make_person(association)
    factories.assign(body, person, seat=umea, ends_on=in_term(2, 12, 31))
    message = refused(
        lambda: factories.assign(body, person, seat=ornskoldsvik, starts_on=in_term(2, 12, 31)),
        "person",
    )
    assert "redan" in message
    # The day after is fine, and so is another body at the same time.
    factories.assign(body, person, seat=ornskoldsvik, starts_on=in_term(3, 1, 1))
    other = factories.make_body(association, "brand", kind="joint_committee")
    factories.assign(other, person)


def test_dates_must_lie_within_the_term(association, committee):
    body, umea, _ = committee
    person = factories.make_person(association)
    message = refused(
        lambda: factories.assign(body, person, seat=umea, ends_on=NEXT_TERM_START), "starts_on"
    )
    assert TERM_NAME in message and in_term(4, 12, 31).isoformat() in message
    refused(
        lambda: factories.assign(body, person, seat=umea, starts_on=BEFORE_TERM),
        "starts_on",
    )
    factories.assign(
        body, person, seat=umea, starts_on=in_term(1, 1, 1), ends_on=in_term(4, 12, 31)
    )


def test_an_assignment_cannot_end_before_it_starts(association, committee):
    body, umea, _ = committee
    refused(
        lambda: factories.assign(
            body, factories.make_person(association), seat=umea,
            starts_on=in_term(2, 5, 1), ends_on=in_term(2, 4, 30),
        ),
        "ends_on",
    )  # fmt: skip


def test_a_personal_substitute_stands_in_for_a_member_of_the_body(association, committee):
    body, umea, _ = committee
    member = factories.make_person(association)
    outsider = factories.make_person(association)
    substitute = factories.make_person(association)
    factories.assign(body, member, seat=umea, ends_on=in_term(2, 12, 31))
    message = refused(
        lambda: factories.assign(
            body, substitute, role="substitute", seat=umea, substitute_for=outsider
        ),
        "substitute_for",
    )
    assert str(outsider) in message
    # Someone who has left the body by then cannot be stood in for either.
    refused(
        lambda: factories.assign(
            body, substitute, role="substitute", seat=umea, substitute_for=member,
            starts_on=in_term(3, 1, 1),
        ),
        "substitute_for",
    )  # fmt: skip
    refused(
        lambda: factories.assign(
            body, substitute, role="substitute", seat=umea, substitute_for=substitute
        ),
        "substitute_for",
    )
    made = factories.assign(
        body, substitute, role="substitute", seat=umea, substitute_for=member,
        ends_on=in_term(2, 12, 31),
    )  # fmt: skip
    assert made.substitute_for == member


def test_ordered_substitutes_have_one_place_each(association, committee):
    body, umea, _ = committee
    first, second = factories.make_person(association), factories.make_person(association)
    factories.assign(body, first, role="substitute", seat=umea, substitute_order=1)
    refused(
        lambda: factories.assign(body, second, role="substitute", seat=umea, substitute_order=1),
        "substitute_order",
    )
    factories.assign(body, second, role="substitute", seat=umea, substitute_order=2)


def test_only_a_substitute_is_personal_or_ordered(association, committee):
    body, umea, _ = committee
    member = factories.make_person(association)
    factories.assign(body, member, seat=umea)
    refused(
        lambda: factories.assign(
            body, factories.make_person(association), seat=umea, substitute_for=member
        ),
        "__all__",
    )


def test_one_chair_at_a_time(association, committee):
    body, umea, ornskoldsvik = committee
    factories.assign(body, factories.make_person(association), role="chair", seat=umea)
    refused(
        lambda: factories.assign(
            body, factories.make_person(association), role="chair", seat=ornskoldsvik
        ),
        "role",
    )
    factories.assign(body, factories.make_person(association), role="vice_chair", seat=umea)


def test_seat_rules_for_seatless_roles_and_bodies_with_seats(association, committee):
    body, umea, _ = committee
    # A body with seats needs the seat a member fills ...
    refused(lambda: factories.assign(body, factories.make_person(association)), "seat")
    # ... a secretary sits without one ...
    refused(
        lambda: factories.assign(
            body, factories.make_person(association), role="secretary", seat=umea
        ),
        "seat",
    )
    factories.assign(body, factories.make_person(association), role="secretary")
    factories.assign(body, factories.make_person(association), role="co_opted")
    # ... and a seat of another body is refused.
    other = factories.make_body(association, "annan", kind="board")
    refused(lambda: factories.assign(other, factories.make_person(association), seat=umea), "seat")


def test_every_change_is_in_the_history(association, committee):
    body, umea, _ = committee
    made = factories.assign(body, factories.make_person(association), seat=umea)
    with scopes_disabled():
        services.update_assignment(
            assignment=made, actor=None, expected_version=made.version,
            data={"ends_on": in_term(3, 6, 30)},
        )  # fmt: skip
        entries = AuditEntry.objects.filter(
            object_type="governance.assignment", object_id=str(made.pk)
        ).order_by("id")
        assert [e.action for e in entries] == ["created", "updated"]
        assert entries[1].changes["ends_on"] == [
            in_term(4, 12, 31).isoformat(),
            in_term(3, 6, 30).isoformat(),
        ]


def test_a_stale_edit_is_refused(association, committee):
    body, umea, _ = committee
    made = factories.assign(body, factories.make_person(association), seat=umea)
    with scopes_disabled():
        services.update_assignment(assignment=made, actor=None, expected_version=1,
                                   data={"ends_on": in_term(3, 6, 30)})  # fmt: skip
        with pytest.raises(services.ConcurrentEditError):
            services.update_assignment(assignment=made, actor=None, expected_version=1,
                                       data={"ends_on": in_term(3, 5, 31)})  # fmt: skip


# --- the database's own rules -----------------------------------------------------------


def raw(body, person, **fields) -> Assignment:
    """Store a row without the service, as a buggy code path would."""
    term = factories.make_term(body.association)
    defaults = {"role": "member", "starts_on": in_term(1, 1, 1), "ends_on": in_term(4, 12, 31)}
    with scopes_disabled(), transaction.atomic():
        return Assignment.objects.create(
            association=body.association, body=body, term=term, person=person,
            **{**defaults, **fields},
        )  # fmt: skip


def test_postgresql_refuses_overlapping_assignments_of_one_person(association, committee):
    body, _umea, _ = committee
    person = factories.make_person(association)
    raw(body, person, ends_on=in_term(2, 6, 30))
    with pytest.raises(IntegrityError, match="one_assignment_per_person_and_body_at_a_time"):
        raw(body, person, starts_on=in_term(2, 6, 30))
    raw(body, person, starts_on=in_term(2, 7, 1))  # the next day is free


def test_postgresql_refuses_two_chairs_and_two_substitutes_in_one_place(association, committee):
    body, umea, _ = committee
    raw(body, factories.make_person(association), role="chair")
    with pytest.raises(IntegrityError, match="one_chair_and_one_vice_chair_at_a_time"):
        raw(body, factories.make_person(association), role="chair")
    raw(body, factories.make_person(association), role="substitute", seat=umea,
        substitute_order=1)  # fmt: skip
    with pytest.raises(IntegrityError, match="one_substitute_per_place_in_order"):
        raw(body, factories.make_person(association), role="substitute", seat=umea,
            substitute_order=1)  # fmt: skip


def test_postgresql_refuses_overlapping_terms(association):
    factories.make_term(association)
    with pytest.raises(IntegrityError, match="terms_do_not_overlap"), scopes_disabled():
        Term.objects.create(
            association=association, name="x", starts_on=in_term(4, 12, 31),
            ends_on=NEXT_TERM_END,
        )  # fmt: skip


def test_the_term_service_explains_an_overlap(association):
    factories.make_term(association)
    with tenant_scope(association), pytest.raises(ValidationError) as info:
        services.create_term(
            association=association, actor=None, name="Överlappande",
            starts_on=in_term(4, 1, 1), ends_on=date(TERM_END.year + 3, 12, 31),
        )  # fmt: skip
    assert "täcker redan" in " ".join(info.value.messages)
    with tenant_scope(association):
        services.create_term(
            association=association, actor=None, name=NEXT_TERM_NAME,
            starts_on=NEXT_TERM_START, ends_on=NEXT_TERM_END,
        )  # fmt: skip


def test_a_constraint_that_fires_in_a_race_becomes_the_same_message(association, committee):
    """If two editors pass the checks at once, PostgreSQL refuses the second row and the
    service turns that into the rule's message, not an error page."""
    body, umea, _ = committee
    person = factories.make_person(association)
    factories.assign(body, person, seat=umea)
    term = factories.make_term(association)
    duplicate = Assignment(
        association=association, body=body, seat=umea, term=term, person=person, role="member",
        starts_on=in_term(2, 1, 1), ends_on=in_term(2, 12, 31),
    )  # fmt: skip
    with scopes_disabled(), pytest.raises(ValidationError) as info:
        services._save_guarded(duplicate)
    assert "person" in info.value.message_dict


def test_a_mistaken_assignment_can_be_removed_unless_a_substitute_depends_on_it(
    client, association, committee
):
    body, umea, _ = committee
    member = factories.make_person(association)
    made = factories.assign(body, member, seat=umea)
    substitute = factories.assign(
        body, factories.make_person(association), role="substitute", seat=umea,
        substitute_for=member,
    )  # fmt: skip
    client.force_login(factories.make_staff(association, "editor"))
    url = f"/norrbotten/organ/overformyndarnamnd/uppdrag/{made.pk}/ta-bort/"
    client.post(url)
    with scopes_disabled():
        assert Assignment.objects.filter(pk=made.pk).exists()
    client.post(f"/norrbotten/organ/overformyndarnamnd/uppdrag/{substitute.pk}/ta-bort/")
    client.post(url)
    with scopes_disabled():
        assert not Assignment.objects.filter(pk__in=[made.pk, substitute.pk]).exists()
        assert AuditEntry.objects.filter(action="deleted").count() == 2


def test_the_quorum_rule_the_meetings_work_reads(association):
    body = factories.make_body(association)
    assert [body.quorum(n) for n in (14, 15)] == [8, 8]  # more than half
    body.quorum_rule = "at_least_half"
    assert [body.quorum(n) for n in (14, 15)] == [7, 8]
    body.quorum_rule = "two_thirds"
    assert [body.quorum(n) for n in (9, 10)] == [6, 7]
    body.quorum_rule = "all"
    assert body.quorum(7) == 7


def test_a_seat_that_was_never_filled_can_be_removed(client, association, committee):
    body, umea, ornskoldsvik = committee
    factories.assign(body, factories.make_person(association), seat=umea)
    client.force_login(factories.make_staff(association, "editor"))
    client.post(f"/norrbotten/organ/overformyndarnamnd/platser/{umea.pk}/ta-bort/")
    client.post(f"/norrbotten/organ/overformyndarnamnd/platser/{ornskoldsvik.pk}/ta-bort/")
    with scopes_disabled():
        assert list(body.seats.values_list("pk", flat=True)) == [umea.pk]
