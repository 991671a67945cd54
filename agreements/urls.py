from django.urls import path

from agreements import views

app_name = "agreements"

urlpatterns = [
    path("", views.PublicListView.as_view(), name="public_list"),
    path("<int:pk>/", views.PublicDetailView.as_view(), name="public_detail"),
    path(
        "<int:pk>/dokument/<int:document>/",
        views.PublicDocumentView.as_view(),
        name="public_document",
    ),
    path("alla/", views.AgreementListView.as_view(), name="staff_list"),
    path("alla/ny/", views.AgreementCreateView.as_view(), name="create"),
    path("alla/<int:pk>/", views.AgreementDetailView.as_view(), name="detail"),
    path("alla/<int:pk>/andra/", views.AgreementUpdateView.as_view(), name="update"),
    path("alla/<int:pk>/uppsagning/", views.TerminateView.as_view(), name="terminate"),
    path("alla/<int:pk>/undertecknare/", views.SignatoryAddView.as_view(), name="signatory_add"),
    path("alla/<int:pk>/dokument/ny/", views.DocumentAddView.as_view(), name="document_add"),
    path(
        "alla/<int:pk>/dokument/<int:document>/",
        views.DocumentDownloadView.as_view(),
        name="document",
    ),
    path(
        "alla/<int:pk>/dokument/<int:document>/version/<int:number>/",
        views.DocumentDownloadView.as_view(),
        name="document_version",
    ),
    path(
        "alla/<int:pk>/dokument/<int:document>/ny-version/",
        views.DocumentVersionView.as_view(),
        name="document_add_version",
    ),
    path(
        "alla/<int:pk>/dokument/<int:document>/publicera/",
        views.DocumentPublicView.as_view(),
        name="document_public",
    ),
    path("alla/<int:pk>/uppfoljning/ny/", views.FollowUpAddView.as_view(), name="follow_up_add"),
    path(
        "alla/<int:pk>/uppfoljning/plan/", views.FollowUpPlanView.as_view(), name="follow_up_plan"
    ),
    path("uppfoljning/<int:pk>/", views.OutcomeView.as_view(), name="outcome"),
    path("organisationer/", views.OrganisationListView.as_view(), name="organisations"),
    path("organisationer/ny/", views.OrganisationCreateView.as_view(), name="organisation_create"),
    path(
        "organisationer/<int:pk>/",
        views.OrganisationUpdateView.as_view(),
        name="organisation_update",
    ),
    path("projekt/", views.ProjectListView.as_view(), name="projects"),
    path("projekt/ny/", views.ProjectCreateView.as_view(), name="project_create"),
    path("projekt/<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("projekt/<int:pk>/andra/", views.ProjectUpdateView.as_view(), name="project_update"),
    path("projekt/<int:pk>/budget/", views.BudgetView.as_view(), name="budget"),
    path("projekt/<int:pk>/finansiering/", views.FundingAddView.as_view(), name="funding_add"),
    path(
        "projekt/<int:pk>/finansiering/<int:funding>/ta-bort/",
        views.FundingDeleteView.as_view(),
        name="funding_delete",
    ),
]
