"""The permission matrix: every page against every kind of visitor.

Each page declares its access level in code (``access = Access.X``); this table states the
same independently, and the test checks both that the two agree and that the page really
behaves so. A new page fails here until it is added to the table.
"""

from datetime import date

import pytest
from django.core.management import call_command

from association.permissions import Access
from association.tenancy import scopes_disabled
from tests import factories
from tests.urlwalk import project_pages

EXPECTED = {
    "home": Access.PUBLIC,
    "healthz": Access.PUBLIC,
    "my_account": Access.LOGGED_IN,
    "association_create": Access.PLATFORM_ADMIN,
    "association:home": Access.PUBLIC,
    "association:theme": Access.PUBLIC,
    "association:logo": Access.PUBLIC,
    "association:accessibility": Access.PUBLIC,
    "association:settings": Access.ADMINISTRATOR,
    "association:roles": Access.ADMINISTRATOR,
    "association:revoke_role": Access.ADMINISTRATOR,
    "association:history": Access.ADMINISTRATOR,
    "governance:body_list": Access.PUBLIC,
    "governance:body_detail": Access.PUBLIC,
    "governance:rotations": Access.PUBLIC,
    "governance:my_bodies": Access.LOGGED_IN,
    "governance:people": Access.STAFF,
    "governance:person_detail": Access.STAFF,
    "governance:terms": Access.STAFF,
    "governance:vacancies": Access.STAFF,
    "governance:body_history": Access.STAFF,
    "governance:assignments_csv": Access.STAFF,
    "governance:assignments_xlsx": Access.STAFF,
    "governance:body_members_csv": Access.STAFF,
    "governance:body_members_xlsx": Access.STAFF,
    "governance:body_create": Access.EDITOR,
    "governance:body_update": Access.EDITOR,
    "governance:seat_create": Access.EDITOR,
    "governance:seat_update": Access.EDITOR,
    "governance:seat_delete": Access.EDITOR,
    "governance:assignment_create": Access.EDITOR,
    "governance:assignment_update": Access.EDITOR,
    "governance:assignment_delete": Access.EDITOR,
    "governance:chair_proposal": Access.EDITOR,
    "governance:rotation_create": Access.EDITOR,
    "governance:rotation_update": Access.EDITOR,
    "governance:person_create": Access.EDITOR,
    "governance:person_update": Access.EDITOR,
    "governance:person_invite": Access.EDITOR,
    "members:list": Access.PUBLIC,
    "members:register": Access.PUBLIC,
    "members:detail": Access.STAFF,
    "members:fees": Access.STAFF,
    "members:fees_csv": Access.STAFF,
    "members:fees_xlsx": Access.STAFF,
    "members:fee_rules": Access.STAFF,
    "members:create": Access.EDITOR,
    "members:update": Access.EDITOR,
    "members:fee_rule_create": Access.EDITOR,
    "members:fee_rule_update": Access.EDITOR,
    "members:figures": Access.STAFF,
    "members:adoption": Access.STAFF,
    "members:correction_create": Access.EDITOR,
    "members:correction_update": Access.EDITOR,
    "members:correction_delete": Access.EDITOR,
    "members:adopt": Access.ADMINISTRATOR,
    "national_figures:import": Access.PLATFORM_ADMIN,
    # Rooms: staff and elected members book (governance.rooms.permissions.may_book).
    "rooms:week": Access.BODY_MEMBER,
    "rooms:book": Access.BODY_MEMBER,
    "rooms:mine": Access.BODY_MEMBER,
    "rooms:cancel": Access.BODY_MEMBER,
    "rooms:resources": Access.EDITOR,
    "rooms:resource_create": Access.EDITOR,
    "rooms:resource_update": Access.EDITOR,
    "national_figures:import_preview": Access.PLATFORM_ADMIN,
    # Meetings: public pages check the notice and each item's flag; BODY_MEMBER pages let in
    # the body's own members and substitutes and staff (governance.meetings.permissions).
    "my_meetings": Access.LOGGED_IN,
    "my_calendar_token": Access.LOGGED_IN,
    "private_feed": Access.PUBLIC,
    "meetings:list": Access.PUBLIC,
    "meetings:feed": Access.PUBLIC,
    "meetings:body_feed": Access.PUBLIC,
    "meetings:detail": Access.PUBLIC,
    "meetings:notice_pdf": Access.PUBLIC,
    "meetings:document": Access.PUBLIC,
    "meetings:document_version": Access.PUBLIC,
    "meetings:agenda": Access.BODY_MEMBER,
    "meetings:package": Access.BODY_MEMBER,
    "meetings:package_download": Access.BODY_MEMBER,
    "meetings:absence": Access.BODY_MEMBER,
    "meetings:note": Access.BODY_MEMBER,
    "meetings:conflict": Access.BODY_MEMBER,
    "meetings:conflict_withdraw": Access.BODY_MEMBER,
    "meetings:planning": Access.STAFF,
    "meetings:create": Access.EDITOR,
    "meetings:settings": Access.EDITOR,
    "meetings:update": Access.EDITOR,
    "meetings:cancel": Access.EDITOR,
    "meetings:preparatory": Access.EDITOR,
    "meetings:notice": Access.EDITOR,
    "meetings:items": Access.EDITOR,
    "meetings:item_update": Access.EDITOR,
    "meetings:item_move": Access.EDITOR,
    "meetings:item_delete": Access.EDITOR,
    "meetings:document_add": Access.EDITOR,
    "meetings:document_add_version": Access.EDITOR,
    "meetings:document_public": Access.EDITOR,
    "meetings:document_delete": Access.EDITOR,
    # The record and the minutes (the secretary's pages also let in the body's secretary,
    # who is not staff; the approval page lets in the adjusters and sends others away).
    "meetings:record": Access.EDITOR,
    "meetings:decision": Access.EDITOR,
    "meetings:minutes_edit": Access.EDITOR,
    "meetings:approve": Access.LOGGED_IN,
    "meetings:minutes": Access.PUBLIC,
    "meetings:minutes_pdf": Access.PUBLIC,
    "meetings:overdue": Access.STAFF,
    # Notifications: the person's own (across associations), the one-click link of every
    # e-mail (its signed token is the key), the staff's log and lead times.
    "my_notifications": Access.LOGGED_IN,
    "my_notifications_read": Access.LOGGED_IN,
    "my_notification_choices": Access.LOGGED_IN,
    "notification_choice": Access.PUBLIC,
    "notifications:log": Access.STAFF,
    "notifications:lead_times": Access.EDITOR,
    "notifications:resend": Access.EDITOR,
    "noticeboard:board": Access.PUBLIC,
    "noticeboard:atom": Access.PUBLIC,
    "noticeboard:calendar": Access.PUBLIC,
    "noticeboard:notice": Access.PUBLIC,
    "noticeboard:watch": Access.STAFF,
    "noticeboard:post": Access.EDITOR,
    "noticeboard:settings": Access.ADMINISTRATOR,
    # Decisions: the register and a recommendation's status show the public what is public
    # (and the body's members and staff all of the body's; governance.decisions.permissions).
    "decisions:register": Access.PUBLIC,
    "decisions:register_csv": Access.STAFF,
    "decisions:register_xlsx": Access.STAFF,
    "decisions:recommendations": Access.PUBLIC,
    "decisions:recommendation": Access.PUBLIC,
    "decisions:recommendation_update": Access.EDITOR,
    "decisions:proposals": Access.BODY_MEMBER,
    "decisions:proposal_create": Access.BODY_MEMBER,
    "decisions:proposal_rule": Access.EDITOR,
    "decisions:proposal": Access.BODY_MEMBER,
    "decisions:proposal_answer": Access.BODY_MEMBER,
    "decisions:proposal_attach": Access.EDITOR,
    # Agreements and projects: the public sees published agreements and their public
    # documents; staff see every agreement, project and outside organisation.
    "agreements:public_list": Access.PUBLIC,
    "agreements:public_detail": Access.PUBLIC,
    "agreements:public_document": Access.PUBLIC,
    "agreements:staff_list": Access.STAFF,
    "agreements:detail": Access.STAFF,
    "agreements:document": Access.STAFF,
    "agreements:document_version": Access.STAFF,
    "agreements:organisations": Access.STAFF,
    "agreements:projects": Access.STAFF,
    "agreements:project_detail": Access.STAFF,
    "agreements:create": Access.EDITOR,
    "agreements:update": Access.EDITOR,
    "agreements:terminate": Access.EDITOR,
    "agreements:signatory_add": Access.EDITOR,
    "agreements:document_add": Access.EDITOR,
    "agreements:document_add_version": Access.EDITOR,
    "agreements:document_public": Access.EDITOR,
    "agreements:follow_up_add": Access.EDITOR,
    "agreements:follow_up_plan": Access.EDITOR,
    "agreements:outcome": Access.EDITOR,
    "agreements:organisation_create": Access.EDITOR,
    "agreements:organisation_update": Access.EDITOR,
    "agreements:project_create": Access.EDITOR,
    "agreements:project_update": Access.EDITOR,
    "agreements:budget": Access.EDITOR,
    "agreements:funding_add": Access.EDITOR,
    "agreements:funding_delete": Access.EDITOR,
    # Networks: the public sees networks, purpose and municipalities (names where the list is
    # public); a network's members' page, its report documents and a feedback round's answer
    # page let in that network's own members (and those asked) and staff, nobody else.
    "networks:public_list": Access.PUBLIC,
    "networks:public_detail": Access.PUBLIC,
    "networks:mine": Access.LOGGED_IN,
    "networks:members": Access.LOGGED_IN,
    "networks:report_document": Access.LOGGED_IN,
    "networks:answer": Access.LOGGED_IN,
    "networks:staff_list": Access.STAFF,
    "networks:reports": Access.STAFF,
    "networks:work_list": Access.STAFF,
    "networks:work_detail": Access.STAFF,
    "networks:rounds": Access.STAFF,
    "networks:round": Access.STAFF,
    "networks:round_csv": Access.STAFF,
    "networks:round_xlsx": Access.STAFF,
    "networks:create": Access.EDITOR,
    "networks:update": Access.EDITOR,
    "networks:member_add": Access.EDITOR,
    "networks:report_add": Access.EDITOR,
    "networks:work_create": Access.EDITOR,
    "networks:work_update": Access.EDITOR,
    "networks:work_status": Access.EDITOR,
    "networks:round_create": Access.EDITOR,
    # Planning: the public sees published directions and adopted, published plans; staff
    # see every draft; staff editors draft and take each approval step (the board approves
    # through its decisions, which staff record, or per capsulam in the decisions app).
    "planning:public_index": Access.PUBLIC,
    "planning:public_plan": Access.PUBLIC,
    "planning:public_direction": Access.PUBLIC,
    "planning:staff_index": Access.STAFF,
    "planning:direction": Access.STAFF,
    "planning:plan": Access.STAFF,
    "planning:direction_create": Access.EDITOR,
    "planning:direction_update": Access.EDITOR,
    "planning:area_add": Access.EDITOR,
    "planning:goal_add": Access.EDITOR,
    "planning:strategy_add": Access.EDITOR,
    "planning:sdg_add": Access.EDITOR,
    "planning:plan_create": Access.EDITOR,
    "planning:plan_update": Access.EDITOR,
    "planning:budget": Access.EDITOR,
    "planning:step": Access.EDITOR,
    "planning:part_delete": Access.EDITOR,
    "planning:activity_add": Access.EDITOR,
    "planning:promise_add": Access.EDITOR,
    "planning:challenge_add": Access.EDITOR,
    "planning:indicator_add": Access.EDITOR,
    "planning:promise_feedback": Access.EDITOR,
    "planning:assignment_link": Access.EDITOR,
    "planning:public_report": Access.PUBLIC,
    "planning:report": Access.STAFF,
    "planning:report_create": Access.EDITOR,
    "planning:report_update": Access.EDITOR,
    "planning:report_step": Access.EDITOR,
    "planning:import_preview": Access.EDITOR,
    "planning:part_update": Access.EDITOR,
    "planning:direction_part_update": Access.EDITOR,
    "planning:direction_part_delete": Access.EDITOR,
    "planning:statuses": Access.EDITOR,
    "planning:import": Access.EDITOR,
    # The PDFs: staff make and download them; published plans' and reports' as public files.
    "planning:plan_pdf": Access.STAFF,
    "planning:plan_pdf_download": Access.STAFF,
    "planning:report_pdf": Access.STAFF,
    "planning:report_pdf_download": Access.STAFF,
    "planning:public_plan_pdf": Access.PUBLIC,
    "planning:public_report_pdf": Access.PUBLIC,
}

# Pages whose own rule refuses a visitor that their level lets in: (page, visitor).
NARROWED = {
    # The body's chair circulates a proposal, or a staff editor on the chair's behalf; read-only
    # staff may not.
    ("decisions:proposal_create", "viewer"),
    # A network's own pages: its members and staff of the association, not any logged-in
    # person (networks.views._MembersOnlyMixin, AnswerView).
    ("networks:members", "other_association"),
    ("networks:report_document", "other_association"),
    ("networks:answer", "other_association"),
}

VISITORS = ["anonymous", "other_association", "viewer", "editor", "administrator", "platform_admin"]

# Which visitors each level lets in.
ALLOWED = {
    Access.PUBLIC: set(VISITORS),
    Access.LOGGED_IN: set(VISITORS) - {"anonymous"},
    Access.STAFF: {"viewer", "editor", "administrator", "platform_admin"},
    # Seated members too; none of these visitors holds a seat, so staff and platform admins.
    Access.BODY_MEMBER: {"viewer", "editor", "administrator", "platform_admin"},
    Access.EDITOR: {"editor", "administrator", "platform_admin"},
    Access.ADMINISTRATOR: {"administrator", "platform_admin"},
    Access.PLATFORM_ADMIN: {"platform_admin"},
}


@pytest.fixture
def world(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    from association.models import Association

    home = Association.objects.get(slug="norrbotten")
    other = Association.objects.get(slug="vasternorrland")
    people = {
        "anonymous": None,
        "other_association": factories.make_staff(other, "administrator"),
        "viewer": factories.make_staff(home, "viewer"),
        "editor": factories.make_staff(home, "editor"),
        "administrator": factories.make_staff(home, "administrator"),
        "platform_admin": factories.make_platform_admin(),
    }
    return home, people


def _home_resource(home):
    from governance.rooms.models import Resource
    from governance.rooms.services import create_resource

    resource = Resource.objects.filter(association=home).first()
    return resource or create_resource(association=home, actor=None, name="Skrivbord 1")


def _home_booking(home):
    """A live booking of the home association (one is made when none is left)."""
    from datetime import UTC, datetime, timedelta

    from governance.rooms.models import Booking
    from governance.rooms.services import book

    booking = Booking.objects.filter(association=home, cancelled_at__isnull=True).first()
    if booking is None:
        resource = _home_resource(home)
        taken = Booking.objects.filter(resource=resource).count()
        starts = datetime(2030, 1, 7, 8, tzinfo=UTC) + timedelta(hours=taken)
        booker = factories.make_staff(home, "viewer", totp=False)
        booking = book(resource=resource, actor=booker, starts_at=starts,
                       ends_at=starts + timedelta(hours=1), title="Provbokning")  # fmt: skip
    return booking


def values_for(page, home, user=None) -> dict:
    """URL parameters naming the home association's own objects (and, for a page that shows
    the visitor's own things, such as the finished meeting package, those of ``user``)."""
    from association.models import RoleAssignment
    from governance.models import Assignment, Body, HostRotation, Person, Seat
    from members.models import AdoptedFeeSchedule, FeeRule, FigureCorrection, Membership
    from members.services import create_correction, stage_figure_import

    values = {"association": home.slug}
    with scopes_disabled():
        if page.name.startswith("rooms:"):
            _home_booking(home)  # a live booking for the lists and their cancel buttons
        if page.name.startswith("meetings:") and "pk" in page.params:
            # A meeting whose notice has gone out; the notice and the item editor (with its
            # remove button) take one still being planned.
            planned = page.name in {"meetings:notice", "meetings:item_update"}
            meeting, item, document = _home_meeting(home, noticed=not planned)
            values.update(pk=meeting.pk, item=item.pk, document=document.pk, number=1)
            if page.name == "meetings:package_download" and user is not None:
                _package_for(meeting, user)
            if page.name in {"meetings:minutes", "meetings:minutes_pdf"}:
                _adjust_minutes(meeting)
        if page.name == "noticeboard:notice":
            values["pk"] = _home_posting(home).pk
        if page.name == "noticeboard:post":
            values["minutes"] = _home_minutes_to_post(home).pk
        if page.name.startswith("decisions:recommendation") and "pk" in page.params:
            values["pk"] = _home_recommendation(home).pk
        if page.name.startswith("decisions:proposal") and "pk" in page.params:
            values["pk"] = _home_proposal(home).pk
        if page.name == "decisions:proposals":
            _awaiting_proposal(home)  # its "put on the next meeting" button
        if page.name.startswith("agreements:") and page.object_params:
            values.update(_agreement_values(home, page.name))
        if page.name.startswith("networks:") and page.object_params:
            values.update(_network_values(home, page.name))
        if page.name.startswith("planning:") and page.object_params:
            values.update(_planning_values(home, page.name))
        if page.name.startswith("meetings:") and "year" in page.params:
            _home_meeting(home, noticed=True)
            _home_meeting(home, noticed=False)
            values["year"] = 2030  # the year of the test meetings (with a preparatory proposal)
        for param in page.object_params:
            if param in values:
                continue
            if page.name == "private_feed":
                from governance.meetings.services import calendar_token

                values[param] = calendar_token(factories.make_user()).token
                continue
            if page.name == "notification_choice":
                from association.notifications.services import choice_token

                values[param] = choice_token(factories.make_user().pk, "meetings.absence")
                continue
            if page.name == "notifications:resend":
                values[param] = _home_failed_delivery(home).pk
                continue
            if page.name == "association:revoke_role":
                values[param] = (
                    RoleAssignment.objects.filter(association=home, role="viewer").first().pk
                )
            elif page.name in {"members:detail", "members:update"}:
                values[param] = Membership.objects.filter(association=home).first().pk
            elif page.name == "members:fee_rule_update":
                values[param] = FeeRule.objects.filter(association=home).first().pk
            elif page.name == "national_figures:import_preview":
                values[param] = stage_figure_import(
                    actor=None, kind="population", file_name="scb.csv",
                    source="SCB", rows=[{"code": "2580", "year": 2025, "value": "80000"}],
                ).pk  # fmt: skip
            elif page.name == "members:adoption":
                values[param] = AdoptedFeeSchedule.objects.filter(association=home).first().pk
            elif page.name in {"members:correction_update", "members:correction_delete"}:
                correction = FigureCorrection.objects.filter(association=home).first()
                if correction is None:
                    membership = Membership.objects.filter(association=home).first()
                    correction = create_correction(
                        association=home, actor=None, municipality=membership.municipality,
                        year=2025, population=1000, reason="Överenskommen siffra",
                    )  # fmt: skip
                values[param] = correction.pk
            elif page.name == "governance:chair_proposal":
                values[param] = _body_with_a_chair_to_confirm(home).slug
            elif page.name == "rooms:resource_update":
                values[param] = _home_resource(home).pk
            elif page.name == "rooms:cancel":
                values[param] = _home_booking(home).pk
            elif param == "body":
                # The board: it has seats, assignments and a demo member.
                values[param] = Body.objects.get(association=home, slug="styrelse").slug
            elif page.name in {"governance:person_detail", "governance:person_update",
                               "governance:person_invite"}:  # fmt: skip
                # Someone with an e-mail and no login yet: the page offers the invitation.
                person = (
                    Person.objects.filter(association=home, user__isnull=True)
                    .exclude(email="").order_by("pk").first()
                )  # fmt: skip
                if person is None:
                    from governance.services import create_person

                    person = create_person(
                        association=home, actor=None, first_name="Ida", last_name="Inbjuden",
                        email="ida.inbjuden@example.org",
                    )  # fmt: skip
                values[param] = person.pk
            elif page.name in {"governance:seat_update", "governance:seat_delete"}:
                values[param] = Seat.objects.filter(body__slug="styrelse", association=home)[0].pk
            elif page.name in {"governance:assignment_update", "governance:assignment_delete"}:
                values[param] = Assignment.objects.filter(body__slug="styrelse", association=home)[
                    0
                ].pk
            elif page.name == "governance:rotation_update":
                rotation = HostRotation.objects.filter(association=home).first()
                if rotation is None:
                    from governance.services import set_rotation

                    rotation = set_rotation(
                        association=home, actor=None, name="Ordförande", first_year=2023,
                        municipalities=[Membership.objects.filter(association=home)[0].municipality],
                    )  # fmt: skip
                values[param] = rotation.pk
            else:
                raise AssertionError(f"add a value for {page.name} {param} to the matrix test")
    for param in set(page.params) - set(values):
        values[param] = 2025
    return values


def _agreement_values(home, name: str) -> dict:
    """The demo's published LTU letter of intent with a public signed document, a follow-up
    occasion, an outside organisation and a project with a funding row (each made when the
    walk has removed it or the demo lacks it)."""
    from agreements import services
    from agreements.models import Agreement, AgreementDocument, FollowUp, Funding, Project
    from association.documents import set_document_public
    from tests.meetings.conftest import upload

    if name in {"agreements:organisation_update"}:
        return {"pk": _home_organisation(home).pk}
    if name.startswith(("agreements:project", "agreements:budget", "agreements:funding")):
        project = Project.objects.filter(association=home).order_by("pk").first()
        if project is None:
            project = services.create_project(association=home, actor=None, name="Provprojekt")
            services.set_budget(project=project, actor=None, year=2025, amount=1000)
        funding = Funding.objects.filter(project=project).first() or services.add_funding(
            project=project, actor=None, source="erdf", year=2025, amount=400,
            funder=_home_organisation(home),
        )  # fmt: skip
        return {"pk": project.pk, "funding": funding.pk}
    agreement = Agreement.objects.filter(association=home, is_published=True).order_by("pk")
    agreement = agreement.exclude(signed_on=None).first()
    if agreement is None:
        agreement = services.create_agreement(
            association=home, actor=None, kind="letter_of_intent", title="Provavtal",
            signed_on=date(2024, 1, 1), validity_kind="until_terminated", notice_months=3,
            is_published=True,
        )  # fmt: skip
    if name == "agreements:outcome":
        follow_up = FollowUp.objects.filter(agreement=agreement).first()
        if follow_up is None:
            follow_up = services.add_follow_up(
                agreement=agreement, actor=None, title="Ledningsdialog", due_on=date(2026, 4, 15)
            )
        return {"pk": follow_up.pk}
    link = AgreementDocument.objects.filter(agreement=agreement).select_related("document")
    link = link.first() or services.attach_document(
        agreement=agreement, actor=None, upload=upload(), title="Undertecknad", is_public=True
    )
    if not link.document.is_public:  # the walk's visit to the button made it not public
        set_document_public(document=link.document, actor=None, is_public=True)
    return {"pk": agreement.pk, "document": link.document_id, "number": 1}


def _network_values(home, name: str) -> dict:
    """The demo's social services network with a yearly report and its document, an
    assignment and an open feedback round (each made when the demo lacks it)."""
    from datetime import timedelta

    from django.utils import timezone

    from networks import services
    from networks.models import FeedbackRound, Network, WorkAssignment, YearlyReport
    from tests.meetings.conftest import upload

    network = Network.objects.filter(association=home).order_by("pk").first()
    if name.startswith("networks:work"):
        assignment = WorkAssignment.objects.filter(association=home).order_by("pk").first()
        assignment = assignment or services.create_work_assignment(
            association=home, actor=None, title="Provuppdrag", responsible=network.body
        )
        return {"pk": assignment.pk}
    if name in {"networks:round", "networks:round_csv", "networks:round_xlsx",
                "networks:answer"}:  # fmt: skip
        found = FeedbackRound.objects.filter(association=home).order_by("pk").first()
        found = found or services.open_feedback_round(
            association=home, actor=None, title="Provrunda", year=2025,
            closes_at=timezone.now() + timedelta(days=30), promises=["Ett löfte"],
            networks=[network],
        )  # fmt: skip
        return {"pk": found.pk}
    values = {"slug": network.body.slug}
    if name == "networks:report_document":
        report = YearlyReport.objects.filter(network=network, document__isnull=False).first()
        report = report or services.submit_yearly_report(
            network=network, actor=None, year=2024, text="Rapport", upload=upload()
        )
        values["pk"] = report.pk
    return values


def _planning_values(home, name: str) -> dict:
    """A draft plan of the home association (the editing pages need one; the demo's may have
    been proposed by the walk), its direction, and for the public plan page a published one."""
    from planning import services
    from planning.models import Direction, Plan, PlanStatus

    direction = Direction.objects.filter(association=home).order_by("-first_year").first()
    if direction is None:
        direction = services.create_direction(
            association=home, actor=None, title="Provinriktning", first_year=2027,
            last_year=2030, is_published=True,
        )  # fmt: skip
    if name in {"planning:public_direction"} and not direction.is_published:
        direction = services.update_direction(
            direction=direction, actor=None, expected_version=direction.version,
            data={"is_published": True},
        )  # fmt: skip
    if name == "planning:direction":
        # A direction no adopted plan locks, so its edit and remove forms show.
        free = [d for d in Direction.objects.filter(association=home).order_by("-first_year")
                if not services.direction_is_locked(d)]  # fmt: skip
        if not free:
            free = [services.create_direction(association=home, actor=None, title="Öppen",
                                              first_year=2041, last_year=2044)]  # fmt: skip
        if not free[0].areas.exists():
            services.add_goal_area(direction=free[0], actor=None, title="Provområde")
        return {"pk": free[0].pk}
    if name == "planning:direction_part_update":
        strategy = direction.strategies.order_by("pk").first() or services.add_strategy(
            direction=direction, actor=None, title="Provstrategi"
        )
        return {"pk": direction.pk, "kind": "strategy", "part": strategy.pk}
    if (name.startswith("planning:") and "direction" in name) or name.endswith(
        ("area_add", "goal_add", "strategy_add", "sdg_add", "assignment_link")
    ):
        return {"pk": direction.pk}
    if name in {"planning:report", "planning:report_update", "planning:statuses",
                "planning:report_step", "planning:import_preview",
                "planning:import", "planning:public_report", "planning:report_pdf",
                "planning:report_pdf_download", "planning:public_report_pdf"}:  # fmt: skip
        report = _home_report(home, direction)
        if name == "planning:import_preview":
            from planning.models import OutcomeImport

            staged = OutcomeImport.objects.create(
                association=home, report=report, file_name="utfall.csv", lines={"staff": 1}
            )
            return {"pk": report.pk, "staged": staged.pk}
        if name == "planning:report_pdf_download":
            _ready_pdf("report", report)
        return {"pk": report.pk}
    if name in {"planning:public_plan", "planning:report_create", "planning:public_plan_pdf",
                "planning:plan_pdf", "planning:plan_pdf_download"}:  # fmt: skip
        plan = Plan.objects.filter(association=home, publication__isnull=False).first()
        if plan is None:
            plan = Plan.objects.filter(association=home, status=PlanStatus.DRAFT).first()
            plan = plan or _new_plan(home, direction)
            plan = services.propose(plan=plan, actor=None)
            plan = services.record_board_approval(
                plan=plan, actor=None, decision=_home_board_decision(home)
            )
            plan = services.adopt(plan=plan, actor=None, adopted_on=date(2029, 11, 20),
                                  reference="Provfullmäktige § 1")  # fmt: skip
            services.publish(plan=plan, actor=None)
        if name == "planning:plan_pdf_download":
            _ready_pdf("plan", Plan.objects.select_related("publication").get(pk=plan.pk))
        return {"pk": plan.pk}
    plan = Plan.objects.filter(association=home, status=PlanStatus.DRAFT).order_by("pk").first()
    plan = plan or _new_plan(home, direction)
    if not plan.promises.exists():  # the plan page's "remove" button
        services.add_part(plan=plan, actor=None, kind="promise", title="Provlöfte")
    if name == "planning:part_update":
        return {"pk": plan.pk, "kind": "promise", "part": plan.promises.order_by("pk")[0].pk}
    return {"pk": plan.pk}


def _ready_pdf(kind: str, obj) -> None:
    """The stored PDF of ``obj``'s current version (in the walk's language, Swedish), made
    here the way the worker makes it, so that its download page has a file."""
    from django.core.files.storage import default_storage

    from planning import pdfs

    key = pdfs.document_key(kind, obj, "sv")
    name = pdfs.storage_name(obj.association_id, kind, obj.pk, key)
    if not default_storage.exists(name):
        pdfs.store(name, pdfs.render_document(kind, obj, "sv"))


def _home_report(home, direction):
    """A published tertial report of a published plan (made once)."""
    from planning import services
    from planning.models import FollowUpReport

    report = FollowUpReport.objects.filter(association=home, is_published=True).first()
    if report is None:
        plan = _planning_values(home, "planning:public_plan")["pk"]
        from planning.models import Plan

        plan = Plan.objects.get(pk=plan)
        report = FollowUpReport.objects.filter(plan=plan, period="t1").first()
        report = report or services.create_report(plan=plan, actor=None, period="t1")
        report = services.publish_report(report=report, actor=None)
    return report


def _new_plan(home, direction):
    """A draft plan in a year of the direction that has none yet (else of a new direction)."""
    from planning import services
    from planning.models import Plan

    taken = set(Plan.objects.filter(association=home).values_list("year", flat=True))
    free = [y for y in range(direction.first_year, direction.last_year + 1) if y not in taken]
    if not free:
        direction = services.create_direction(
            association=home, actor=None, title="Provinriktning 2040", first_year=2040,
            last_year=2043,
        )  # fmt: skip
        free = [2040]
    return services.create_plan(direction=direction, actor=None, year=free[0])


def _home_board_decision(home):
    from governance.meetings.models import Decision

    decision = (
        Decision.objects.filter(association=home, item__meeting__body__kind="board", is_locked=True)
        .order_by("pk").first()
    )  # fmt: skip
    if decision is None:
        _meeting, item, _document = _home_meeting(home)
        decision = factories.make_decision(item, is_locked=True)
    return decision


def _home_organisation(home):
    from agreements.models import OutsideOrganisation
    from agreements.services import create_organisation

    found = OutsideOrganisation.objects.filter(association=home).order_by("pk").first()
    return found or create_organisation(association=home, actor=None, name="Provorganisation")


def _home_failed_delivery(home):
    """A failed e-mail of the home association (the log's "send again")."""
    from association.notifications.models import Delivery, Notification

    notification, _created = Notification.objects.get_or_create(
        association=home, kind="meetings.absence", occasion_key="test",
        recipient_key="e:x@example.org",
        defaults={"email": "x@example.org", "subject": "Frånvaro", "body": "Frånvaro"},
    )  # fmt: skip
    delivery, _created = Delivery.objects.update_or_create(
        association=home, notification=notification, channel="email",
        defaults={"status": "failed", "last_error": "SMTPDataError: 451"},
    )  # fmt: skip
    return delivery


def _home_meeting(home, noticed: bool = True):
    """A board meeting of the home association whose notice has gone out, with a public
    item and a public document (made once; the demo's meetings may have been changed by
    other pages of the walk)."""
    from datetime import UTC, datetime

    from governance.meetings import services
    from governance.meetings.models import ItemDocument, Meeting
    from governance.models import Body
    from tests.meetings.conftest import upload

    title = "Provmöte" if noticed else "Planerat provmöte"
    meeting = Meeting.objects.filter(association=home, title=title).first()
    if meeting is None:
        board = Body.objects.get(association=home, slug="styrelse")
        meeting = services.create_meeting(
            body=board, actor=None, title=title,
            starts_at=datetime(2030, 3, 5 + noticed, 9, tzinfo=UTC),
            ends_at=datetime(2030, 3, 5 + noticed, 11, tzinfo=UTC),
        )  # fmt: skip
        item = services.add_item(meeting=meeting, actor=None, title="Budget")
        services.attach_document(item=item, actor=None, upload=upload(), is_public=True)
        if noticed:
            services.send_notice(meeting=meeting, actor=None)
    link = ItemDocument.objects.filter(item__meeting=meeting).select_related("item").first()
    if link is None:  # removed by the walk's visit to the delete button
        item = meeting.items.order_by("position").first()
        link = services.attach_document(item=item, actor=None, upload=upload(), is_public=True)
    return meeting, link.item, link.document


def _home_posting(home):
    """A notice on the home association's board (the demo posts them; one is made if not)."""
    from governance.noticeboard.models import Posting

    posting = Posting.objects.filter(association=home).first()
    if posting is None:
        minutes = factories.make_adjusted_minutes(_home_held_meeting(home), number=90)
        posting = factories.make_posting(minutes)
    return posting


def _home_held_meeting(home):
    """A board meeting of the home association held in January 2026."""
    from datetime import UTC, datetime

    from governance.meetings.models import Meeting
    from governance.models import Body

    meeting = Meeting.objects.filter(association=home, title="Hållet provmöte").first()
    if meeting is None:
        board = Body.objects.get(association=home, slug="styrelse")
        meeting = factories.make_meeting(
            board, datetime(2026, 1, 15, 9, tzinfo=UTC), title="Hållet provmöte", notice=True
        )
    return meeting


def _home_minutes_to_post(home):
    """Adjusted minutes of the home association without a notice (made when none is left)."""
    from governance.meetings.models import Minutes
    from governance.noticeboard.queries import minutes_awaiting_notice

    minutes = minutes_awaiting_notice(home).first()
    if minutes is None:
        meeting = _home_held_meeting(home)
        number = Minutes.objects.filter(meeting=meeting).count() + 1
        minutes = factories.make_adjusted_minutes(meeting, number=number)
    return minutes


def _package_for(meeting, user) -> None:
    """The user's own finished meeting package, built in this process (no worker) and
    noted as their request, as the package page's request would."""
    from governance.meetings import package
    from governance.meetings.tasks import build_meeting_package

    outcome = build_meeting_package.apply(
        args=[meeting.association_id, meeting.pk, user.pk, "sv"]
    ).get()
    if outcome["status"] == package.READY:
        package.remember(association_id=meeting.association_id, meeting_id=meeting.pk,
                         user_id=user.pk, key=outcome["key"])  # fmt: skip


def _home_recommendation(home):
    """A public recommendation of the home association, adjusted (the demo's, or one made)."""
    from governance.meetings.models import Decision

    found = Decision.objects.filter(
        association=home, is_recommendation=True, is_locked=True, is_public=True,
        item__is_public=True,
    ).first()  # fmt: skip
    if found is None:
        meeting, _item, _document = _home_meeting(home)
        item = factories.make_item(meeting, "Rekommendation till kommunerna")
        found = factories.make_decision(item, is_recommendation=True, is_locked=True)
    return found


def _home_proposal(home):
    """A per capsulam proposal of the home association open for answers (the demo's, or one
    made)."""
    from datetime import timedelta

    from django.utils import timezone

    from governance.decisions.models import Proposal

    soon = timezone.now() + timedelta(hours=1)
    found = Proposal.objects.filter(association=home, status="open", closes_at__gt=soon)
    return found.order_by("pk").first() or _new_proposal(home, "Provförslag")


def _new_proposal(home, title: str):
    """A proposal circulated to the board (given a member of today if it has none)."""
    from datetime import timedelta

    from django.utils import timezone

    from governance.decisions.services import circulate, voting_members
    from governance.models import Body, Term

    board = Body.objects.get(association=home, slug="styrelse")
    today = timezone.localdate()
    if not voting_members(board, today):
        term = Term.objects.get(association=home, starts_on__lte=today, ends_on__gte=today)
        # Earlier pages of a walk may have removed the demo member: a seat of its own.
        seat = factories.make_post(board, members=1, label="Provplats")
        factories.assign(board, factories.make_person(home), term=term, starts_on=today,
                         ends_on=term.ends_on, seat=seat)  # fmt: skip
    return circulate(body=board, actor=None, title=title, text="Beslut.",
                     closes_at=timezone.now() + timedelta(days=3))  # fmt: skip


def _awaiting_proposal(home):
    """A passed proposal of the home association waiting for a meeting."""
    from datetime import timedelta

    from django.utils import timezone

    from governance.decisions.models import Proposal

    found = Proposal.objects.filter(association=home, status="passed", item__isnull=True).first()
    if found is None:
        found = _new_proposal(home, "Väntande förslag")
        now = timezone.now()
        Proposal.objects.filter(pk=found.pk).update(
            status="passed", closes_at=now - timedelta(days=1), closed_at=now
        )
    return found


def _adjust_minutes(meeting):
    """Adjusted minutes for the test meeting (made once), so the public minutes exist."""
    from governance.meetings import records
    from governance.meetings.models import Minutes

    if Minutes.objects.filter(meeting=meeting, is_adjusted=True).exists():
        return
    chair = factories.make_user()
    person = factories.make_person(meeting.association, user=chair)
    minutes = records.current_minutes(meeting) or records.draft_minutes(meeting=meeting, actor=None)
    minutes = records.update_minutes(
        minutes=minutes, actor=None, expected_version=minutes.version, data={}, adjusters=[person]
    )
    minutes = records.send_for_adjustment(minutes=minutes, actor=None)
    records.approve(minutes=minutes, user=chair, second_factor=True)


def _body_with_a_chair_to_confirm(home):
    """A presidium hosted by a member municipality with two of its people sitting all of next
    year, so next year's chairs can be proposed and confirmed (Norrbotten's sources name no
    such body)."""
    from datetime import date

    from django.utils import timezone

    from governance import services
    from governance.models import Body, Term
    from members.models import Membership

    existing = Body.objects.filter(association=home, slug="presidium-test").first()
    if existing is not None:
        return existing
    year = timezone.localdate().year + 1
    first, last = date(year, 1, 1), date(year, 12, 31)
    term = Term.objects.filter(association=home, starts_on__lte=first, ends_on__gte=last).first()
    if term is None:
        term = services.create_term(association=home, actor=None, name=f"Test {year}",
                                    starts_on=first, ends_on=last)  # fmt: skip
    host = Membership.objects.filter(association=home)[0].municipality
    body = services.create_body(
        association=home, actor=None, name="Presidium", slug="presidium-test", kind="presidium",
        chair_rule="host_both", fixed_host=host,
    )  # fmt: skip
    seat = services.create_seat(body=body, actor=None, municipality=host, members=2)
    for number in range(2):
        person = services.create_person(
            association=home, actor=None, first_name="Värd", last_name=f"Ledamot {number}",
            municipality=host,
        )  # fmt: skip
        services.create_assignment(
            body=body, actor=None, person=person, seat=seat, term=term, role="member",
            starts_on=first, ends_on=last,
        )  # fmt: skip
    return body


def test_every_page_is_in_the_table_and_declares_the_same_access():
    pages = {page.name: page for page in project_pages()}
    assert set(pages) == set(EXPECTED), "pages and table differ"
    for name, page in pages.items():
        assert page.access == EXPECTED[name], name


@pytest.mark.parametrize("visitor", VISITORS)
def test_page_matrix(client, world, visitor):
    home, people = world
    user = people[visitor]
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    for page in project_pages():
        access = EXPECTED[page.name]
        url = page.url(**values_for(page, home, user)) if page.params else page.url()
        response = client.post(url) if page.post_only else client.get(url)
        if visitor in ALLOWED[access] and (page.name, visitor) not in NARROWED:
            assert response.status_code in (200, 302), f"{visitor} {url} {response.status_code}"
            if response.status_code == 302:
                assert "/accounts/" not in response["Location"], f"{visitor} {url}"
        elif user is None:
            assert response.status_code == 302, f"{visitor} {url}"
            assert response["Location"].startswith("/accounts/login/"), f"{visitor} {url}"
        else:
            assert response.status_code == 403, f"{visitor} {url} {response.status_code}"
