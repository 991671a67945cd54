from django.urls import path

from planning import views

app_name = "planning"

urlpatterns = [
    path("", views.PublicIndexView.as_view(), name="public_index"),
    path("plan/<int:pk>/", views.PublicPlanView.as_view(), name="public_plan"),
    path("inriktning/<int:pk>/", views.PublicDirectionView.as_view(), name="public_direction"),
    path("alla/", views.StaffIndexView.as_view(), name="staff_index"),
    path("alla/inriktning/ny/", views.DirectionCreateView.as_view(), name="direction_create"),
    path("alla/inriktning/<int:pk>/", views.DirectionDetailView.as_view(), name="direction"),
    path(
        "alla/inriktning/<int:pk>/andra/",
        views.DirectionUpdateView.as_view(),
        name="direction_update",
    ),
    path(
        "alla/inriktning/<int:pk>/malomrade/ny/",
        views.DirectionPartView.as_view(kind="area"),
        name="area_add",
    ),
    path(
        "alla/inriktning/<int:pk>/mal/ny/",
        views.DirectionPartView.as_view(kind="goal"),
        name="goal_add",
    ),
    path(
        "alla/inriktning/<int:pk>/strategi/ny/",
        views.DirectionPartView.as_view(kind="strategy"),
        name="strategy_add",
    ),
    path(
        "alla/inriktning/<int:pk>/agenda-2030/",
        views.DirectionPartView.as_view(kind="sdg"),
        name="sdg_add",
    ),
    path(
        "alla/inriktning/<int:pk>/uppdrag/",
        views.AssignmentGoalView.as_view(kind="assignment"),
        name="assignment_link",
    ),
    path(
        "alla/plan/<int:pk>/aterkoppling/",
        views.PromiseFeedbackView.as_view(),
        name="promise_feedback",
    ),
    path(
        "alla/inriktning/<int:pk>/<slug:kind>/<int:part>/andra/",
        views.DirectionPartUpdateView.as_view(),
        name="direction_part_update",
    ),
    path(
        "alla/inriktning/<int:pk>/ta-bort/",
        views.DirectionPartDeleteView.as_view(),
        name="direction_part_delete",
    ),
    path(
        "alla/plan/<int:pk>/<slug:kind>/<int:part>/andra/",
        views.PartUpdateView.as_view(),
        name="part_update",
    ),
    path("alla/plan/ny/", views.PlanCreateView.as_view(), name="plan_create"),
    path("alla/plan/<int:pk>/", views.PlanDetailView.as_view(), name="plan"),
    path("alla/plan/<int:pk>/andra/", views.PlanUpdateView.as_view(), name="plan_update"),
    path("alla/plan/<int:pk>/budget/", views.BudgetView.as_view(), name="budget"),
    path("alla/plan/<int:pk>/steg/", views.PlanStepView.as_view(), name="step"),
    path("alla/plan/<int:pk>/ta-bort/", views.PartDeleteView.as_view(), name="part_delete"),
    path(
        "alla/plan/<int:pk>/aktivitet/ny/",
        views.PlanPartView.as_view(kind="activity"),
        name="activity_add",
    ),
    path(
        "alla/plan/<int:pk>/lofte/ny/",
        views.PlanPartView.as_view(kind="promise"),
        name="promise_add",
    ),
    path(
        "alla/plan/<int:pk>/utmaning/ny/",
        views.PlanPartView.as_view(kind="challenge"),
        name="challenge_add",
    ),
    path(
        "alla/plan/<int:pk>/indikator/ny/",
        views.PlanPartView.as_view(kind="indicator"),
        name="indicator_add",
    ),
    path(
        "alla/plan/<int:pk>/uppfoljning/ny/", views.ReportCreateView.as_view(), name="report_create"
    ),
    path("alla/uppfoljning/<int:pk>/", views.ReportDetailView.as_view(), name="report"),
    path(
        "alla/uppfoljning/<int:pk>/andra/", views.ReportUpdateView.as_view(), name="report_update"
    ),
    path("alla/uppfoljning/<int:pk>/steg/", views.ReportStepView.as_view(), name="report_step"),
    path("alla/uppfoljning/<int:pk>/status/", views.StatusesView.as_view(), name="statuses"),
    path("alla/uppfoljning/<int:pk>/import/", views.OutcomeImportView.as_view(), name="import"),
    path(
        "alla/uppfoljning/<int:pk>/import/<int:staged>/",
        views.OutcomeImportPreviewView.as_view(),
        name="import_preview",
    ),
    path("uppfoljning/<int:pk>/", views.PublicReportView.as_view(), name="public_report"),
    path("alla/plan/<int:pk>/pdf/", views.PdfView.as_view(kind="plan"), name="plan_pdf"),
    path(
        "alla/plan/<int:pk>/pdf/hamta/",
        views.PdfDownloadView.as_view(kind="plan"),
        name="plan_pdf_download",
    ),
    path("alla/uppfoljning/<int:pk>/pdf/", views.PdfView.as_view(kind="report"), name="report_pdf"),
    path(
        "alla/uppfoljning/<int:pk>/pdf/hamta/",
        views.PdfDownloadView.as_view(kind="report"),
        name="report_pdf_download",
    ),
    path("plan/<int:pk>/pdf/", views.PublicPdfView.as_view(kind="plan"), name="public_plan_pdf"),
    path(
        "uppfoljning/<int:pk>/pdf/",
        views.PublicPdfView.as_view(kind="report"),
        name="public_report_pdf",
    ),
]
