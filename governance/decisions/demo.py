"""Demo decisions: a recommendation of Norrbotten's board to the member municipalities with
some of them having decided, a per capsulam decision of the board that passed and went on
its next meeting's agenda, and a proposal still open for the demo board member to answer.

Runs after the demo meetings (INSTALLED_APPS order). Creates what is missing and never
overwrites: an existing decision on the item is used as it is (made a recommendation only
if it is not locked yet).
"""

import datetime

from django.utils import timezone

from association.models import Association
from association.tenancy import tenant_scope
from governance.decisions import queries, services
from governance.decisions.models import MemberResponse, Outcome, Proposal
from governance.meetings.models import AgendaItem, Decision
from governance.models import Body

RECOMMENDATION = "Rekommendation till kommunerna om gemensam upphandling"
# (municipality code, outcome, days after the board's meeting, link)
ANSWERS = [
    ("2580", Outcome.ADOPTED, 21, "https://www.lulea.se/kommun-och-politik/"),
    ("2581", Outcome.ADOPTED, 28, "https://www.pitea.se/kommun-och-politik/"),
    ("2582", Outcome.ADOPTED_WITH_CHANGES, 35, ""),
    ("2584", Outcome.REJECTED, 28, ""),
    ("2506", Outcome.NOT_TO_BE_DECIDED, 14, ""),
]
PASSED = "Yttrande över remiss om regional transportplan"
OPEN = "Deltagande i gemensam kompetensförsörjningsdag"


def seed(out) -> dict[str, str]:
    association = Association.objects.filter(slug="norrbotten").first()
    if association is None:
        return {}
    with tenant_scope(association):
        board = Body.objects.filter(association=association, slug="styrelse").first()
        if board is None:
            return {}
        recommendation = _recommendation(association, board)
        proposals = _per_capsulam(board)
    out.write(f"  norrbotten: recommendation {'yes' if recommendation else 'no'}, "
              f"{proposals} per capsulam proposals\n")  # fmt: skip
    return {}


def _recommendation(association, board) -> Decision | None:
    now = timezone.now()
    item = (
        AgendaItem.objects.filter(
            body=board,
            title=RECOMMENDATION,
            meeting__notice_sent_at__isnull=False,
            meeting__starts_at__lte=now - datetime.timedelta(days=40),
        )
        .select_related("meeting")
        .order_by("-meeting__starts_at")
        .first()
    )
    if item is None:
        return None
    decision = Decision.objects.filter(item=item).first()
    if decision is None:
        # Adjusted at once at the meeting, so it is locked and (being public) shown to all.
        decision = services.new_decision(
            association=association,
            item=item,
            text=item.proposed_decision or item.title,
            is_recommendation=True,
            adjusted_at_once=True,
            is_locked=True,
        )
    elif not decision.is_recommendation:
        if decision.is_locked:
            return None
        Decision.objects.filter(pk=decision.pk).update(is_recommendation=True)
        decision.refresh_from_db()
    if MemberResponse.objects.filter(decision=decision).exists():
        return decision
    day = queries.meeting_day(decision)
    members = {m.code: m for m in queries.members_on(association, day)}
    today = timezone.localdate()
    rows = []
    for code, outcome, days, url in ANSWERS:
        if code not in members:
            continue
        decided = min(day + datetime.timedelta(days=days), today)
        rows.append({
            "municipality_id": members[code].pk, "version": 0, "outcome": outcome,
            "decided_on": decided, "decision_url": url, "note": "",
        })  # fmt: skip
    rows.append({
        "municipality_id": members["2583"].pk, "version": 0, "outcome": "", "decided_on": None,
        "decision_url": "", "note": "På kommunstyrelsens dagordning i nästa månad.",
    } if "2583" in members else {})  # fmt: skip
    services.record_responses(decision=decision, actor=None, rows=[r for r in rows if r])
    return decision


def _per_capsulam(board) -> int:
    now = timezone.now()
    created = 0
    if not Proposal.objects.filter(body=board, title=PASSED).exists():
        closes = now - datetime.timedelta(days=3)
        circulated = closes - datetime.timedelta(days=7)
        if services.voting_members(board, timezone.localtime(circulated).date()):
            proposal = services.circulate(
                body=board, actor=None, title=PASSED, now=circulated, closes_at=closes,
                text="Styrelsen ställer sig bakom förbundets yttrande över remissen.",
                description="Remissvaret måste lämnas före nästa sammanträde.",
            )  # fmt: skip
            for row in proposal.answers.select_related("person__user"):
                if row.person.user_id:
                    services.answer(proposal=proposal, user=row.person.user, yes=True,
                                    now=circulated + datetime.timedelta(days=1))  # fmt: skip
                else:  # a member without a login answers through staff; recorded as given
                    row.answer, row.answered_at = True, circulated + datetime.timedelta(days=2)
                    row.save(update_fields=["answer", "answered_at"])
            services.close(proposal=proposal, now=now)
            created += 1
    if not Proposal.objects.filter(body=board, title=OPEN).exists() and services.voting_members(
        board, timezone.localdate()
    ):
        services.circulate(
            body=board, actor=None, title=OPEN, closes_at=now + datetime.timedelta(days=5),
            text="Styrelsen beslutar att förbundet deltar i och medfinansierar "
                 "kompetensförsörjningsdagen med 20 000 kronor.",
        )  # fmt: skip
        created += 1
    return created
