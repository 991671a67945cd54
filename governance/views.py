from django.http import Http404
from django.views.generic import DetailView, ListView

from association.mixins import TenantMixin
from association.permissions import Access
from governance import queries
from governance.permissions import may_view_body_documents


class BodyListView(TenantMixin, ListView):
    access = Access.PUBLIC
    template_name = "governance/body_list.html"
    context_object_name = "bodies"

    def get_queryset(self):
        return queries.bodies(self.association)


class BodyDetailView(TenantMixin, DetailView):
    """Public facts and seats; the members' information only for members and staff."""

    access = Access.PUBLIC
    template_name = "governance/body_detail.html"
    context_object_name = "body"

    def get_object(self, queryset=None):
        body = queries.body_with_seats(self.association, self.kwargs["body"]).first()
        if body is None:
            raise Http404
        return body

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_view_documents"] = may_view_body_documents(self.request, self.object)
        return context
