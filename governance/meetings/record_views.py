"""Pages of the meeting's record and its minutes.

- The secretary (``permissions.may_record``: staff who may edit, or the body's secretary)
  records attendance and decisions, drafts the minutes, edits their wording, names the
  adjusters and sends them for adjustment, and starts a correction.
- An adjuster approves the minutes they are named for, after logging in with a second
  factor in this session.
- The public reads adjusted minutes (public items and public decisions) and their PDF.
"""

from allauth.account.authentication import get_authentication_records
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from association.documents import content_disposition
from association.forms import add_validation_error
from association.mixins import TenantMixin
from association.permissions import Access
from association.services import ConcurrentEditError
from governance.meetings import package, queries, quorum, records
from governance.meetings.forms import AttendanceForm, CorrectionForm, DecisionForm, MinutesForm
from governance.meetings.models import Decision, MinutesStatus
from governance.meetings.permissions import may_record, may_see_minutes, sees_everything
from governance.meetings.views import _MeetingMixin
from governance.models import Person

CONCURRENT = _("Someone else changed this meanwhile. Reload the page to see their changes.")


def minutes_context(meeting, minutes, *, everything: bool) -> dict:
    """What the minutes show, drawn from the record: the roll, and per item its §, its
    decision with votes, statements and conflicts, and the quorum. The public part leaves
    out items and decisions that are not public."""
    attendance = queries.attendance(meeting)
    assignments = records.body_assignments(meeting)
    members = records.member_count(meeting, assignments)
    rows = records.presences(meeting, attendance)
    items = queries.record_items(meeting)
    if not everything:
        items = [item for item in items if item.is_public]
    for item in items:
        conflicted = {c.person_id for c in item.declared}
        item.quorum = quorum.item_quorum(meeting.body, members, rows, item.position, conflicted)
        decision = item.the_decision
        if decision is not None and not everything and not decision.is_public:
            item.the_decision = decision = None
            item.decision_hidden = True
        if decision is not None:
            votes = list(decision.votes.all())
            decision.counts = quorum.count_votes(v.choice for v in votes)
            decision.outcome = quorum.vote_outcome(
                decision.counts["yes"], decision.counts["no"], decision.casting_vote
            )
            decision.vote_list = votes
            decision.statement_list = list(decision.statements.all())
    present = [a for a in attendance if a.status == "present"]
    return {
        "minutes": minutes,
        "items": items,
        "attendance": attendance,
        "present_members": [a for a in present if a.role in quorum.MEMBER_ROLES],
        "serving": [a for a in present if a.serves_for_id],
        "present_others": [
            a for a in present if a.role not in quorum.MEMBER_ROLES and not a.serves_for_id
        ],
        "absent": [a for a in attendance if a.status != "present"],
        "member_count": members,
        "assignments": assignments,
        "adjusters": list(minutes.adjusters.all()) if minutes is not None else [],
        "everything": everything,
    }


class _RecordMixin(_MeetingMixin):
    """The secretary's pages: staff who may edit (``Access.EDITOR``) and also the body's
    secretary, who holds no staff role."""

    access = Access.EDITOR

    def has_access(self) -> bool:
        return self.request.user.is_authenticated and may_record(self.request, self.meeting)


class RecordView(_RecordMixin, TemplateView):
    """Attendance for the whole meeting and, per item, its quorum and decision."""

    template_name = "meetings/record.html"

    def attendance_form(self, record: dict, data=None) -> AttendanceForm:
        """The roll as recorded, or as proposed; people who joined the body since are
        added as proposed. ``record`` is ``minutes_context`` (so nothing is read twice)."""
        saved = record["attendance"]
        proposed = records.proposed_attendance(self.meeting, record["assignments"])
        if saved:
            rows = [
                {
                    "person": a.person,
                    "role": a.role,
                    "status": a.status,
                    "serves_for": a.serves_for_id,
                    "arrived_before": a.arrived_before_id,
                    "left_after": a.left_after_id,
                }
                for a in saved
            ]
            known = {a.person_id for a in saved}
            rows += [r for r in proposed if r["person"].pk not in known]
        else:
            rows = proposed
        members = [r["person"] for r in rows if r["role"] in quorum.MEMBER_ROLES]
        return AttendanceForm(
            data, meeting=self.meeting, rows=rows, members=members, items=record["items"]
        )

    def get_context_data(self, **kwargs):
        record = kwargs.pop("record", None) or minutes_context(self.meeting, None, everything=True)
        context = super().get_context_data(**kwargs)
        context.update(record)
        context.setdefault("form", self.attendance_form(record))
        context["minutes_versions"] = queries.minutes_versions(self.meeting)
        context["recorded"] = bool(record["attendance"])
        return context

    def post(self, request, *args, **kwargs):
        record = minutes_context(self.meeting, None, everything=True)
        form = self.attendance_form(record, request.POST)
        if form.is_valid():
            try:
                records.save_attendance(
                    meeting=self.meeting,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    rows=form.cleaned_rows(),
                )
            except ConcurrentEditError:
                form.add_error(None, CONCURRENT)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("The attendance is saved."))
                return redirect(self.meeting_url("record"))
        return self.render_to_response(self.get_context_data(form=form, record=record))


class DecisionView(_RecordMixin, TemplateView):
    """One item's decision: text (prefilled from the proposal), method, votes by name of
    the voters at the item, reservations and statements, adjusted at once."""

    template_name = "meetings/decision.html"

    def setup_item(self):
        self.item = get_object_or_404(queries.item(self.meeting, self.kwargs["item"]))
        self.decision = (
            Decision.objects.filter(item=self.item).prefetch_related("votes", "statements").first()
        )
        rows = records.presences(self.meeting)
        conflicted = records.conflicted_people(self.item)
        voter_ids = quorum.voters_at(rows, self.item.position, conflicted)
        present_ids = quorum.present_at(rows, self.item.position)
        people = {
            p.pk: p
            for p in Person.objects.filter(pk__in=voter_ids | present_ids | conflicted).order_by(
                "last_name", "first_name"
            )
        }
        self.voters = [p for p in people.values() if p.pk in voter_ids]
        self.present = [p for p in people.values() if p.pk in present_ids]
        self.conflicted = [p for p in people.values() if p.pk in conflicted]
        members = records.member_count(self.meeting)
        self.quorum = quorum.item_quorum(
            self.meeting.body, members, rows, self.item.position, conflicted
        )

    def form(self, data=None) -> DecisionForm:
        decision = self.decision
        if decision is None:
            initial = {
                "text": self.item.proposed_decision,
                "method": "acclamation",
                "is_public": self.item.is_public,
            }
        else:
            initial = {
                "text": decision.text,
                "method": decision.method,
                "consensus_reached": {True: "yes", False: "no"}.get(decision.consensus_reached, ""),
                "casting_vote": decision.casting_vote,
                "adjusted_at_once": decision.adjusted_at_once,
                "is_public": decision.is_public,
                "is_recommendation": decision.is_recommendation,
            }
            for vote in decision.votes.all():
                initial[f"vote-{vote.person_id}"] = vote.choice
            for n, statement in enumerate(list(decision.statements.all())[:3]):
                initial[f"st{n}-person"] = str(statement.person_id)
                initial[f"st{n}-kind"] = statement.kind
                initial[f"st{n}-text"] = statement.text
        return DecisionForm(
            data,
            voters=self.voters,
            present=self.present,
            decision=self.decision,
            initial=initial,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.form())
        context.update(
            item=self.item,
            decision=self.decision,
            quorum=self.quorum,
            conflicted=self.conflicted,
            locked=self.decision is not None and self.decision.is_locked,
        )
        return context

    def get(self, request, *args, **kwargs):
        self.setup_item()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.setup_item()
        form = self.form(request.POST)
        if form.is_valid():
            try:
                records.save_decision(
                    item=self.item,
                    actor=request.user,
                    expected_version=form.cleaned_data.get("version"),
                    data=form.decision_data(),
                    votes=form.votes(),
                    statements=form.statements(),
                )
            except ConcurrentEditError:
                form.add_error(None, CONCURRENT)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                if not self.quorum.reached:
                    messages.warning(request, _("The decision is saved, but without quorum."))
                else:
                    messages.success(request, _("The decision is saved."))
                return redirect(self.meeting_url("record") + f"#item-{self.item.pk}")
        return self.render_to_response(self.get_context_data(form=form))


class MinutesEditView(_RecordMixin, TemplateView):
    """The current minutes version: draft it, edit its wording and adjusters, send it for
    adjustment; once adjusted, start a correction."""

    template_name = "meetings/minutes_edit.html"

    def people(self, assignments=None):
        if assignments is None:
            assignments = records.body_assignments(self.meeting)
        ids = [a.person_id for a in assignments]
        return Person.objects.filter(pk__in=ids).order_by("last_name", "first_name")

    def minutes_form(self, minutes, data=None, assignments=None):
        if minutes is None:
            return None
        initial = {
            "opening": minutes.opening,
            "closing": minutes.closing,
            "kept_at": minutes.kept_at,
            "adjusters": [a.person_id for a in minutes.adjusters.all()],
        }
        return MinutesForm(data, minutes=minutes, people=self.people(assignments), initial=initial)

    def get_context_data(self, **kwargs):
        versions = queries.minutes_versions(self.meeting)
        current = versions[-1] if versions else None
        context = super().get_context_data(**kwargs)
        record = minutes_context(self.meeting, current, everything=True)
        context.update(record)
        context.setdefault("form", self.minutes_form(current, assignments=record["assignments"]))
        context.setdefault("correction_form", CorrectionForm())
        context.update(versions=versions, current=current)
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        current = records.current_minutes(self.meeting)
        try:
            if action == "draft":
                records.draft_minutes(meeting=self.meeting, actor=request.user)
                messages.success(request, _("The minutes are drafted from the record."))
            elif action == "send" and current is not None:
                records.send_for_adjustment(minutes=current, actor=request.user)
                messages.success(request, _("The minutes are sent to the adjusters."))
            elif action == "correct" and current is not None:
                form = CorrectionForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(correction_form=form))
                records.start_correction(
                    minutes=current,
                    actor=request.user,
                    reason=form.cleaned_data["correction_reason"],
                )
                messages.success(request, _("A corrected version is drafted."))
            elif action == "save" and current is not None:
                form = self.minutes_form(current, request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(form=form))
                data = form.cleaned_data
                try:
                    records.update_minutes(
                        minutes=current,
                        actor=request.user,
                        expected_version=data["version"],
                        data={k: data[k] for k in ("opening", "closing", "kept_at")},
                        adjusters=list(data["adjusters"]),
                    )
                except ConcurrentEditError:
                    form.add_error(None, CONCURRENT)
                    return self.render_to_response(self.get_context_data(form=form))
                except ValidationError as error:
                    add_validation_error(form, error)
                    return self.render_to_response(self.get_context_data(form=form))
                messages.success(request, _("The minutes are saved."))
            else:
                messages.error(request, _("Nothing to do."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(self.meeting_url("minutes_edit"))


def _used_second_factor(request) -> bool:
    records_ = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records_)


class ApproveView(_MeetingMixin, TemplateView):
    """An adjuster reads the minutes out for adjustment and approves them. Others who see
    everything of the meeting (its members, staff) see the minutes and where the
    adjustment stands, without the button; anyone else logged in is sent to their own
    meetings. The service refuses an approval by anyone not named in any case."""

    access = Access.LOGGED_IN
    template_name = "meetings/approve.html"

    def find_adjuster(self):
        versions = queries.minutes_versions(self.meeting)
        self.minutes = versions[-1] if versions else None
        self.adjuster = None
        if self.minutes is not None:
            user_id = self.request.user.pk
            for adjuster in self.minutes.adjusters.all():
                if adjuster.person.user_id == user_id:
                    self.adjuster = adjuster
        return self.adjuster

    def get(self, request, *args, **kwargs):
        if self.find_adjuster() is None and not sees_everything(request, self.meeting):
            messages.error(request, _("You are not named to adjust these minutes."))
            return redirect("my_meetings")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(minutes_context(self.meeting, self.minutes, everything=True))
        context.update(
            adjuster=self.adjuster,
            second_factor=_used_second_factor(self.request),
            out=self.minutes is not None
            and self.minutes.status == MinutesStatus.OUT_FOR_ADJUSTMENT,
        )
        return context

    def post(self, request, *args, **kwargs):
        if self.find_adjuster() is None:
            messages.error(request, _("You are not named to adjust these minutes."))
            return redirect("my_meetings")
        try:
            minutes = records.approve(
                minutes=self.minutes, user=request.user, second_factor=_used_second_factor(request)
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.meeting_url("approve"))
        if minutes.is_adjusted:
            messages.success(request, _("You approved; the minutes are now adjusted."))
        else:
            messages.success(request, _("You approved the minutes."))
        return redirect(self.meeting_url("approve"))


class MinutesView(_MeetingMixin, TemplateView):
    """The adjusted minutes (the latest adjusted version): the public part for everyone,
    every item for the body's members and staff."""

    access = Access.PUBLIC
    template_name = "meetings/minutes.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        minutes = adjusted_or_404(self.meeting)
        everything = sees_everything(self.request, self.meeting)
        context.update(minutes_context(self.meeting, minutes, everything=everything))
        context["may_record"] = may_record(self.request, self.meeting)
        return context


def adjusted_or_404(meeting, versions: list | None = None):
    """The latest adjusted version (``versions``: ``queries.minutes_versions`` if read)."""
    if versions is None:
        versions = queries.minutes_versions(meeting)
    adjusted = [m for m in versions if m.is_adjusted]
    if not adjusted:
        raise Http404
    return adjusted[-1]


class MinutesPdfView(_MeetingMixin, View):
    """The minutes as an archival, tagged PDF: the adjusted version for everyone (its
    public part), and for the secretary also the draft of the current version."""

    access = Access.PUBLIC

    def get(self, request, *args, **kwargs):
        everything = sees_everything(request, self.meeting)
        versions = queries.minutes_versions(self.meeting)
        if request.GET.get("utkast") and versions and self.may_see_draft(versions[-1]):
            minutes = versions[-1]
        else:
            minutes = adjusted_or_404(self.meeting, versions)
        if not may_see_minutes(request, minutes, everything):
            raise PermissionDenied
        context = minutes_context(self.meeting, minutes, everything=everything)
        pdf = package.minutes_pdf(meeting=self.meeting, context=context)
        response = HttpResponse(pdf, content_type="application/pdf")
        day = timezone.localtime(self.meeting.starts_at)
        response["Content-Disposition"] = content_disposition(
            f"protokoll-{self.meeting.body.slug}-{day:%Y-%m-%d}.pdf"
        )
        if everything:
            response["Cache-Control"] = "private, no-store"
        return response

    def may_see_draft(self, minutes) -> bool:
        user = self.request.user
        named = user.is_authenticated and any(
            a.person.user_id == user.pk for a in minutes.adjusters.all()
        )
        return named or may_record(self.request, self.meeting)


class OverdueMinutesView(TenantMixin, TemplateView):
    """Staff: meetings whose minutes are not adjusted within 14 days."""

    access = Access.STAFF
    template_name = "meetings/overdue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meetings"] = queries.overdue_minutes(self.association)
        return context
