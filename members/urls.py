from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("", views.MemberListView.as_view(), name="list"),
    path("ny/", views.MembershipCreateView.as_view(), name="create"),
    path("<int:pk>/", views.MembershipDetailView.as_view(), name="detail"),
    path("<int:pk>/andra/", views.MembershipUpdateView.as_view(), name="update"),
    path("avgifter/", views.FeeScheduleView.as_view(), name="fees"),
    path(
        "avgifter/<int:year>.csv",
        views.FeeScheduleExportView.as_view(format="csv"),
        name="fees_csv",
    ),
    path(
        "avgifter/<int:year>.xlsx",
        views.FeeScheduleExportView.as_view(format="xlsx"),
        name="fees_xlsx",
    ),
    path("avgiftsregler/", views.FeeRuleListView.as_view(), name="fee_rules"),
    path("avgiftsregler/ny/", views.FeeRuleCreateView.as_view(), name="fee_rule_create"),
    path("avgiftsregler/<int:pk>/", views.FeeRuleUpdateView.as_view(), name="fee_rule_update"),
    path("avgifter/<int:year>/faststall/", views.AdoptFeeScheduleView.as_view(), name="adopt"),
    path(
        "avgifter/faststallda/<int:pk>/",
        views.AdoptedFeeScheduleView.as_view(),
        name="adoption",
    ),
    path("siffror/", views.NationalFiguresView.as_view(), name="figures"),
    path(
        "siffror/korrigeringar/ny/",
        views.CorrectionCreateView.as_view(),
        name="correction_create",
    ),
    path(
        "siffror/korrigeringar/<int:pk>/",
        views.CorrectionUpdateView.as_view(),
        name="correction_update",
    ),
    path(
        "siffror/korrigeringar/<int:pk>/ta-bort/",
        views.CorrectionDeleteView.as_view(),
        name="correction_delete",
    ),
    path("kommuner/", views.RegisterView.as_view(), name="register"),
]
