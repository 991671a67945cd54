from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from association import views as association_views

admin.autodiscover()
# The admin's own login would bypass allauth's rate limits and second factor.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", association_views.AssociationListView.as_view(), name="home"),
    path("healthz", association_views.healthz, name="healthz"),
    path("i18n/setlang/", association_views.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("konto/aviseringar/", include("association.notifications.account_urls")),
    path("konto/", include("association.account_urls")),
    path("plattform/siffror/", include("members.platform_urls")),
    path("", include("governance.meetings.account_urls")),
    path("<slug:association>/", include("association.urls")),
    path("<slug:association>/medlemmar/", include("members.urls")),
    path("<slug:association>/organ/", include("governance.urls")),
    path("<slug:association>/lokaler/", include("governance.rooms.urls")),
    path("<slug:association>/moten/", include("governance.meetings.urls")),
    path("<slug:association>/aviseringar/", include("association.notifications.urls")),
    path("<slug:association>/anslagstavla/", include("governance.noticeboard.urls")),
    path("<slug:association>/beslut/", include("governance.decisions.urls")),
    path("<slug:association>/avtal/", include("agreements.urls")),
    path("<slug:association>/natverk/", include("networks.urls")),
    path("<slug:association>/planering/", include("planning.urls")),
]

handler404 = "association.views.page_not_found"
handler403 = "association.views.permission_denied"
handler500 = "association.views.server_error"
