from django.urls import path

from governance.decisions import views

app_name = "decisions"

urlpatterns = [
    path("", views.RegisterView.as_view(), name="register"),
    path("export.csv", views.RegisterExportView.as_view(format="csv"), name="register_csv"),
    path("export.xlsx", views.RegisterExportView.as_view(format="xlsx"), name="register_xlsx"),
    path("rekommendationer/", views.RecommendationListView.as_view(), name="recommendations"),
    path("<int:pk>/rekommendation/", views.RecommendationView.as_view(), name="recommendation"),
    path(
        "<int:pk>/rekommendation/svar/",
        views.RecommendationUpdateView.as_view(),
        name="recommendation_update",
    ),
    path("per-capsulam/", views.ProposalListView.as_view(), name="proposals"),
    path(
        "per-capsulam/organ/<slug:body>/ny/",
        views.ProposalCreateView.as_view(),
        name="proposal_create",
    ),
    path("per-capsulam/organ/<slug:body>/regel/", views.RuleView.as_view(), name="proposal_rule"),
    path("per-capsulam/<int:pk>/", views.ProposalDetailView.as_view(), name="proposal"),
    path("per-capsulam/<int:pk>/svar/", views.AnswerView.as_view(), name="proposal_answer"),
    path("per-capsulam/<int:pk>/koppla/", views.AttachView.as_view(), name="proposal_attach"),
]
