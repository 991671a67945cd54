import datetime
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from association.mixins import ServiceFormView, TenantMixin
from association.permissions import Access, may_edit, may_view_internal
from governance.rooms import queries, services
from governance.rooms.forms import LOCAL, BookingForm, ResourceForm, iso_week, week_start
from governance.rooms.models import BookableBy
from governance.rooms.permissions import (
    may_book,
    may_book_resource,
    may_cancel,
    may_see_booker,
)


class _BookerMixin(TenantMixin):
    """Pages for the people who book: staff of the association and its elected members."""

    access = Access.BODY_MEMBER

    def has_access(self) -> bool:
        return may_book(self.request)

    def bookable_resources(self):
        resources = queries.resources(self.association, active_only=True)
        if not may_view_internal(self.request):
            resources = resources.filter(bookable_by=BookableBy.STAFF_AND_ELECTED)
        return resources


class WeekView(_BookerMixin, TemplateView):
    """Every resource with its bookings, one row per resource and one column per day."""

    template_name = "rooms/week.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        monday = week_start(self.request.GET.get("vecka"))
        days = [monday + datetime.timedelta(days=n) for n in range(7)]
        starts = datetime.datetime.combine(monday, datetime.time(), tzinfo=LOCAL)
        ends = datetime.datetime.combine(days[-1] + datetime.timedelta(days=1), datetime.time(),
                                         tzinfo=LOCAL)  # fmt: skip
        resources = list(queries.resources(self.association, active_only=True))
        cells: dict[tuple[int, datetime.date], list] = defaultdict(list)
        for booking in queries.live_bookings_between(self.association, starts, ends):
            first = timezone.localtime(booking.starts_at)
            last = timezone.localtime(booking.ends_at)
            booking.local_start, booking.local_end = first, last
            booking.show_booker = may_see_booker(self.request, booking)
            booking.is_mine = booking.booked_by_id == self.request.user.pk
            day = first.date()
            # A booking past midnight shows on each day it touches.
            while day <= last.date() and not (
                day == last.date() and last.time() == datetime.time()
            ):
                cells[(booking.resource_id, day)].append(booking)
                day += datetime.timedelta(days=1)
        today = timezone.localdate()
        rows = [
            {
                "resource": resource,
                "bookable": may_book_resource(self.request, resource),
                "days": [(day, cells.get((resource.pk, day), [])) for day in days],
            }
            for resource in resources
        ]
        context.update(
            rows=rows,
            days=days,
            today=today,
            week=iso_week(monday),
            week_number=monday.isocalendar()[1],
            previous_week=iso_week(monday - datetime.timedelta(days=7)),
            next_week=iso_week(monday + datetime.timedelta(days=7)),
            this_week=iso_week(today),
        )
        return context


class BookView(_BookerMixin, FormView):
    template_name = "rooms/book.html"
    form_class = BookingForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["resources"] = self.bookable_resources()
        return kwargs

    def get_initial(self):
        # Prefilled from a week view link: ?resurs=3&datum=2026-11-25
        initial = {}
        resource, day = self.request.GET.get("resurs", ""), self.request.GET.get("datum", "")
        if resource.isdigit() and len(resource) < 12:
            initial["resource"] = int(resource)
        if len(day) == 10:
            initial["date"] = day
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            booking = services.book(
                resource=data["resource"], actor=self.request.user,
                starts_at=data["starts_at"], ends_at=data["ends_at"], title=data["title"],
            )  # fmt: skip
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    field = {"starts_at": "start", "ends_at": "end"}.get(field, field)
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Booked: %(resource)s, %(span)s.")
            % {
                "resource": booking.resource,
                "span": services.describe_span(booking.starts_at, booking.ends_at),
            },
        )
        week = iso_week(timezone.localtime(booking.starts_at).date())
        return redirect(
            reverse("rooms:week", kwargs={"association": self.association.slug}) + f"?vecka={week}"
        )


class MyBookingsView(_BookerMixin, TemplateView):
    template_name = "rooms/my_bookings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        bookings = list(queries.bookings_of(self.association, self.request.user)[:200])
        context["upcoming"] = [
            b for b in reversed(bookings) if b.ends_at > now and b.cancelled_at is None
        ]
        context["earlier"] = [b for b in bookings if b.ends_at <= now or b.cancelled_at]
        if may_edit(self.request):  # staff editors may cancel anyone's booking
            context["others"] = queries.coming_bookings_of_others(
                self.association, self.request.user, now
            )[:100]
        return context


class CancelBookingView(_BookerMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        booking = queries.booking(self.association, kwargs["pk"]).first()
        if booking is None:
            raise Http404
        target = reverse("rooms:mine", kwargs={"association": self.association.slug})
        if not may_cancel(request, booking):
            messages.error(request, _("You may cancel only your own bookings."))
            return redirect(target)
        try:
            services.cancel_booking(booking=booking, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Cancelled: %(resource)s, %(span)s.")
                % {
                    "resource": booking.resource,
                    "span": services.describe_span(booking.starts_at, booking.ends_at),
                },
            )
        return redirect(target)


class ResourceListView(TenantMixin, TemplateView):
    access = Access.EDITOR
    template_name = "rooms/resource_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["resources"] = queries.resources(self.association)
        return context


class _ResourceFormView(ServiceFormView):
    template_name = "rooms/resource_form.html"
    form_class = ResourceForm

    def create(self, data):
        return services.create_resource(
            association=self.association, actor=self.request.user, **data
        )

    def update(self, instance, version, data):
        return services.update_resource(
            resource=instance, actor=self.request.user, expected_version=version, data=data
        )

    def success_url_for(self, obj):
        return reverse("rooms:resources", kwargs={"association": self.association.slug})


class ResourceCreateView(_ResourceFormView):
    pass


class ResourceUpdateView(_ResourceFormView):
    def get_instance(self):
        resource = queries.resource(self.association, self.kwargs["pk"]).first()
        if resource is None:
            raise Http404
        return resource
