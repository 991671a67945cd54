from django.urls import path

from governance.meetings import record_views, views

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="list"),
    path("kalender.ics", views.AssociationFeedView.as_view(), name="feed"),
    path("organ/<slug:body>/kalender.ics", views.BodyFeedView.as_view(), name="body_feed"),
    path("organ/<slug:body>/ny/", views.MeetingCreateView.as_view(), name="create"),
    path("organ/<slug:body>/installningar/", views.SettingsView.as_view(), name="settings"),
    path("organ/<slug:body>/<int:year>/", views.PlanningView.as_view(), name="planning"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="detail"),
    path("<int:pk>/kallelse.pdf", views.NoticePdfView.as_view(), name="notice_pdf"),
    path(
        "<int:pk>/handlingar/<int:document>/", views.DocumentDownloadView.as_view(), name="document"
    ),
    path(
        "<int:pk>/handlingar/<int:document>/version/<int:number>/",
        views.DocumentDownloadView.as_view(),
        name="document_version",
    ),
    path(
        "<int:pk>/handlingar/<int:document>/ny-version/",
        views.DocumentVersionView.as_view(),
        name="document_add_version",
    ),
    path(
        "<int:pk>/handlingar/<int:document>/offentlig/",
        views.DocumentPublicView.as_view(),
        name="document_public",
    ),
    path(
        "<int:pk>/handlingar/<int:document>/ta-bort/",
        views.DocumentDeleteView.as_view(),
        name="document_delete",
    ),
    path("<int:pk>/dagordning/", views.AgendaView.as_view(), name="agenda"),
    path("<int:pk>/paket/", views.PackageView.as_view(), name="package"),
    path(
        "<int:pk>/paket/moteshandlingar.pdf",
        views.PackageDownloadView.as_view(),
        name="package_download",
    ),
    path("<int:pk>/franvaro/", views.AbsenceView.as_view(), name="absence"),
    path("<int:pk>/andra/", views.MeetingUpdateView.as_view(), name="update"),
    path("<int:pk>/stall-in/", views.MeetingCancelView.as_view(), name="cancel"),
    path("<int:pk>/forberedande/", views.PreparatoryView.as_view(), name="preparatory"),
    path("<int:pk>/kallelse/", views.NoticeView.as_view(), name="notice"),
    path("<int:pk>/punkter/", views.ItemsView.as_view(), name="items"),
    path("<int:pk>/punkter/<int:item>/", views.ItemUpdateView.as_view(), name="item_update"),
    path("<int:pk>/punkter/<int:item>/flytta/", views.ItemMoveView.as_view(), name="item_move"),
    path(
        "<int:pk>/punkter/<int:item>/ta-bort/", views.ItemDeleteView.as_view(), name="item_delete"
    ),
    path(
        "<int:pk>/punkter/<int:item>/handlingar/ny/",
        views.DocumentAddView.as_view(),
        name="document_add",
    ),
    path("<int:pk>/punkter/<int:item>/anteckning/", views.NoteView.as_view(), name="note"),
    path("<int:pk>/punkter/<int:item>/jav/", views.ConflictView.as_view(), name="conflict"),
    path(
        "<int:pk>/punkter/<int:item>/jav/ta-tillbaka/",
        views.ConflictWithdrawView.as_view(),
        name="conflict_withdraw",
    ),
    path("protokoll/ej-justerade/", record_views.OverdueMinutesView.as_view(), name="overdue"),
    path("<int:pk>/protokollsforing/", record_views.RecordView.as_view(), name="record"),
    path(
        "<int:pk>/protokollsforing/<int:item>/",
        record_views.DecisionView.as_view(),
        name="decision",
    ),
    path("<int:pk>/protokoll/", record_views.MinutesView.as_view(), name="minutes"),
    path("<int:pk>/protokoll.pdf", record_views.MinutesPdfView.as_view(), name="minutes_pdf"),
    path("<int:pk>/protokoll/utkast/", record_views.MinutesEditView.as_view(), name="minutes_edit"),
    path("<int:pk>/protokoll/justera/", record_views.ApproveView.as_view(), name="approve"),
]
