import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from association.tenancy import scopes_disabled
from tests import factories
from tests.decisions.conftest import STOCKHOLM

pytestmark = pytest.mark.django_db


def url(association, query=""):
    return f"/{association.slug}/beslut/{query}"


@pytest.fixture
def decisions(association, board, past_meeting):
    """Three of the board's decisions in May 2026 and one of a committee in 2025."""
    committee = factories.make_body(association, "beredning", kind="preparatory_committee")
    old = factories.make_meeting(
        committee, datetime.datetime(2025, 3, 4, 10, tzinfo=STOCKHOLM), notice=True
    )
    return {
        "public": factories.make_decision(
            factories.make_item(past_meeting, "Gemensam upphandling av e-tjänster"),
            "Styrelsen beslutar att genomföra upphandlingen tillsammans med kommunerna.",
            is_locked=True,
        ),
        "unadjusted": factories.make_decision(
            factories.make_item(past_meeting, "Budget"), "Styrelsen fastställer budgeten.",
        ),
        "closed": factories.make_decision(
            factories.make_item(past_meeting, "Personalfrågor", is_public=False),
            "Styrelsen noterar informationen.", is_locked=True,
        ),
        "committee": factories.make_decision(
            factories.make_item(old, "Kompetensförsörjning"),
            "Beredningen föreslår en gemensam strategi.", is_locked=True,
        ),
        "committee_body": committee,
    }  # fmt: skip


def shown(response) -> set[str]:
    return {d.item.title for d in response.context["page"].object_list}


def test_who_sees_which_decisions(client, association, board, decisions):
    assert shown(client.get(url(association))) == {
        "Gemensam upphandling av e-tjänster", "Kompetensförsörjning",
    }  # fmt: skip
    client.force_login(factories.make_member(board))
    assert shown(client.get(url(association))) == {
        "Gemensam upphandling av e-tjänster", "Kompetensförsörjning", "Budget", "Personalfrågor",
    }  # fmt: skip
    client.force_login(factories.make_member(decisions["committee_body"]))
    assert shown(client.get(url(association))) == {
        "Gemensam upphandling av e-tjänster", "Kompetensförsörjning",
    }  # fmt: skip
    client.force_login(factories.make_staff(association, "viewer"))
    assert len(shown(client.get(url(association)))) == 4


def test_adjusted_minutes_make_a_public_decision_visible(client, association, decisions):
    from governance.meetings.models import Minutes

    with scopes_disabled():
        Minutes.objects.create(
            association=association, meeting=decisions["unadjusted"].item.meeting,
            status="adjusted", is_adjusted=True,
        )  # fmt: skip
    assert "Budget" in shown(client.get(url(association)))


def test_search_by_word_in_swedish_year_and_body(client, association, board, decisions):
    # "upphandlingar" finds "upphandlingen" and "upphandling" through the Swedish stemmer.
    assert shown(client.get(url(association), {"q": "upphandlingar"})) == {
        "Gemensam upphandling av e-tjänster",
    }  # fmt: skip
    assert shown(client.get(url(association), {"q": "kompetensförsörjning"})) == {
        "Kompetensförsörjning",
    }  # fmt: skip
    assert shown(client.get(url(association), {"year": "2025"})) == {"Kompetensförsörjning"}
    assert shown(client.get(url(association), {"body": "styrelse"})) == {
        "Gemensam upphandling av e-tjänster",
    }  # fmt: skip
    assert shown(client.get(url(association), {"q": "budget -upphandling"})) == set()


@pytest.mark.parametrize(
    "query",
    [{"year": "abc"}, {"year": "1800"}, {"body": "finns-inte"}, {"q": "a\x00b"},
     {"q": '"((( OR -'}, {"sida": "999"}, {"sida": "x"}],
)  # fmt: skip
def test_bad_input_is_no_error(client, association, decisions, query):
    assert client.get(url(association), query).status_code == 200


def test_each_decision_links_its_paragraph_and_minutes(client, association, decisions):
    html = client.get(url(association)).content.decode()
    meeting = decisions["public"].item.meeting
    assert f"§ {decisions['public'].item.number}" in html
    assert f'href="/{association.slug}/moten/{meeting.pk}/' in html


def test_staff_export_csv_and_xlsx(client, association, decisions):
    assert client.get(url(association, "export.csv")).status_code == 302  # to the login
    client.force_login(factories.make_staff(association, "viewer"))
    response = client.get(url(association, "export.csv"), {"q": "upphandling"})
    text = response.content.decode("utf-8-sig")
    assert "Gemensam upphandling av e-tjänster" in text and "Budget" not in text
    response = client.get(url(association, "export.xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def _count(client, address) -> int:
    """Queries of a page; a logged-in visitor's first request warms their cached facts, an
    anonymous visitor's first request is the one that is not answered from the page cache."""
    if client.session.session_key:
        client.get(address)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def _add_decisions(meeting, count: int) -> None:
    for number in range(count):
        item = factories.make_item(meeting, f"Ärende om upphandling {number}")
        factories.make_decision(item, "Beslut om upphandling.", is_locked=True,
                                is_recommendation=number % 2 == 0)  # fmt: skip


@pytest.mark.parametrize("who", ["anonymous", "member", "staff"])
def test_query_count_does_not_grow_with_the_results(client, association, board, past_meeting,
                                                    who):  # fmt: skip
    if who == "member":
        client.force_login(factories.make_member(board))
    elif who == "staff":
        client.force_login(factories.make_staff(association, "viewer"))
    addresses = [url(association), url(association, "?q=upphandling&year=2026"),
                 url(association, "rekommendationer/")]  # fmt: skip
    if who == "staff":
        addresses.append(url(association, "export.csv"))
    _add_decisions(past_meeting, 5)
    few = [_count(client, address) for address in addresses]
    _add_decisions(past_meeting, 75)
    many = [_count(client, address) for address in addresses]
    assert few == many
    assert all(count > 0 for count in few)  # measured, not answered from the page cache
