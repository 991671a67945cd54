from django.views.generic import TemplateView

from association.mixins import TenantMixin
from association.permissions import Access


class MemberListView(TenantMixin, TemplateView):
    access = Access.PUBLIC
    template_name = "members/member_list.html"
