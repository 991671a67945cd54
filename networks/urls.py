from django.urls import path

from networks import views

app_name = "networks"

urlpatterns = [
    path("", views.PublicListView.as_view(), name="public_list"),
    path("mina/", views.MyNetworksView.as_view(), name="mine"),
    path("alla/", views.StaffListView.as_view(), name="staff_list"),
    path("ny/", views.NetworkCreateView.as_view(), name="create"),
    path("arsrapporter/", views.ReportsView.as_view(), name="reports"),
    path("uppdrag/", views.WorkListView.as_view(), name="work_list"),
    path("uppdrag/ny/", views.WorkCreateView.as_view(), name="work_create"),
    path("uppdrag/<int:pk>/", views.WorkDetailView.as_view(), name="work_detail"),
    path("uppdrag/<int:pk>/andra/", views.WorkUpdateView.as_view(), name="work_update"),
    path("uppdrag/<int:pk>/status/", views.WorkStatusView.as_view(), name="work_status"),
    path("aterkoppling/", views.RoundListView.as_view(), name="rounds"),
    path("aterkoppling/ny/", views.RoundCreateView.as_view(), name="round_create"),
    path("aterkoppling/<int:pk>/", views.RoundResultsView.as_view(), name="round"),
    path(
        "aterkoppling/<int:pk>/resultat.csv",
        views.RoundExportView.as_view(export_format="csv"),
        name="round_csv",
    ),
    path(
        "aterkoppling/<int:pk>/resultat.xlsx",
        views.RoundExportView.as_view(export_format="xlsx"),
        name="round_xlsx",
    ),
    path("aterkoppling/<int:pk>/svara/", views.AnswerView.as_view(), name="answer"),
    path("<slug:slug>/", views.PublicDetailView.as_view(), name="public_detail"),
    path("<slug:slug>/medlemmar/", views.MembersView.as_view(), name="members"),
    path("<slug:slug>/andra/", views.NetworkUpdateView.as_view(), name="update"),
    path("<slug:slug>/medlem/ny/", views.MemberAddView.as_view(), name="member_add"),
    path("<slug:slug>/arsrapport/ny/", views.ReportAddView.as_view(), name="report_add"),
    path(
        "<slug:slug>/arsrapport/<int:pk>/dokument/",
        views.ReportDocumentView.as_view(),
        name="report_document",
    ),
]
